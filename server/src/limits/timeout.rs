//! A bound on how long a handler may take: past `request_timeout` its work is dropped (the
//! future is cancelled, its connection goes back to the pool, an open transaction rolls back)
//! and the client is answered 503 with `Retry-After`, rather than holding a worker and a
//! connection for as long as a slow query or a stuck engine lasts.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, web};

use crate::error::ApiError;
use crate::state::AppState;
use crate::web::PageError;

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(limit) = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.config.request_timeout)
    else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let page = crate::web::is_page_path(req.path());
    let path = req.path().to_owned();
    match tokio::time::timeout(limit, next.call(req)).await {
        Ok(response) => Ok(response?.map_into_boxed_body()),
        // The request is gone into the cancelled call, so the answer travels as an error,
        // which actix renders with the error's own response.
        Err(_) => {
            tracing::warn!(path, ?limit, "a request took too long; answering 503");
            Err(if page {
                PageError::Unavailable.into()
            } else {
                ApiError::Unavailable(format!(
                    "The request took longer than {} seconds; try again in a moment.",
                    limit.as_secs_f32()
                ))
                .into()
            })
        }
    }
}
