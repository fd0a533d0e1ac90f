use actix_web::{HttpResponse, patch, web};

use crate::auth::Caller;
use crate::domain::OrganizationId;
use crate::error::ApiResult;
use crate::http::{IfMatch, JsonBody};
use crate::routes::organizations::OrganizationResponse;
use crate::state::AppState;
use crate::usecases::organizations::{self, UpdateOrganizationRequest};

/// Change an organisation's profile (its managers only). Needs `If-Match` with the ETag read;
/// identifiers from the registers (KvK, BRIN, bevoegd-gezagnummer) cannot be changed here.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), request_body = UpdateOrganizationRequest,
    params(("If-Match" = String, Header, description = "The ETag last read")),
    responses((status = 200, body = OrganizationResponse)))]
#[patch("/{id}")]
pub async fn update_organization(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<OrganizationId>,
    if_match: IfMatch,
    body: JsonBody<UpdateOrganizationRequest>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let updated = organizations::update_organization(
        &mut conn,
        &caller,
        id.into_inner(),
        &if_match,
        body.0,
        state.clock.now(),
    )
    .await?;
    Ok(OrganizationResponse::respond(updated, HttpResponse::Ok()))
}
