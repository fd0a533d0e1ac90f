use actix_web::{HttpResponse, get, web};
use serde::Deserialize;

use crate::auth::Caller;
use crate::authz;
use crate::db::models::organization::{Organization, OrganizationLookup};
use crate::domain::organization::{board_number, brin};
use crate::domain::validation::text;
use crate::domain::{Fields, OrganizationKind};
use crate::error::{ApiError, ApiResult};
use crate::http::page::{DEFAULT_LIMIT, Page, PageParams, page_of};
use crate::routes::organizations::OrganizationResponse;
use crate::state::AppState;

/// The longest name part a lookup takes.
const QUERY_MAX: usize = 200;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct LookupParams {
    /// A part of the name, ignoring case and accents (`regenboog` finds "OBS De Regenboog").
    pub q: Option<String>,
    /// `school_board`, `school`, `network` or `provider`.
    #[param(value_type = Option<crate::domain::OrganizationKind>)]
    pub kind: Option<String>,
    /// A school's BRIN code (`12AB`).
    pub brin: Option<String>,
    /// A bevoegd-gezagnummer: the board, and the schools it governs.
    pub board_number: Option<String>,
    /// At most 100; 20 by default.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// Keeps the value, or moves the field errors of a paging parameter into `fields`, so a client
/// learns about every invalid parameter at once.
fn collect<T>(fields: &mut Fields, result: ApiResult<T>) -> ApiResult<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(ApiError::Validation(errors)) => {
            for e in errors {
                fields.push(e.field, e.code, e.message);
            }
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

/// Look organisations up by name, BRIN, board number and kind, in pages. Schools, boards and
/// providers are public; networks are shown only to those who may see them.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(LookupParams),
    responses((status = 200, body = Page<OrganizationResponse>), (status = 422)))]
#[get("")]
pub async fn lookup_organizations(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<LookupParams>,
) -> ApiResult<HttpResponse> {
    let params = params.into_inner();
    let mut fields = Fields::new();
    let name_part = match params.q.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(q) => fields.check("q", text(q, QUERY_MAX)),
    };
    let kind = params
        .kind
        .as_deref()
        .and_then(|k| match OrganizationKind::parse(k) {
            Some(kind) => Some(kind),
            None => {
                fields.push(
                    "kind",
                    "unknown_code",
                    "must be school_board, school, network or provider",
                );
                None
            }
        });
    let brin = params
        .brin
        .as_deref()
        .and_then(|b| fields.check("brin", brin(b)));
    let board_number = params
        .board_number
        .as_deref()
        .and_then(|n| fields.check("board_number", board_number(n)));
    let paging = PageParams {
        limit: params.limit,
        cursor: params.cursor,
    };
    // The fallbacks are never used: an invalid value is a field error, and `finish` refuses.
    let limit = collect(&mut fields, paging.limit())?.unwrap_or(DEFAULT_LIMIT);
    let after = collect(&mut fields, paging.after())?.flatten();
    fields.finish()?;
    let lookup = OrganizationLookup {
        name_part,
        kind,
        brin,
        board_number,
    };
    let mut conn = state.conn().await?;
    let rows = Organization::lookup(
        &mut conn,
        &lookup,
        authz::network_scope(&caller),
        after,
        limit + 1,
    )
    .await?;
    let page: Page<OrganizationResponse> =
        page_of(rows, limit, |o| o.id).map(OrganizationResponse::from);
    Ok(HttpResponse::Ok().json(page))
}
