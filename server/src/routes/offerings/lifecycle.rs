//! Draft → published → archived (and back to published); the rules are
//! `domain::offering_status`, applied by `usecases::offerings::move_offering`.

use actix_web::{HttpRequest, HttpResponse, post, web};

use crate::auth::Caller;
use crate::domain::OfferingId;
use crate::domain::offering_status::Move;
use crate::error::ApiResult;
use crate::http::IfMatch;
use crate::routes::offerings::OfferingResponse;
use crate::state::AppState;
use crate::usecases::offerings;

async fn transition(
    req: &HttpRequest,
    state: &AppState,
    caller: &Caller,
    id: OfferingId,
    step: Move,
) -> ApiResult<HttpResponse> {
    // If-Match is optional here (the change is no edit of content), but honoured when sent.
    let if_match = if req
        .headers()
        .contains_key(actix_web::http::header::IF_MATCH)
    {
        Some(<IfMatch as actix_web::FromRequest>::extract(req).await?)
    } else {
        None
    };
    let mut conn = state.conn().await?;
    let moved = offerings::move_offering(
        &mut conn,
        caller,
        id,
        step,
        if_match.as_ref(),
        state.clock.now(),
    )
    .await?;
    Ok(OfferingResponse::respond(moved, HttpResponse::Ok()))
}

/// Publish a draft (or an archived offering again): it becomes public.
#[utoipa::path(tag = "catalogue", security(("bearer" = [])), responses((status = 200, body = OfferingResponse)))]
#[post("/{id}/publish")]
pub async fn publish_offering(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<OfferingId>,
) -> ApiResult<HttpResponse> {
    transition(&req, &state, &caller, id.into_inner(), Move::Publish).await
}

/// Archive an offering: it leaves public listings and stays readable to the provider.
#[utoipa::path(tag = "catalogue", security(("bearer" = [])), responses((status = 200, body = OfferingResponse)))]
#[post("/{id}/archive")]
pub async fn archive_offering(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<OfferingId>,
) -> ApiResult<HttpResponse> {
    transition(&req, &state, &caller, id.into_inner(), Move::Archive).await
}
