//! Writes the records of a DUO file: the boards first, then the schools with their locations,
//! in transactions of about `batch_size` rows, so a large file neither holds one long
//! transaction nor pays a commit per row. Every record is compared with the stored row and
//! written only when it differs, so importing the same file again changes nothing.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::QueryResult;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use super::duo::{Register, School};
use super::{Counts, ImportOptions, ImportReport, ProgressBar};
use crate::db::models::organization::{NewOrganization, Organization, RegisterDetails};
use crate::db::models::school_location::SchoolLocation;
use crate::domain::OrganizationId;
use crate::domain::OrganizationKind;

pub(super) async fn apply(
    conn: &mut AsyncPgConnection,
    register: &Register,
    options: &ImportOptions,
    progress: &ProgressBar,
    report: &mut ImportReport,
) -> QueryResult<()> {
    let board_ids = write_boards(conn, register, options, report).await?;
    for batch in batches(&register.schools, options.batch_size) {
        let wanted: Vec<Wanted> = batch
            .iter()
            .map(|school| Wanted {
                key: school.brin.clone(),
                name: Some(school.name.clone()),
                board_number: Some(school.board_number.clone()),
                board_id: board_ids.get(&school.board_number).copied(),
                province: school.province.clone(),
                denomination: school.denomination.clone(),
                city: school.city.clone(),
                ..Wanted::default()
            })
            .collect();
        let (schools, locations) = conn
            .transaction::<_, diesel::result::Error, _>(async |conn| {
                let (schools, ids) =
                    reconcile(conn, OrganizationKind::School, &wanted, options).await?;
                let locations = reconcile_locations(conn, batch, &ids, options.now).await?;
                Ok((schools, locations))
            })
            .await?;
        report.schools += schools;
        report.locations += locations;
        progress.inc(batch.iter().map(|s| s.locations.len() as u64).sum());
    }
    Ok(())
}

/// The boards, before their schools refer to them; their ids by number.
async fn write_boards(
    conn: &mut AsyncPgConnection,
    register: &Register,
    options: &ImportOptions,
    report: &mut ImportReport,
) -> QueryResult<HashMap<String, OrganizationId>> {
    let mut board_ids = HashMap::new();
    for batch in register.boards.chunks(options.batch_size.max(1)) {
        let wanted: Vec<Wanted> = batch
            .iter()
            .map(|board| Wanted {
                key: board.number.clone(),
                name: board.name.clone(),
                placeholder: format!("Bevoegd gezag {}", board.number),
                board_number: Some(board.number.clone()),
                ..Wanted::default()
            })
            .collect();
        let (counts, ids) = conn
            .transaction::<_, diesel::result::Error, _>(async |conn| {
                reconcile(conn, OrganizationKind::SchoolBoard, &wanted, options).await
            })
            .await?;
        report.boards += counts;
        board_ids.extend(wanted.into_iter().map(|w| w.key).zip(ids));
    }
    Ok(board_ids)
}

/// Consecutive runs of whole schools with about `size` locations each, so a school and its
/// locations are written in one transaction.
fn batches(schools: &[School], size: usize) -> impl Iterator<Item = &[School]> {
    let mut rest = schools;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut rows = 0;
        let end = rest
            .iter()
            .position(|school| {
                rows += school.locations.len();
                rows >= size
            })
            .map_or(rest.len(), |last| last + 1);
        let (batch, after) = rest.split_at(end);
        rest = after;
        Some(batch)
    })
}

/// A school or board as the file describes it. `None` keeps what is stored: a file that lacks
/// a column (most lack BEVOEGD GEZAG NAAM) must not erase what an earlier file or the
/// organisation itself filled in.
#[derive(Default)]
struct Wanted {
    /// BRIN of a school, number of a board.
    key: String,
    name: Option<String>,
    /// The name of a new row when the file has none.
    placeholder: String,
    board_number: Option<String>,
    board_id: Option<OrganizationId>,
    province: Option<String>,
    denomination: Option<String>,
    city: Option<String>,
}

impl Wanted {
    /// What to store, given what is stored; the sector of the file is added to the sectors.
    fn details(&self, stored: Option<&Organization>, sector: Option<&str>) -> RegisterDetails {
        let mut details = stored.map_or_else(
            || RegisterDetails {
                name: self.placeholder.clone(),
                board_number: None,
                board_id: None,
                sectors: Vec::new(),
                province: None,
                denomination: None,
                city: None,
            },
            RegisterDetails::of,
        );
        if let Some(name) = &self.name {
            details.name.clone_from(name);
        }
        overwrite(&mut details.board_number, &self.board_number);
        overwrite(&mut details.board_id, &self.board_id);
        overwrite(&mut details.province, &self.province);
        overwrite(&mut details.denomination, &self.denomination);
        overwrite(&mut details.city, &self.city);
        if let Some(sector) = sector
            && !details.sectors.iter().any(|s| s == sector)
        {
            details.sectors.push(sector.to_owned());
        }
        details
    }
}

fn overwrite<T: Clone>(slot: &mut Option<T>, value: &Option<T>) {
    if value.is_some() {
        slot.clone_from(value);
    }
}

/// What to do with one record, by comparing it with the stored one.
enum Change {
    Create,
    Update,
    Keep,
}

impl Change {
    /// The change, and the id of the record: the stored one's or a new one.
    fn of<Id: From<Uuid>, T: PartialEq>(stored: Option<(Id, T)>, wanted: &T) -> (Self, Id) {
        match stored {
            None => (Change::Create, Id::from(Uuid::now_v7())),
            Some((id, details)) if details == *wanted => (Change::Keep, id),
            Some((id, _)) => (Change::Update, id),
        }
    }

    fn writes(&self) -> bool {
        !matches!(self, Change::Keep)
    }
}

impl Counts {
    fn count(&mut self, change: &Change) {
        match change {
            Change::Create => self.created += 1,
            Change::Update => self.updated += 1,
            Change::Keep => self.unchanged += 1,
        }
    }
}

/// Creates or updates the organisations of `kind`; their ids, in the order of `wanted`.
async fn reconcile(
    conn: &mut AsyncPgConnection,
    kind: OrganizationKind,
    wanted: &[Wanted],
    options: &ImportOptions,
) -> QueryResult<(Counts, Vec<OrganizationId>)> {
    let keys: Vec<&str> = wanted.iter().map(|w| w.key.as_str()).collect();
    let stored: HashMap<String, Organization> =
        Organization::lock_register_entries(conn, kind, &keys)
            .await?
            .into_iter()
            .filter_map(|o| {
                let key = match kind {
                    OrganizationKind::School => o.brin.clone(),
                    _ => o.board_number.clone(),
                };
                Some((key?, o))
            })
            .collect();
    let mut counts = Counts::default();
    let mut ids = Vec::with_capacity(wanted.len());
    let mut rows = Vec::new();
    for w in wanted {
        let existing = stored.get(&w.key);
        let details = w.details(existing, options.sector);
        let (change, id) = Change::of(existing.map(|o| (o.id, RegisterDetails::of(o))), &details);
        counts.count(&change);
        if change.writes() {
            rows.push(new_organization(id, kind, &w.key, details, options.now));
        }
        ids.push(id);
    }
    Organization::upsert_register_entries(conn, &rows).await?;
    Ok((counts, ids))
}

/// The row to insert, or (with a stored id) whose register details to write.
fn new_organization(
    id: OrganizationId,
    kind: OrganizationKind,
    key: &str,
    details: RegisterDetails,
    now: DateTime<Utc>,
) -> NewOrganization {
    NewOrganization {
        id,
        kind,
        name: details.name,
        kvk_number: None,
        provider_kind: None,
        brin: (kind == OrganizationKind::School).then(|| key.to_owned()),
        board_number: details.board_number,
        board_id: details.board_id,
        sectors: details.sectors,
        province: details.province,
        website: None,
        description: None,
        created_at: now,
        updated_at: now,
        regions: Vec::new(),
        contact_email: None,
        contact_phone: None,
        denomination: details.denomination,
        city: details.city,
    }
}

/// Creates or updates the locations of `schools`, whose ids are `school_ids` in the same order.
/// Locations the file does not list are left alone: a file may hold part of the register.
async fn reconcile_locations(
    conn: &mut AsyncPgConnection,
    schools: &[School],
    school_ids: &[OrganizationId],
    now: DateTime<Utc>,
) -> QueryResult<Counts> {
    let mut stored: HashMap<(OrganizationId, String), SchoolLocation> =
        SchoolLocation::lock_of_schools(conn, school_ids)
            .await?
            .into_iter()
            .map(|l| ((l.school_id, l.location_code.clone()), l))
            .collect();
    let mut counts = Counts::default();
    let mut rows = Vec::new();
    for (school, &school_id) in schools.iter().zip(school_ids) {
        for location in &school.locations {
            let details = location.details.clone();
            let existing = stored.remove(&(school_id, location.code.clone()));
            let (change, id) = Change::of(existing.map(|l| (l.id, l.details)), &details);
            counts.count(&change);
            if change.writes() {
                rows.push(SchoolLocation {
                    id,
                    school_id,
                    location_code: location.code.clone(),
                    details,
                    created_at: now,
                    updated_at: now,
                });
            }
        }
    }
    SchoolLocation::upsert_many(conn, &rows).await?;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::models::school_location::LocationDetails;
    use crate::import::duo::Location;

    fn school(brin: &str, locations: usize) -> School {
        let location = Location {
            code: "00".into(),
            details: LocationDetails {
                name: "x".into(),
                street: None,
                house_number: None,
                postcode: None,
                city: None,
                municipality: None,
                province: None,
            },
            line: 2,
        };
        School {
            brin: brin.into(),
            board_number: "1".into(),
            name: "x".into(),
            province: None,
            city: None,
            denomination: None,
            locations: vec![location; locations],
        }
    }

    #[test]
    fn batches_hold_whole_schools_of_about_the_size() {
        let schools = [
            school("01AA", 2),
            school("02AA", 2),
            school("03AA", 5),
            school("04AA", 1),
        ];
        let sizes: Vec<Vec<&str>> = batches(&schools, 4)
            .map(|b| b.iter().map(|s| s.brin.as_str()).collect())
            .collect();
        assert_eq!(
            sizes,
            vec![vec!["01AA", "02AA"], vec!["03AA"], vec!["04AA"]]
        );
        assert_eq!(batches(&[], 4).count(), 0);
        assert_eq!(batches(&schools, 0).count(), 4, "at least one school each");
    }

    #[test]
    fn missing_values_keep_what_is_stored_and_the_sector_is_added() {
        let board = Wanted {
            key: "41234".into(),
            placeholder: "Bevoegd gezag 41234".into(),
            board_number: Some("41234".into()),
            ..Wanted::default()
        };
        let created = board.details(None, Some("po"));
        assert_eq!(created.name, "Bevoegd gezag 41234");
        assert_eq!(created.sectors, vec!["po"]);
        let stored = Organization {
            id: OrganizationId::generate(),
            kind: OrganizationKind::SchoolBoard,
            name: "Stichting Linde".into(),
            kvk_number: None,
            provider_kind: None,
            brin: None,
            board_number: Some("41234".into()),
            board_id: None,
            sectors: vec!["po".into()],
            province: Some("utrecht".into()),
            website: None,
            description: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 3,
            regions: Vec::new(),
            contact_email: None,
            contact_phone: None,
            denomination: None,
            city: None,
        };
        assert_eq!(
            board.details(Some(&stored), Some("po")),
            RegisterDetails::of(&stored),
            "nothing to write"
        );
        let with_vo = board.details(Some(&stored), Some("vo"));
        assert_eq!(with_vo.name, "Stichting Linde");
        assert_eq!(with_vo.province.as_deref(), Some("utrecht"));
        assert_eq!(with_vo.sectors, vec!["po", "vo"]);
    }
}
