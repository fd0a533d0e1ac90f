use actix_web::{HttpResponse, post, web};

use crate::auth::Caller;
pub use crate::domain::organization_profile::CreateOrganizationRequest;
use crate::error::ApiResult;
use crate::http::JsonBody;
use crate::routes::organizations::OrganizationResponse;
use crate::state::AppState;
use crate::usecases::organizations;

/// Register an organisation; the caller becomes its first member, in the managing role.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), request_body = CreateOrganizationRequest,
    responses((status = 201, body = OrganizationResponse)))]
#[post("")]
pub async fn create_organization(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<CreateOrganizationRequest>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let organization =
        organizations::create_organization(&mut conn, &caller, body.0, state.clock.now()).await?;
    Ok(OrganizationResponse::respond(
        organization,
        HttpResponse::Created(),
    ))
}
