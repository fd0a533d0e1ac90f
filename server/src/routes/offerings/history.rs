use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::auth::Caller;
use crate::domain::{OfferingId, UserId};
use crate::error::ApiResult;
use crate::state::AppState;
use crate::usecases::offerings;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RevisionResponse {
    pub version: i32,
    pub changed_by: Option<UserId>,
    pub changed_at: DateTime<Utc>,
    /// `created`, `updated`, `published` or `archived`.
    pub action: String,
    /// For edits `{field: {from, to}}`; for creation the whole offering.
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct History {
    pub items: Vec<RevisionResponse>,
}

/// Who changed what and when, newest first (the provider's staff only).
#[utoipa::path(tag = "catalogue", security(("bearer" = [])), responses((status = 200, body = History)))]
#[get("/{id}/history")]
pub async fn offering_history(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<OfferingId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let revisions = offerings::offering_history(&mut conn, &caller, id.into_inner()).await?;
    let items = revisions
        .into_iter()
        .map(|r| RevisionResponse {
            version: r.version,
            changed_by: r.changed_by,
            changed_at: r.changed_at,
            action: r.action,
            changes: r.changes,
        })
        .collect();
    Ok(HttpResponse::Ok().json(History { items }))
}
