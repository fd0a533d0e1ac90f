use actix_web::{HttpResponse, get, web};
use serde::Serialize;

use crate::auth::MaybeCaller;
use crate::domain::OfferingId;
use crate::error::ApiResult;
use crate::http::ETag;
use crate::routes::offerings::OfferingResponse;
use crate::routes::reviews::ReviewFigures;
use crate::state::AppState;
use crate::usecases::{offerings, reviews};

/// An offering with its review figures.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfferingDetail {
    #[serde(flatten)]
    pub offering: OfferingResponse,
    #[serde(flatten)]
    pub reviews: ReviewFigures,
}

/// An offering, with its review figures. Published ones are public; drafts and archived ones
/// only for the provider's staff.
#[utoipa::path(tag = "catalogue", responses((status = 200, body = OfferingDetail)))]
#[get("/{id}")]
pub async fn get_offering(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<OfferingId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let offering = offerings::get_offering(&mut conn, caller.as_ref(), id.into_inner()).await?;
    let aggregate = reviews::offering_aggregate(&mut conn, offering.id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(ETag(offering.version).header())
        .json(OfferingDetail {
            offering: OfferingResponse::from(offering),
            reviews: ReviewFigures::from(aggregate),
        }))
}
