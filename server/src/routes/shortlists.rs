//! `/v1/shortlists`: offerings collected to compare, shared within an organisation.

use actix_web::{HttpResponse, HttpResponseBuilder, delete, get, patch, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::auth::Caller;
use crate::domain::offering_status::Status;
use crate::domain::{OfferingId, OrganizationId, ShortlistId, UserId};
use crate::error::ApiResult;
use crate::http::{ETag, IfMatch, JsonBody};
use crate::state::AppState;
use crate::usecases::shortlists::{self, ShortlistView};
pub use crate::usecases::shortlists::{ItemInput, MAX_ITEMS};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/v1/shortlists")
            .service(create_shortlist)
            .service(list_shortlists)
            .service(get_shortlist)
            .service(rename_shortlist)
            .service(delete_shortlist)
            .service(replace_shortlist_items),
    );
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateShortlistRequest {
    pub name: String,
    /// The organisation to share the list with; the caller must be a member.
    pub organization_id: OrganizationId,
    #[serde(default)]
    pub items: Vec<ItemInput>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplaceItemsRequest {
    pub items: Vec<ItemInput>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameShortlistRequest {
    pub name: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ItemResponse {
    pub offering_id: OfferingId,
    pub title: String,
    pub provider_id: OrganizationId,
    /// The offering's status; an archived one stays on the list, marked.
    pub status: Status,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ShortlistResponse {
    pub id: ShortlistId,
    pub name: String,
    pub organization_id: OrganizationId,
    pub owner_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub items: Vec<ItemResponse>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ShortlistList {
    pub items: Vec<ShortlistResponse>,
}

impl From<ShortlistView> for ShortlistResponse {
    fn from(view: ShortlistView) -> Self {
        let ShortlistView { list, items } = view;
        ShortlistResponse {
            id: list.id,
            name: list.name,
            organization_id: list.organization_id,
            owner_id: list.owner_id,
            created_at: list.created_at,
            updated_at: list.updated_at,
            items: items
                .into_iter()
                .map(|i| ItemResponse {
                    offering_id: i.offering_id,
                    title: i.title,
                    provider_id: i.provider_id,
                    status: i.status,
                    note: i.note,
                })
                .collect(),
        }
    }
}

/// The list with its ETag, under `status`.
fn respond(view: ShortlistView, mut status: HttpResponseBuilder) -> HttpResponse {
    status
        .insert_header(ETag(view.list.version).header())
        .json(ShortlistResponse::from(view))
}

/// Save a shortlist, shared with one of the caller's organisations.
#[utoipa::path(tag = "search", security(("bearer" = [])), request_body = CreateShortlistRequest,
    responses((status = 201, body = ShortlistResponse)))]
#[post("")]
pub async fn create_shortlist(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<CreateShortlistRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.0;
    let mut conn = state.conn().await?;
    let view = shortlists::create_shortlist(
        &mut conn,
        &caller,
        req.organization_id,
        &req.name,
        req.items,
        state.clock.now(),
    )
    .await?;
    Ok(respond(view, HttpResponse::Created()))
}

/// The shortlists of the caller's organisations, newest first.
#[utoipa::path(tag = "search", security(("bearer" = [])), responses((status = 200, body = ShortlistList)))]
#[get("")]
pub async fn list_shortlists(
    state: web::Data<AppState>,
    caller: Caller,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let lists = shortlists::list_shortlists(&mut conn, &caller).await?;
    Ok(HttpResponse::Ok().json(ShortlistList {
        items: lists.into_iter().map(ShortlistResponse::from).collect(),
    }))
}

/// A shortlist (members of its organisation only).
#[utoipa::path(tag = "search", security(("bearer" = [])), responses((status = 200, body = ShortlistResponse)))]
#[get("/{id}")]
pub async fn get_shortlist(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ShortlistId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let view = shortlists::get_shortlist(&mut conn, &caller, id.into_inner()).await?;
    Ok(respond(view, HttpResponse::Ok()))
}

/// Replace a shortlist's items, in order (its owner and the organisation's managers). Needs
/// `If-Match`.
#[utoipa::path(tag = "search", security(("bearer" = [])), request_body = ReplaceItemsRequest,
    params(("If-Match" = String, Header, description = "The ETag last read")),
    responses((status = 200, body = ShortlistResponse)))]
#[put("/{id}/items")]
pub async fn replace_shortlist_items(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ShortlistId>,
    if_match: IfMatch,
    body: JsonBody<ReplaceItemsRequest>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let view = shortlists::replace_items(
        &mut conn,
        &caller,
        id.into_inner(),
        &if_match,
        body.0.items,
        state.clock.now(),
    )
    .await?;
    Ok(respond(view, HttpResponse::Ok()))
}

/// Rename a shortlist (its owner and the organisation's managers). Needs `If-Match`.
#[utoipa::path(tag = "search", security(("bearer" = [])), request_body = RenameShortlistRequest,
    params(("If-Match" = String, Header, description = "The ETag last read")),
    responses((status = 200, body = ShortlistResponse), (status = 412), (status = 428)))]
#[patch("/{id}")]
pub async fn rename_shortlist(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ShortlistId>,
    if_match: IfMatch,
    body: JsonBody<RenameShortlistRequest>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let view = shortlists::rename_shortlist(
        &mut conn,
        &caller,
        id.into_inner(),
        &if_match,
        &body.0.name,
        state.clock.now(),
    )
    .await?;
    Ok(respond(view, HttpResponse::Ok()))
}

/// Delete a shortlist (its owner and the organisation's managers). `If-Match` is optional, and
/// honoured when sent.
#[utoipa::path(tag = "search", security(("bearer" = [])),
    params(("If-Match" = Option<String>, Header, description = "The ETag last read")),
    responses((status = 204), (status = 412)))]
#[delete("/{id}")]
pub async fn delete_shortlist(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ShortlistId>,
    // Absent when the header is (the extractor fails only then): a plain delete.
    if_match: Option<IfMatch>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    shortlists::delete_shortlist(&mut conn, &caller, id.into_inner(), if_match.as_ref()).await?;
    Ok(HttpResponse::NoContent().finish())
}
