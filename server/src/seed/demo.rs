//! Demo data: a small, fixed set of organisations and accounts to log in with (listed in the
//! README), loaded by `edumarkt up` into an empty database and by `edumarkt seed`. The accounts
//! get a small world to act in: the demo provider's own offerings (published ones and a draft)
//! and a shortlist of the demo school.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::auth::password;
use crate::db::models::membership::Membership;
use crate::db::models::network::NetworkMember;
use crate::db::models::offering::{Offering, OfferingContent, Status};
use crate::db::models::organization::{NewOrganization, Organization};
use crate::db::models::shortlist::Shortlist;
use crate::db::models::user::{NewUser, User};
use crate::db::schema::users;
use crate::domain::Role;
use crate::domain::offering::OfferingInput;
use crate::domain::{OfferingId, OrganizationId, OrganizationKind, UserId};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-wachtwoord-2026";

pub struct DemoUser {
    pub email: &'static str,
    pub name: &'static str,
    pub moderator: bool,
}

pub const DEMO_USERS: &[DemoUser] = &[
    DemoUser {
        email: "moderator@edumarkt.demo",
        name: "Mo de Moderator",
        moderator: true,
    },
    DemoUser {
        email: "bestuurder@edumarkt.demo",
        name: "Bea Bestuurder",
        moderator: false,
    },
    DemoUser {
        email: "schoolleider@edumarkt.demo",
        name: "Sam Schoolleider",
        moderator: false,
    },
    DemoUser {
        email: "leraar@edumarkt.demo",
        name: "Lotte Leraar",
        moderator: false,
    },
    DemoUser {
        email: "coordinator@edumarkt.demo",
        name: "Cor Coördinator",
        moderator: false,
    },
    DemoUser {
        email: "aanbieder@edumarkt.demo",
        name: "Ada Aanbieder",
        moderator: false,
    },
    DemoUser {
        email: "redacteur@edumarkt.demo",
        name: "Rik Redacteur",
        moderator: false,
    },
];

/// Whether the database holds no accounts yet (a fresh installation).
pub async fn is_empty(conn: &mut AsyncPgConnection) -> QueryResult<bool> {
    let count: i64 = users::table.count().get_result(conn).await?;
    Ok(count == 0)
}

fn organization(kind: OrganizationKind, name: &str, now: DateTime<Utc>) -> NewOrganization {
    NewOrganization {
        province: Some("utrecht".into()),
        ..NewOrganization::bare(OrganizationId::generate(), kind, name.into(), now)
    }
}

/// One of the demo provider's offerings, written by hand.
struct DemoOffering {
    title: &'static str,
    summary: &'static str,
    description: &'static str,
    domain: &'static str,
    service_type: &'static str,
    sectors: &'static [&'static str],
    formats: &'static [&'static str],
    delivery: &'static str,
    duration: &'static str,
    price_model: &'static str,
    /// Minimum and maximum, in cents; `None` for a price on request.
    prices: Option<(i64, i64)>,
    evidence: Option<(&'static str, &'static str)>,
    co_creation_phases: &'static [&'static str],
    themes: &'static [&'static str],
    published: bool,
    /// On the demo school's shortlist, with this note.
    shortlisted: Option<&'static str>,
}

const DEMO_OFFERINGS: &[DemoOffering] = &[
    DemoOffering {
        title: "Didactisch coachen op de werkvloer",
        summary: "Een ervaren coach kijkt mee in de klas en helpt leraren hun instructie en \
            feedback stap voor stap te verbeteren.",
        description: "Zes lesbezoeken met video-opnames, telkens gevolgd door een \
            nagesprek. De leraar kiest zelf een leervraag, de coach brengt de praktijk en de \
            literatuur over effectieve instructie samen. Geschikt voor startende en ervaren \
            leraren.",
        domain: "professionalisering",
        service_type: "prof_individueel_leraren",
        sectors: &["po", "vo"],
        formats: &["coaching"],
        delivery: "op_locatie",
        duration: "traject",
        price_model: "per_deelnemer",
        prices: Some((95_000, 125_000)),
        evidence: None,
        co_creation_phases: &[],
        themes: &["kennis_vaardigheden"],
        published: true,
        shortlisted: Some("Voor de twee starters in groep 5 en 7"),
    },
    DemoOffering {
        title: "Formatief handelen met het hele team",
        summary: "Een schooljaar lang samen leren hoe je zicht krijgt op wat leerlingen al \
            kunnen, en je les daarop aanpast.",
        description: "Vier teamtrainingen, afgewisseld met leergemeenschappen waarin \
            leraren lessen voorbereiden en nabespreken. We beginnen met de vraag van de school \
            en sluiten af met een evaluatie van wat het de leerlingen heeft opgeleverd.",
        domain: "professionalisering",
        service_type: "prof_collectief_team",
        sectors: &["po"],
        formats: &["training", "leergemeenschap"],
        delivery: "hybride",
        duration: "traject",
        price_model: "vaste_prijs",
        prices: Some((450_000, 650_000)),
        evidence: Some((
            "goed_onderbouwd",
            "https://leerkracht-academie.example/onderbouwing/formatief-handelen",
        )),
        co_creation_phases: &["vraagarticulatie", "evaluatie"],
        themes: &["lerende_organisatie", "kennis_vaardigheden"],
        published: true,
        shortlisted: Some("Past bij ons schoolplan; offerte voor 14 leraren vragen"),
    },
    DemoOffering {
        title: "Leiderschapsprogramma voor startende schoolleiders",
        summary: "Tweejarig programma voor schoolleiders in hun eerste jaren, met intervisie \
            en een eigen verbeterproject op school.",
        description: "Acht bijeenkomsten per jaar over onderwijskundig leiderschap, \
            personeelsbeleid en verandermanagement, intervisie in kleine groepen en \
            begeleiding bij een verbeterproject op de eigen school.",
        domain: "professionalisering",
        service_type: "prof_individueel_directie",
        sectors: &["po", "vo"],
        formats: &["opleiding", "leergemeenschap"],
        delivery: "hybride",
        duration: "langdurig",
        price_model: "per_deelnemer",
        prices: Some((280_000, 320_000)),
        evidence: None,
        co_creation_phases: &[],
        themes: &["lerende_organisatie"],
        published: true,
        shortlisted: None,
    },
    DemoOffering {
        title: "Rust in de klas: omgaan met onbegrepen gedrag",
        summary: "Training en coaching voor leraren die meer grip willen op gedrag dat de les \
            verstoort.",
        description: "Twee trainingsmiddagen over de achtergrond van gedrag en over \
            preventieve aanpakken, daarna coaching in de eigen groep. Samen met de intern \
            begeleider stellen we vast wat het team nodig heeft.",
        domain: "leerlingenzorg",
        service_type: "zorg_leraren_omgang",
        sectors: &["po", "so"],
        formats: &["training", "coaching"],
        delivery: "op_locatie",
        duration: "kort",
        price_model: "per_uur",
        prices: Some((12_500, 15_000)),
        evidence: None,
        co_creation_phases: &["vraagarticulatie"],
        themes: &["inclusief_onderwijs"],
        published: true,
        shortlisted: Some("Vraag van de ib'er"),
    },
    DemoOffering {
        title: "Van visie naar schoolplan",
        summary: "Begeleiding van directie en team bij het schrijven van een schoolplan dat \
            in de klas herkenbaar is.",
        description: "Een startbijeenkomst met het team, drie werksessies met de \
            directie en een terugkoppeling aan de medezeggenschapsraad. Het resultaat is een \
            schoolplan met concrete doelen per jaar.",
        domain: "organisatieontwikkeling",
        service_type: "org_onderwijskundig_advies",
        sectors: &["po"],
        formats: &["advies", "begeleidingstraject"],
        delivery: "op_locatie",
        duration: "kort",
        price_model: "per_uur",
        prices: Some((11_000, 13_500)),
        evidence: None,
        co_creation_phases: &["co_design"],
        themes: &["lerende_organisatie"],
        published: true,
        shortlisted: None,
    },
    DemoOffering {
        title: "Lesson study rekenen (in voorbereiding)",
        summary: "Leraren ontwerpen, geven en onderzoeken samen een rekenles, met een \
            rekenspecialist als begeleider.",
        description: "Drie cycli van lesson study rond een rekendoel dat het team kiest. \
            Nog in voorbereiding: de prijs volgt na een pilot met twee scholen.",
        domain: "professionalisering",
        service_type: "prof_collectief_team",
        sectors: &["po"],
        formats: &["lesson_study"],
        delivery: "op_locatie",
        duration: "traject",
        price_model: "op_aanvraag",
        prices: None,
        evidence: None,
        co_creation_phases: &["co_design", "co_productie"],
        themes: &["kennis_vaardigheden"],
        published: false,
        shortlisted: None,
    },
];

/// The number of offerings the demo data holds (so a seeded market of N holds N in all).
pub const DEMO_OFFERING_COUNT: usize = DEMO_OFFERINGS.len();

impl DemoOffering {
    fn input(&self) -> OfferingInput {
        let strings = |codes: &[&str]| codes.iter().map(|c| (*c).to_owned()).collect();
        OfferingInput {
            title: self.title.into(),
            summary: self.summary.into(),
            description: self.description.into(),
            domain: self.domain.into(),
            service_type: self.service_type.into(),
            sectors: strings(self.sectors),
            regions: vec![
                "utrecht".into(),
                "noord_holland".into(),
                "gelderland".into(),
            ],
            formats: strings(self.formats),
            delivery: vec![self.delivery.into()],
            duration: self.duration.into(),
            price_model: self.price_model.into(),
            price_min_cents: self.prices.map(|(min, _)| min),
            price_max_cents: self.prices.map(|(_, max)| max),
            evidence_level: self.evidence.map_or("geen", |(level, _)| level).into(),
            evidence_sources: self
                .evidence
                .map(|(_, source)| vec![source.to_owned()])
                .unwrap_or_default(),
            co_creation_phases: strings(self.co_creation_phases),
            themes: strings(self.themes),
        }
    }
}

/// Fixed ids for the demo offerings (UUIDv7 of a fixed instant, numbered), so `edumarkt seed`
/// with the same seed gives the same offering ids every time, these included.
fn demo_offering_id(index: usize) -> OfferingId {
    // 2024-12-01T00:00:00Z: before any generated offering.
    const AT_MILLIS: u64 = 1_733_011_200_000;
    let mut random = [0u8; 10];
    random[9] = u8::try_from(index).unwrap_or(u8::MAX);
    uuid::Builder::from_unix_timestamp_millis(AT_MILLIS, &random)
        .into_uuid()
        .into()
}

/// Creates the demo provider's offerings as its admin would through the API (validated,
/// with their history), publishes most, and puts some on the school's shortlist.
async fn load_demo_world(
    conn: &mut AsyncPgConnection,
    provider_id: OrganizationId,
    provider_admin: UserId,
    school_id: OrganizationId,
    leader: UserId,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let mut shortlisted = Vec::new();
    for (index, demo) in DEMO_OFFERINGS.iter().enumerate() {
        let content = demo
            .input()
            .validate()
            .map(OfferingContent::from)
            .map_err(|e| anyhow::anyhow!("demo offering {:?} is invalid: {e:?}", demo.title))?;
        let mut offering = Offering::create(
            conn,
            demo_offering_id(index),
            provider_id,
            provider_admin,
            &content,
            now,
        )
        .await?;
        if demo.published {
            offering = Offering::move_to(conn, &offering, Status::Published, provider_admin, now)
                .await?
                .ok_or_else(|| anyhow::anyhow!("demo offering changed while publishing"))?;
        }
        if let Some(note) = demo.shortlisted {
            shortlisted.push((offering.id, Some(note.to_owned())));
        }
    }
    let list = Shortlist::insert(conn, leader, school_id, "Professionalisering 2027", now).await?;
    Shortlist::replace_items(conn, list.id, list.version, &shortlisted, now).await?;
    Ok(())
}

/// Loads the demo accounts, organisations, offerings and shortlist in one transaction.
pub async fn load_demo(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> anyhow::Result<()> {
    let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    conn.transaction::<_, anyhow::Error, _>(async |conn| {
        let mut ids = Vec::new();
        for demo in DEMO_USERS {
            let user = User::insert(
                conn,
                &NewUser {
                    id: UserId::generate(),
                    email: demo.email,
                    display_name: demo.name,
                    password_hash: &hash,
                    email_verified_at: Some(now),
                    is_moderator: demo.moderator,
                    created_at: now,
                    updated_at: now,
                },
            )
            .await?;
            ids.push(user.id);
        }
        let [
            _,
            board_officer,
            leader,
            teacher,
            coordinator,
            provider_admin,
            provider_editor,
        ] = ids[..]
        else {
            anyhow::bail!("expected {} demo users", DEMO_USERS.len());
        };
        let board = Organization::insert(
            conn,
            &NewOrganization {
                board_number: Some("41234".into()),
                sectors: vec!["po".into()],
                ..organization(
                    OrganizationKind::SchoolBoard,
                    "Stichting Openbaar Onderwijs Vechtstreek (demo)",
                    now,
                )
            },
        )
        .await?;
        let school = Organization::insert(
            conn,
            &NewOrganization {
                brin: Some("12AB".into()),
                board_number: Some("41234".into()),
                board_id: Some(board.id),
                sectors: vec!["po".into()],
                ..organization(OrganizationKind::School, "OBS De Regenboog (demo)", now)
            },
        )
        .await?;
        let network = Organization::insert(
            conn,
            &organization(
                OrganizationKind::Network,
                "Samenwerkingsverband Utrecht-West (demo)",
                now,
            ),
        )
        .await?;
        let provider = Organization::insert(
            conn,
            &NewOrganization {
                kvk_number: Some("12345678".into()),
                provider_kind: Some("commercieel".into()),
                sectors: vec!["po".into(), "vo".into()],
                website: Some("https://leerkracht-academie.example".into()),
                description: Some(
                    "Professionalisering van leraren en teams, van training tot traject.".into(),
                ),
                ..organization(
                    OrganizationKind::Provider,
                    "Leerkracht Academie (demo)",
                    now,
                )
            },
        )
        .await?;
        for (org, user, role) in [
            (board.id, board_officer, Role::BoardOfficer),
            (school.id, leader, Role::SchoolLeader),
            (school.id, teacher, Role::Teacher),
            (network.id, coordinator, Role::Coordinator),
            (provider.id, provider_admin, Role::ProviderAdmin),
            (provider.id, provider_editor, Role::ProviderEditor),
        ] {
            Membership::change(conn, org, user, Some(role), now).await?;
        }
        NetworkMember::add(conn, network.id, school.id, coordinator, now).await?;
        NetworkMember::add(conn, network.id, board.id, coordinator, now).await?;
        load_demo_world(conn, provider.id, provider_admin, school.id, leader, now).await?;
        Ok(())
    })
    .await
}
