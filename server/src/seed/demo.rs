//! Demo data: a small, fixed set of organisations and accounts to log in with (listed in the
//! README), loaded by `edumarkt up` into an empty database and by `edumarkt seed`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::auth::password;
use crate::db::models::membership::Membership;
use crate::db::models::network::NetworkMember;
use crate::db::models::organization::{NewOrganization, Organization};
use crate::db::models::user::{NewUser, User};
use crate::db::schema::users;
use crate::domain::Role;

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

fn organization(kind: &str, name: &str, now: DateTime<Utc>) -> NewOrganization {
    NewOrganization {
        id: Uuid::now_v7(),
        kind: kind.into(),
        name: name.into(),
        kvk_number: None,
        provider_kind: None,
        brin: None,
        board_number: None,
        board_id: None,
        sectors: vec![],
        province: Some("utrecht".into()),
        website: None,
        description: None,
        created_at: now,
        updated_at: now,
        regions: vec![],
        contact_email: None,
        contact_phone: None,
        denomination: None,
        city: None,
    }
}

/// Loads the demo accounts and organisations in one transaction.
pub async fn load_demo(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> anyhow::Result<()> {
    let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    conn.transaction::<_, anyhow::Error, _>(async |conn| {
        let mut ids = Vec::new();
        for demo in DEMO_USERS {
            let user = User::insert(
                conn,
                &NewUser {
                    id: Uuid::now_v7(),
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
                    "school_board",
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
                ..organization("school", "OBS De Regenboog (demo)", now)
            },
        )
        .await?;
        let network = Organization::insert(
            conn,
            &organization("network", "Samenwerkingsverband Utrecht-West (demo)", now),
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
                ..organization("provider", "Leerkracht Academie (demo)", now)
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
        Ok(())
    })
    .await
}
