use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::Caller;
use crate::db::models::membership::Membership;
use crate::db::models::organization::{NewOrganization, Organization};
use crate::domain::organization::{board_number, brin, kvk_number};
use crate::domain::taxonomy::{self, PROVIDER_KINDS};
use crate::domain::validation::website;
use crate::domain::{EmailAddress, Fields, OrganizationKind};
use crate::error::{ApiError, ApiResult, is_unique_violation};
use crate::http::JsonBody;
use crate::routes::organizations::OrganizationResponse;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganizationRequest {
    /// `school_board`, `school`, `network` or `provider`.
    pub kind: String,
    pub name: String,
    /// Providers: the eight-digit KvK number.
    pub kvk_number: Option<String>,
    /// Providers: `commercieel`, `zzp`, `non_profit`, `kennisinstelling` or `publiek`.
    pub provider_kind: Option<String>,
    /// Schools: the BRIN code (`12AB`).
    pub brin: Option<String>,
    /// School boards: the bevoegd-gezagnummer; schools: their board's, to link them.
    pub board_number: Option<String>,
    #[serde(default)]
    pub sectors: Vec<String>,
    pub province: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    /// Providers: the regions they work in (provinces or `landelijk`).
    #[serde(default)]
    pub regions: Vec<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
}

/// Shared checks of the profile fields that creation and update both accept.
pub fn check_profile(
    fields: &mut Fields,
    sectors: &[String],
    province: Option<&str>,
    site: Option<&str>,
    description: Option<&str>,
) -> (Option<String>, Option<String>, Option<String>) {
    for (i, sector) in sectors.iter().enumerate() {
        if !taxonomy::is_code(taxonomy::SECTORS, sector) {
            fields.push(
                format!("sectors[{i}]"),
                "unknown_code",
                format!("must be one of {}", taxonomy::codes(taxonomy::SECTORS)),
            );
        }
    }
    let province = province.and_then(|p| {
        if taxonomy::is_code(taxonomy::PROVINCES, p) {
            Some(p.to_owned())
        } else {
            fields.push(
                "province",
                "unknown_code",
                format!("must be one of {}", taxonomy::codes(taxonomy::PROVINCES)),
            );
            None
        }
    });
    let site = site.and_then(|w| fields.check("website", website(w)));
    let description = description.and_then(|d| fields.text("description", d, 5000));
    (province, site, description)
}

pub struct Contact {
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// Regions served and contact details: provider profiles only.
pub fn check_contact(
    fields: &mut Fields,
    is_provider: bool,
    regions: &[String],
    email: Option<&str>,
    phone: Option<&str>,
) -> Contact {
    if !is_provider {
        for (field, given) in [
            ("regions", !regions.is_empty()),
            ("contact_email", email.is_some()),
            ("contact_phone", phone.is_some()),
        ] {
            if given {
                fields.push(field, "not_applicable", "applies to providers only");
            }
        }
        return Contact {
            email: None,
            phone: None,
        };
    }
    for (i, region) in regions.iter().enumerate() {
        if !taxonomy::is_region(region) {
            fields.push(
                format!("regions[{i}]"),
                "unknown_code",
                "must be a province code or landelijk",
            );
        }
    }
    let email = email.and_then(|e| {
        fields
            .check("contact_email", EmailAddress::parse(e))
            .map(|e| e.as_str().to_owned())
    });
    let phone = phone.and_then(|p| {
        let digits = p.chars().filter(char::is_ascii_digit).count();
        let allowed = p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
        if allowed && (10..=15).contains(&digits) {
            Some(p.trim().to_owned())
        } else {
            fields.push(
                "contact_phone",
                "invalid",
                "must be a phone number such as 030 123 4567 or +31 30 123 4567",
            );
            None
        }
    });
    Contact { email, phone }
}

pub fn check_provider_kind(fields: &mut Fields, value: &str) -> Option<String> {
    if taxonomy::is_code(PROVIDER_KINDS, value) {
        Some(value.to_owned())
    } else {
        fields.push(
            "provider_kind",
            "unknown_code",
            format!("must be one of {}", taxonomy::codes(PROVIDER_KINDS)),
        );
        None
    }
}

/// Register an organisation; the caller becomes its first member, in the managing role.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), request_body = CreateOrganizationRequest,
    responses((status = 201, body = OrganizationResponse)))]
#[post("")]
pub async fn create_organization(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<CreateOrganizationRequest>,
) -> ApiResult<HttpResponse> {
    caller.require_verified()?;
    let req = body.0;
    let mut fields = Fields::new();
    let kind = OrganizationKind::parse(&req.kind);
    if kind.is_none() {
        fields.push(
            "kind",
            "unknown_code",
            "must be one of school_board, school, network, provider",
        );
    }
    let name = fields.text("name", &req.name, 200);
    let (province, site, description) = check_profile(
        &mut fields,
        &req.sectors,
        req.province.as_deref(),
        req.website.as_deref(),
        req.description.as_deref(),
    );
    let mut identifier =
        |field: &'static str,
         value: &Option<String>,
         wanted: bool,
         parse: fn(&str) -> Result<String, crate::error::FieldError>| {
            match (value, wanted) {
                (Some(v), true) => fields.check(field, parse(v)),
                (None, true) => {
                    fields.push(
                        field,
                        "required",
                        "is required for this kind of organisation",
                    );
                    None
                }
                (Some(_), false) => {
                    fields.push(
                        field,
                        "not_applicable",
                        "does not apply to this kind of organisation",
                    );
                    None
                }
                (None, false) => None,
            }
        };
    let is = |k: OrganizationKind| kind == Some(k);
    let kvk = identifier(
        "kvk_number",
        &req.kvk_number,
        is(OrganizationKind::Provider),
        kvk_number,
    );
    let brin_code = identifier("brin", &req.brin, is(OrganizationKind::School), brin);
    // A school may name its board's number to be linked to it; a board must have one.
    let board_no = match (&req.board_number, kind) {
        (Some(v), Some(OrganizationKind::School)) => fields.check("board_number", board_number(v)),
        (value, _) => identifier(
            "board_number",
            value,
            is(OrganizationKind::SchoolBoard),
            board_number,
        ),
    };
    let provider_kind = match (&req.provider_kind, kind) {
        (Some(v), Some(OrganizationKind::Provider)) => check_provider_kind(&mut fields, v),
        (None, Some(OrganizationKind::Provider)) => {
            fields.push("provider_kind", "required", "is required for providers");
            None
        }
        (Some(_), _) => {
            fields.push(
                "provider_kind",
                "not_applicable",
                "applies to providers only",
            );
            None
        }
        (None, _) => None,
    };
    let contact = check_contact(
        &mut fields,
        kind == Some(OrganizationKind::Provider),
        &req.regions,
        req.contact_email.as_deref(),
        req.contact_phone.as_deref(),
    );
    fields.finish()?;
    let (Some(kind), Some(name)) = (kind, name) else {
        unreachable!("validated above")
    };

    let now = state.clock.now();
    let mut conn = state.conn().await?;
    let organization = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let board_id = match (kind, &board_no) {
                (OrganizationKind::School, Some(number)) => {
                    Organization::find_board_by_number(conn, number).await?.map(|b| b.id)
                }
                _ => None,
            };
            let new = NewOrganization {
                id: Uuid::now_v7(),
                kind: kind.as_str().to_owned(),
                name,
                kvk_number: kvk,
                provider_kind,
                brin: brin_code,
                board_number: board_no,
                board_id,
                sectors: req.sectors,
                province,
                website: site,
                description,
                created_at: now,
                updated_at: now,
                regions: req.regions,
                contact_email: contact.email,
                contact_phone: contact.phone,
                denomination: None,
                city: None,
            };
            let organization = Organization::insert(conn, &new).await.map_err(|e| {
                if is_unique_violation(&e) {
                    ApiError::Conflict(
                        "An organisation with this identifier is already registered; ask its managers to invite you.".into(),
                    )
                } else {
                    e.into()
                }
            })?;
            Membership::change(conn, organization.id, caller.id(), Some(kind.managing_role()), now).await?;
            Ok(organization)
        })
        .await?;
    tracing::info!(organization_id = %organization.id, kind = kind.as_str(), "organisation registered");
    Ok(OrganizationResponse::respond(
        organization,
        HttpResponse::Created(),
    ))
}
