//! `/v1/networks/{id}/members`: the schools and boards that belong to a network. The
//! network's coordinators add and remove them; the member's own managers are told by mail
//! and may take their organisation out.

use actix_web::{HttpResponse, delete, get, post, web};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Caller;
use crate::authz::{self, OrgAction};
use crate::db::models::membership::Membership;
use crate::db::models::network::NetworkMember;
use crate::db::models::organization::Organization;
use crate::domain::{OrganizationKind, Role};
use crate::error::{ApiError, ApiResult};
use crate::http::JsonBody;
use crate::mail::{outbox, templates};
use crate::routes::organizations::OrganizationResponse;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/v1/networks")
            .service(list_network_members)
            .service(add_network_member)
            .service(remove_network_member),
    );
}

/// The network, when the caller may see it and it is a network.
async fn network(
    conn: &mut diesel_async::AsyncPgConnection,
    caller: &Caller,
    id: Uuid,
    action: OrgAction,
) -> ApiResult<Organization> {
    let (organization, _) = authz::organization(conn, caller, id, action).await?;
    if organization.kind != OrganizationKind::Network.as_str() {
        return Err(ApiError::NotFound);
    }
    Ok(organization)
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
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let network = network(&mut conn, &caller, id.into_inner(), OrgAction::Read).await?;
    let members = NetworkMember::members(&mut conn, network.id).await?;
    Ok(HttpResponse::Ok().json(NetworkMemberList {
        items: members.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddNetworkMemberRequest {
    pub organization_id: Uuid,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NetworkMembership {
    pub network_id: Uuid,
    pub organization_id: Uuid,
}

/// Add a school or school board to the network (its coordinators only). The member's managers
/// are told by mail. Adding a member twice changes nothing (200 instead of 201).
#[utoipa::path(tag = "networks", security(("bearer" = [])), request_body = AddNetworkMemberRequest,
    responses((status = 201, body = NetworkMembership), (status = 200, body = NetworkMembership)))]
#[post("/{id}/members")]
pub async fn add_network_member(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: JsonBody<AddNetworkMemberRequest>,
) -> ApiResult<HttpResponse> {
    caller.require_verified()?;
    let mut conn = state.conn().await?;
    let network = network(&mut conn, &caller, id.into_inner(), OrgAction::Manage).await?;
    let member_id = body.0.organization_id;
    let member = Organization::find(&mut conn, member_id)
        .await?
        .ok_or_else(|| ApiError::invalid("organization_id", "not_found", "no such organisation"))?;
    if !matches!(
        OrganizationKind::parse(&member.kind),
        Some(OrganizationKind::School | OrganizationKind::SchoolBoard)
    ) {
        return Err(ApiError::invalid(
            "organization_id",
            "not_applicable",
            "only schools and school boards can join a network",
        ));
    }
    let now = state.clock.now();
    let link = format!("{}/networks/{}", state.config.public_url, network.id);
    let added = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let added = NetworkMember::add(conn, network.id, member.id, caller.id(), now).await?;
            if added {
                for to in Membership::manager_emails(conn, member.id).await? {
                    outbox::enqueue(
                        conn,
                        &templates::network_joined(&to, &network.name, &member.name, &link),
                        now,
                    )
                    .await?;
                }
            }
            Ok(added)
        })
        .await?;
    let body = NetworkMembership {
        network_id: network.id,
        organization_id: member.id,
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
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (network_id, member_id) = path.into_inner();
    let mut conn = state.conn().await?;
    let network = network(&mut conn, &caller, network_id, OrgAction::Read).await?;
    let coordinates = Membership::role_of(&mut conn, network.id, caller.id())
        .await?
        .as_deref()
        .and_then(Role::parse)
        .is_some_and(Role::manages);
    let manages_member = Membership::role_of(&mut conn, member_id, caller.id())
        .await?
        .as_deref()
        .and_then(Role::parse)
        .is_some_and(Role::manages);
    if !coordinates && !manages_member {
        return Err(ApiError::Forbidden(
            "Only the network's coordinators or the member's managers may do this.".into(),
        ));
    }
    let member = Organization::find(&mut conn, member_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let now = state.clock.now();
    conn.transaction::<_, ApiError, _>(async |conn| {
        if !NetworkMember::remove(conn, network.id, member.id).await? {
            return Err(ApiError::NotFound);
        }
        let mut recipients = Membership::manager_emails(conn, member.id).await?;
        recipients.extend(Membership::manager_emails(conn, network.id).await?);
        recipients.sort();
        recipients.dedup();
        for to in recipients {
            outbox::enqueue(
                conn,
                &templates::network_left(&to, &network.name, &member.name),
                now,
            )
            .await?;
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
