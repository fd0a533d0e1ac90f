//! `/v1/networks/{id}/members`: the schools and boards that belong to a network. The
//! network's coordinators add and remove them; the member's own managers are told by mail
//! and may take their organisation out.

use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};

use crate::auth::Caller;
use crate::domain::OrganizationId;
use crate::domain::insight::{Demand, MIN_ORGANIZATIONS, ShareComparison};
use crate::error::ApiResult;
use crate::http::JsonBody;
use crate::routes::organizations::OrganizationResponse;
use crate::state::AppState;
use crate::usecases::{insights, networks};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/v1/networks")
            .service(list_network_members)
            .service(add_network_member)
            .service(remove_network_member)
            .service(get_network_insights),
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

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NetworkInsights {
    pub network_id: OrganizationId,
    pub network_name: String,
    /// No figure comes from fewer organisations than this: such a group is `suppressed`.
    pub min_organizations: i64,
    /// The participations in the network's bundles, per quarter of the joining deadline.
    pub demand: Demand,
    /// The share of the network's member schools (po, vo, mbo) that joined a bundle of a
    /// service type or domain, next to annex 2's national share of schools that buy it.
    pub shares: Vec<ShareComparison>,
}

/// The network's demand through its bundles, by domain, service type, sector and region over
/// time, next to annex 2's national shares; figures from fewer than three organisations are
/// suppressed. For the network's coordinators, the people of its member organisations and
/// moderators; anyone else gets 404, as for the network itself.
#[utoipa::path(tag = "networks", security(("bearer" = [])), responses((status = 200, body = NetworkInsights)))]
#[get("/{id}/insights")]
pub async fn get_network_insights(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<OrganizationId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let insight = insights::network_insight(&mut conn, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(NetworkInsights {
        network_id: insight.network.id,
        network_name: insight.network.name,
        min_organizations: MIN_ORGANIZATIONS,
        demand: insight.demand,
        shares: insight.shares,
    }))
}
