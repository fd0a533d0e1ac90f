use actix_web::{HttpResponse, post, web};

use crate::auth::Caller;
use crate::domain::OrganizationId;
use crate::domain::offering::OfferingInput;
use crate::error::ApiResult;
use crate::http::JsonBody;
use crate::routes::offerings::OfferingResponse;
use crate::state::AppState;
use crate::usecases::offerings;

/// Create an offering as a draft (the provider's admins and editors).
#[utoipa::path(tag = "catalogue", security(("bearer" = [])), request_body = OfferingInput,
    responses((status = 201, body = OfferingResponse)))]
#[post("/{provider_id}/offerings")]
pub async fn create_offering(
    state: web::Data<AppState>,
    caller: Caller,
    provider_id: web::Path<OrganizationId>,
    body: JsonBody<OfferingInput>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let offering = offerings::create_offering(
        &mut conn,
        &caller,
        provider_id.into_inner(),
        body.0,
        state.clock.now(),
    )
    .await?;
    Ok(OfferingResponse::respond(offering, HttpResponse::Created()))
}
