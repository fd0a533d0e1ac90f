use actix_web::{HttpResponse, get, web};
use serde::Deserialize;

use crate::auth::MaybeCaller;
use crate::db::models::offering::Status;
use crate::domain::OrganizationId;
use crate::error::{ApiError, ApiResult};
use crate::http::page::{Page, PageParams, page_of};
use crate::routes::offerings::OfferingResponse;
use crate::state::AppState;
use crate::usecases::offerings;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// Staff only: `draft`, `published` or `archived` (default: all). Others see published ones.
    #[param(value_type = Option<crate::domain::offering_status::Status>)]
    pub status: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// A provider's offerings, newest first. Everyone sees the published ones; the provider's staff
/// see drafts and archived ones too.
#[utoipa::path(tag = "catalogue", params(ListParams), responses((status = 200, body = Page<OfferingResponse>)))]
#[get("/{provider_id}/offerings")]
pub async fn list_provider_offerings(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    provider_id: web::Path<OrganizationId>,
    params: web::Query<ListParams>,
) -> ApiResult<HttpResponse> {
    let params = params.into_inner();
    let paging = PageParams {
        limit: params.limit,
        cursor: params.cursor,
    };
    let (limit, after) = (paging.limit()?, paging.after()?);
    let status = match params.status.as_deref() {
        None => None,
        Some(s) => Some(Status::parse(s).ok_or_else(|| {
            ApiError::invalid(
                "status",
                "unknown_code",
                "must be draft, published or archived",
            )
        })?),
    };
    let mut conn = state.conn().await?;
    let rows = offerings::list_provider_offerings(
        &mut conn,
        caller.as_ref(),
        provider_id.into_inner(),
        status,
        after,
        limit + 1,
    )
    .await?;
    let page: Page<OfferingResponse> = page_of(rows, limit, |o| o.id).map(OfferingResponse::from);
    Ok(HttpResponse::Ok().json(page))
}
