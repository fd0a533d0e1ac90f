//! Bulk imports from public registers: how schools and boards get onto the platform. The first
//! is DUO's register of school locations (`edumarkt import duo-schools`).

mod apply;
pub mod duo;

use std::fmt;

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;

use crate::domain::taxonomy::{self, SECTORS};
pub use duo::Rejected;
/// Re-exported so callers pass the very type the import reports progress on
/// (`ProgressBar::hidden()` where nobody watches).
pub use indicatif::ProgressBar;

/// Locations written per transaction: large enough that commits do not dominate, small enough
/// that a failure loses little and locks are held briefly.
pub const DEFAULT_BATCH_SIZE: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read the file: {0}")]
    Read(#[from] std::io::Error),
    #[error("the file has no header line")]
    NoHeader,
    #[error(
        "the header line lacks the column(s) {}; it has: {}",
        missing.join(", "),
        found.join(", ")
    )]
    MissingColumns {
        missing: Vec<&'static str>,
        found: Vec<String>,
    },
    #[error("unknown sector {0:?}; use one of: {codes}", codes = taxonomy::codes(SECTORS))]
    UnknownSector(String),
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Added to the sectors of every school and board in the file (a DUO file is per sector).
    pub sector: Option<&'static str>,
    /// Locations written per transaction.
    pub batch_size: usize,
    /// Written as `created_at` and `updated_at` of what the import creates or changes.
    pub now: DateTime<Utc>,
}

impl ImportOptions {
    /// Options with a sector code checked against the taxonomy (`po`, `so`, `vo`, `mbo`).
    pub fn new(sector: Option<&str>, now: DateTime<Utc>) -> Result<Self, ImportError> {
        let sector = match sector {
            None => None,
            Some(raw) => Some(
                SECTORS
                    .iter()
                    .find(|s| s.code == raw.trim().to_ascii_lowercase())
                    .ok_or_else(|| ImportError::UnknownSector(raw.to_owned()))?
                    .code,
            ),
        };
        Ok(Self {
            sector,
            batch_size: DEFAULT_BATCH_SIZE,
            now,
        })
    }
}

/// How many records an import created, changed and found as they were.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Self) {
        self.created += other.created;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} created, {} updated, {} unchanged",
            self.created, self.updated, self.unchanged
        )
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Data rows in the file (the header and rows of empty cells not counted).
    pub rows: u64,
    /// Rows written or found as they were: each is one location.
    pub imported: u64,
    pub boards: Counts,
    pub schools: Counts,
    pub locations: Counts,
    /// In the order of the file.
    pub rejected: Vec<Rejected>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} rows read: {} imported, {} rejected",
            self.rows,
            self.imported,
            self.rejected.len()
        )?;
        writeln!(f, "boards:    {}", self.boards)?;
        writeln!(f, "schools:   {}", self.schools)?;
        writeln!(f, "locations: {}", self.locations)?;
        if !self.rejected.is_empty() {
            writeln!(f, "rejected rows:")?;
            for rejected in &self.rejected {
                writeln!(f, "  line {}: {}", rejected.line, rejected.reason)?;
            }
        }
        Ok(())
    }
}

/// Creates or updates the school boards, schools and school locations of a DUO address file
/// (see `duo` for the layout). Rows that cannot be imported are listed in the report, by line;
/// the error is for a file that cannot be read or lacks required columns, or a database
/// failure (the batches written before it stay written: importing again finishes the job).
pub async fn import_duo_schools(
    conn: &mut AsyncPgConnection,
    mut reader: impl std::io::Read,
    options: &ImportOptions,
    progress: &ProgressBar,
) -> Result<ImportReport, ImportError> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes)?;
    let register = duo::parse(&bytes)?;
    progress.set_length(register.rows);
    progress.inc(register.rejected.len() as u64);
    let mut report = ImportReport {
        rows: register.rows,
        imported: register.accepted_rows(),
        ..ImportReport::default()
    };
    apply::apply(conn, &register, options, progress, &mut report).await?;
    report.rejected = register.rejected;
    Ok(report)
}
