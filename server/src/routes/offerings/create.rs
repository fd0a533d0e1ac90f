use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use uuid::Uuid;

use crate::auth::Caller;
use crate::authz;
use crate::db::models::offering::Offering;
use crate::domain::offering::OfferingInput;
use crate::error::{ApiError, ApiResult};
use crate::http::JsonBody;
use crate::routes::offerings::OfferingResponse;
use crate::state::AppState;

/// Create an offering as a draft (the provider's admins and editors).
#[utoipa::path(tag = "catalogue", security(("bearer" = [])), request_body = OfferingInput,
    responses((status = 201, body = OfferingResponse)))]
#[post("/{provider_id}/offerings")]
pub async fn create_offering(
    state: web::Data<AppState>,
    caller: Caller,
    provider_id: web::Path<Uuid>,
    body: JsonBody<OfferingInput>,
) -> ApiResult<HttpResponse> {
    caller.require_verified()?;
    let mut conn = state.conn().await?;
    let provider =
        authz::provider_for_editing(&mut conn, &caller, provider_id.into_inner()).await?;
    let content = body.0.validate()?;
    let now = state.clock.now();
    let offering = conn
        .transaction::<_, ApiError, _>(async |conn| {
            Ok(Offering::create(
                conn,
                Uuid::now_v7(),
                provider.id,
                caller.id(),
                &content,
                now,
            )
            .await?)
        })
        .await?;
    tracing::info!(offering_id = %offering.id, provider_id = %provider.id, "offering created");
    Ok(OfferingResponse::respond(offering, HttpResponse::Created()))
}
