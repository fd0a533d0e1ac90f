use actix_web::{HttpResponse, get, web};

use crate::auth::MaybeCaller;
use crate::domain::OfferingId;
use crate::error::ApiResult;
use crate::routes::offerings::OfferingResponse;
use crate::state::AppState;
use crate::usecases::offerings;

/// An offering. Published ones are public; drafts and archived ones only for the provider's staff.
#[utoipa::path(tag = "catalogue", responses((status = 200, body = OfferingResponse)))]
#[get("/{id}")]
pub async fn get_offering(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<OfferingId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let offering = offerings::get_offering(&mut conn, caller.as_ref(), id.into_inner()).await?;
    Ok(OfferingResponse::respond(offering, HttpResponse::Ok()))
}
