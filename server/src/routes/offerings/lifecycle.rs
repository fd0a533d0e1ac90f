//! Draft → published → archived (and back to published). Moving an offering records who did it.

use actix_web::{HttpRequest, HttpResponse, post, web};
use diesel_async::AsyncConnection;
use uuid::Uuid;

use crate::auth::Caller;
use crate::authz::{self, OfferingAction};
use crate::db::models::offering::{Offering, Status};
use crate::error::{ApiError, ApiResult};
use crate::http::IfMatch;
use crate::routes::offerings::OfferingResponse;
use crate::state::AppState;

async fn transition(
    req: &HttpRequest,
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    to: Status,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let (current, _) = authz::offering(&mut conn, Some(caller), id, OfferingAction::Edit).await?;
    // If-Match is optional here (the change is no edit of content), but honoured when sent.
    if req
        .headers()
        .contains_key(actix_web::http::header::IF_MATCH)
    {
        let if_match = <IfMatch as actix_web::FromRequest>::extract(req).await?;
        if_match.check(current.version)?;
    }
    if current.status() == to {
        return Err(ApiError::Conflict(format!(
            "The offering is already {}.",
            to.as_str()
        )));
    }
    let now = state.clock.now();
    let moved = conn
        .transaction::<_, ApiError, _>(async |conn| {
            Offering::move_to(conn, &current, to, caller.id(), now)
                .await?
                .ok_or(ApiError::PreconditionFailed)
        })
        .await?;
    tracing::info!(offering_id = %moved.id, status = to.as_str(), "offering status changed");
    Ok(OfferingResponse::respond(moved, HttpResponse::Ok()))
}

/// Publish a draft (or an archived offering again): it becomes public.
#[utoipa::path(tag = "catalogue", security(("bearer" = [])), responses((status = 200, body = OfferingResponse)))]
#[post("/{id}/publish")]
pub async fn publish_offering(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    caller.require_verified()?;
    transition(&req, &state, &caller, id.into_inner(), Status::Published).await
}

/// Archive an offering: it leaves public listings and stays readable to the provider.
#[utoipa::path(tag = "catalogue", security(("bearer" = [])), responses((status = 200, body = OfferingResponse)))]
#[post("/{id}/archive")]
pub async fn archive_offering(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    transition(&req, &state, &caller, id.into_inner(), Status::Archived).await
}
