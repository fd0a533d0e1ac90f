//! `/v1/shortlists`: offerings collected to compare, shared within an organisation.

use actix_web::{HttpResponse, HttpResponseBuilder, delete, get, patch, post, put, web};
use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Caller;
use crate::authz::{self, OfferingAction, OrgAction};
use crate::db::models::shortlist::Shortlist;
use crate::domain::Fields;
use crate::error::{ApiError, ApiResult};
use crate::http::{ETag, IfMatch, JsonBody};
use crate::state::AppState;

pub const MAX_ITEMS: usize = 50;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/v1/shortlists")
            .service(create_shortlist)
            .service(list_shortlists)
            .service(get_shortlist)
            .service(rename_shortlist)
            .service(delete_shortlist)
            .service(replace_shortlist_items),
    );
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    pub offering_id: Uuid,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateShortlistRequest {
    pub name: String,
    /// The organisation to share the list with; the caller must be a member.
    pub organization_id: Uuid,
    #[serde(default)]
    pub items: Vec<ItemInput>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplaceItemsRequest {
    pub items: Vec<ItemInput>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameShortlistRequest {
    pub name: String,
}

/// The longest name a list may have.
const NAME_MAX: usize = 200;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ItemResponse {
    pub offering_id: Uuid,
    pub title: String,
    pub provider_id: Uuid,
    /// The offering's status; an archived one stays on the list, marked.
    pub status: String,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ShortlistResponse {
    pub id: Uuid,
    pub name: String,
    pub organization_id: Uuid,
    pub owner_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub items: Vec<ItemResponse>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ShortlistList {
    pub items: Vec<ShortlistResponse>,
}

/// The list with its items, as clients see it.
async fn view(conn: &mut AsyncPgConnection, list: Shortlist) -> ApiResult<ShortlistResponse> {
    let items = Shortlist::items(conn, list.id).await?;
    Ok(ShortlistResponse {
        id: list.id,
        name: list.name,
        organization_id: list.organization_id,
        owner_id: list.owner_id,
        created_at: list.created_at,
        updated_at: list.updated_at,
        items: items
            .into_iter()
            .map(|i| ItemResponse {
                offering_id: i.offering_id,
                title: i.title,
                provider_id: i.provider_id,
                status: i.status,
                note: i.note,
            })
            .collect(),
    })
}

async fn respond(
    conn: &mut AsyncPgConnection,
    list: Shortlist,
    mut status: HttpResponseBuilder,
) -> ApiResult<HttpResponse> {
    let version = list.version;
    let body = view(conn, list).await?;
    Ok(status.insert_header(ETag(version).header()).json(body))
}

/// Checks items: at most `MAX_ITEMS`, each an offering the caller can see, none twice.
async fn check_items(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    items: Vec<ItemInput>,
) -> ApiResult<Vec<(Uuid, Option<String>)>> {
    let mut fields = Fields::new();
    if items.len() > MAX_ITEMS {
        fields.push(
            "items",
            "too_long",
            format!("a list holds at most {MAX_ITEMS} offerings"),
        );
    }
    let mut checked: Vec<(Uuid, Option<String>)> = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let field = format!("items[{i}].offering_id");
        if checked.iter().any(|(id, _)| *id == item.offering_id) {
            fields.push(field, "duplicate", "is on the list twice");
            continue;
        }
        match authz::offering(conn, Some(caller), item.offering_id, OfferingAction::Read).await {
            Ok(_) => {}
            Err(ApiError::NotFound) => {
                fields.push(field, "not_found", "no such published offering");
                continue;
            }
            Err(other) => return Err(other),
        }
        let note = item
            .note
            .as_deref()
            .and_then(|n| fields.text(&format!("items[{i}].note"), n, 1000));
        checked.push((item.offering_id, note));
    }
    fields.finish()?;
    Ok(checked)
}

/// Save a shortlist, shared with one of the caller's organisations.
#[utoipa::path(tag = "search", security(("bearer" = [])), request_body = CreateShortlistRequest,
    responses((status = 201, body = ShortlistResponse)))]
#[post("")]
pub async fn create_shortlist(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<CreateShortlistRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.0;
    let mut conn = state.conn().await?;
    let (organization, role) =
        authz::organization(&mut conn, &caller, req.organization_id, OrgAction::Read).await?;
    if role.is_none() {
        return Err(ApiError::invalid(
            "organization_id",
            "not_member",
            "you can only share lists with your own organisations",
        ));
    }
    let mut fields = Fields::new();
    let name = fields.text("name", &req.name, NAME_MAX);
    fields.finish()?;
    let items = check_items(&mut conn, &caller, req.items).await?;
    let name = name.unwrap_or_default();
    let now = state.clock.now();
    let list = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let list = Shortlist::insert(conn, caller.id(), organization.id, &name, now).await?;
            Ok(
                Shortlist::replace_items(conn, list.id, list.version, &items, now)
                    .await?
                    .unwrap_or(list),
            )
        })
        .await?;
    respond(&mut conn, list, HttpResponse::Created()).await
}

/// The shortlists of the caller's organisations, newest first.
#[utoipa::path(tag = "search", security(("bearer" = [])), responses((status = 200, body = ShortlistList)))]
#[get("")]
pub async fn list_shortlists(
    state: web::Data<AppState>,
    caller: Caller,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let lists = Shortlist::visible_to(&mut conn, caller.id()).await?;
    let mut items = Vec::with_capacity(lists.len());
    for list in lists {
        items.push(view(&mut conn, list).await?);
    }
    Ok(HttpResponse::Ok().json(ShortlistList { items }))
}

/// A shortlist (members of its organisation only).
#[utoipa::path(tag = "search", security(("bearer" = [])), responses((status = 200, body = ShortlistResponse)))]
#[get("/{id}")]
pub async fn get_shortlist(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let list = authz::shortlist(&mut conn, &caller, id.into_inner(), OrgAction::Read).await?;
    respond(&mut conn, list, HttpResponse::Ok()).await
}

/// Replace a shortlist's items, in order (its owner and the organisation's managers). Needs
/// `If-Match`.
#[utoipa::path(tag = "search", security(("bearer" = [])), request_body = ReplaceItemsRequest,
    params(("If-Match" = String, Header, description = "The ETag last read")),
    responses((status = 200, body = ShortlistResponse)))]
#[put("/{id}/items")]
pub async fn replace_shortlist_items(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<ReplaceItemsRequest>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let list = authz::shortlist(&mut conn, &caller, id.into_inner(), OrgAction::Manage).await?;
    if_match.check(list.version)?;
    let items = check_items(&mut conn, &caller, body.0.items).await?;
    let now = state.clock.now();
    let updated = conn
        .transaction::<_, ApiError, _>(async |conn| {
            Shortlist::replace_items(conn, list.id, list.version, &items, now)
                .await?
                .ok_or(ApiError::PreconditionFailed)
        })
        .await?;
    respond(&mut conn, updated, HttpResponse::Ok()).await
}

/// Rename a shortlist (its owner and the organisation's managers). Needs `If-Match`.
#[utoipa::path(tag = "search", security(("bearer" = [])), request_body = RenameShortlistRequest,
    params(("If-Match" = String, Header, description = "The ETag last read")),
    responses((status = 200, body = ShortlistResponse), (status = 412), (status = 428)))]
#[patch("/{id}")]
pub async fn rename_shortlist(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<RenameShortlistRequest>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let list = authz::shortlist(&mut conn, &caller, id.into_inner(), OrgAction::Manage).await?;
    if_match.check(list.version)?;
    let mut fields = Fields::new();
    let name = fields.text("name", &body.0.name, NAME_MAX);
    fields.finish()?;
    let name = name.unwrap_or_default();
    // The version filter makes the check above hold at the moment of writing too.
    let renamed =
        Shortlist::rename_if_version(&mut conn, list.id, list.version, &name, state.clock.now())
            .await?
            .ok_or(ApiError::PreconditionFailed)?;
    respond(&mut conn, renamed, HttpResponse::Ok()).await
}

/// Delete a shortlist (its owner and the organisation's managers). `If-Match` is optional, and
/// honoured when sent.
#[utoipa::path(tag = "search", security(("bearer" = [])),
    params(("If-Match" = Option<String>, Header, description = "The ETag last read")),
    responses((status = 204), (status = 412)))]
#[delete("/{id}")]
pub async fn delete_shortlist(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    // Absent when the header is (the extractor fails only then): a plain delete.
    if_match: Option<IfMatch>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let list = authz::shortlist(&mut conn, &caller, id.into_inner(), OrgAction::Manage).await?;
    // The version checked is the one the delete is conditional on, so a change in between is
    // caught too.
    let expected = match &if_match {
        Some(if_match) => {
            if_match.check(list.version)?;
            Some(list.version)
        }
        None => None,
    };
    if !Shortlist::delete(&mut conn, list.id, expected).await? {
        // Changed or deleted by someone else since it was read above.
        return Err(match if_match {
            Some(_) => ApiError::PreconditionFailed,
            None => ApiError::NotFound,
        });
    }
    Ok(HttpResponse::NoContent().finish())
}
