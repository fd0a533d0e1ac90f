//! `/v1/networks/{id}/members`: the schools and boards that belong to a network. The
//! network's coordinators add and remove them; the member's own managers are told by mail
//! and may take their organisation out.

use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};

use crate::auth::Caller;
use crate::domain::OrganizationId;
use crate::error::ApiResult;
use crate::http::JsonBody;
use crate::routes::organizations::OrganizationResponse;
use crate::state::AppState;
use crate::usecases::networks;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/v1/networks")
            .service(list_network_members)
            .service(add_network_member)
            .service(remove_network_member),
    );
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NetworkMemberList {
    pub items: Vec<OrganizationResponse>,
}

/// The member schools and boards of a network.
#[utoipa::path(tag = "networks", security(("bearer" = [])), responses((status = 200, body = NetworkMemberList)))]
#[get("/{id}/members")]
pub async fn list_network_members(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<OrganizationId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let members = networks::list_network_members(&mut conn, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(NetworkMemberList {
        items: members.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddNetworkMemberRequest {
    pub organization_id: OrganizationId,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NetworkMembership {
    pub network_id: OrganizationId,
    pub organization_id: OrganizationId,
}

/// Add a school or school board to the network (its coordinators only). The member's managers
/// are told by mail. Adding a member twice changes nothing (200 instead of 201).
#[utoipa::path(tag = "networks", security(("bearer" = [])), request_body = AddNetworkMemberRequest,
    responses((status = 201, body = NetworkMembership), (status = 200, body = NetworkMembership)))]
#[post("/{id}/members")]
pub async fn add_network_member(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<OrganizationId>,
    body: JsonBody<AddNetworkMemberRequest>,
) -> ApiResult<HttpResponse> {
    let (network_id, member_id) = (id.into_inner(), body.0.organization_id);
    let mut conn = state.conn().await?;
    let added = networks::add_network_member(
        &mut conn,
        &caller,
        network_id,
        member_id,
        &state.config.public_url,
        state.clock.now(),
    )
    .await?;
    let body = NetworkMembership {
        network_id,
        organization_id: member_id,
    };
    Ok(if added {
        HttpResponse::Created().json(body)
    } else {
        HttpResponse::Ok().json(body)
    })
}

/// Take a school or board out of the network: the network's coordinators, or the member's own
/// managers (leaving).
#[utoipa::path(tag = "networks", security(("bearer" = [])), responses((status = 204)))]
#[delete("/{id}/members/{organization_id}")]
pub async fn remove_network_member(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(OrganizationId, OrganizationId)>,
) -> ApiResult<HttpResponse> {
    let (network_id, member_id) = path.into_inner();
    let mut conn = state.conn().await?;
    networks::remove_network_member(&mut conn, &caller, network_id, member_id, state.clock.now())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
