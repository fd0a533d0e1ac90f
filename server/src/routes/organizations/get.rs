use actix_web::{HttpResponse, get, web};

use crate::auth::Caller;
use crate::authz::{self, OrgAction};
use crate::domain::OrganizationId;
use crate::error::ApiResult;
use crate::routes::organizations::OrganizationResponse;
use crate::state::AppState;

/// An organisation's profile. Networks are visible only to their coordinators and members.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), responses((status = 200, body = OrganizationResponse)))]
#[get("/{id}")]
pub async fn get_organization(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<OrganizationId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let (organization, _) =
        authz::organization(&mut conn, &caller, id.into_inner(), OrgAction::Read).await?;
    Ok(OrganizationResponse::respond(
        organization,
        HttpResponse::Ok(),
    ))
}
