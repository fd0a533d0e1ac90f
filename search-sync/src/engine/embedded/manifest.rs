//! Which folder holds which named index. One small file maps every name to its folder and is
//! replaced atomically (written aside, synced, renamed), so a swap, which changes two names at
//! once, is all or nothing even across a crash; pointer files per name would need two writes.
//! Folders the manifest does not name (left by a crash between creating a folder and naming it,
//! or between unnaming one and deleting it) are removed when the engine opens.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::OrEngine;
use crate::error::SearchResult;

const FILE: &str = "indexes.json";
const FOLDER_PREFIX: &str = "index-";

#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Manifest {
    /// Index name → folder under the root.
    pub indexes: BTreeMap<String, String>,
}

impl Manifest {
    pub fn load(root: &Path) -> SearchResult<Manifest> {
        match fs::read(root.join(FILE)) {
            Ok(bytes) => serde_json::from_slice(&bytes).or_engine("reading the index manifest"),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
            Err(e) => Err(e).or_engine("reading the index manifest"),
        }
    }

    pub fn save(&self, root: &Path) -> SearchResult<()> {
        let json = serde_json::to_vec_pretty(self).or_engine("writing the index manifest")?;
        let aside = root.join(format!("{FILE}.new"));
        let mut file = fs::File::create(&aside).or_engine("writing the index manifest")?;
        file.write_all(&json)
            .and_then(|()| file.sync_all())
            .or_engine("writing the index manifest")?;
        fs::rename(&aside, root.join(FILE)).or_engine("replacing the index manifest")?;
        // The rename is durable only once the directory is.
        fs::File::open(root)
            .and_then(|dir| dir.sync_all())
            .or_engine("syncing the index folder")
    }

    /// Removes index folders no name points to. Only folders this engine names are touched:
    /// the root may be shared with other data.
    pub fn remove_orphans(&self, root: &Path) -> SearchResult<()> {
        for entry in fs::read_dir(root).or_engine("listing the index folder")? {
            let entry = entry.or_engine("listing the index folder")?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let named = self.indexes.values().any(|folder| *folder == name);
            if name.starts_with(FOLDER_PREFIX) && !named && entry.path().is_dir() {
                tracing::warn!(folder = %name, "removing an index folder no index name points to");
                fs::remove_dir_all(entry.path()).or_engine("removing an orphaned index")?;
            }
        }
        Ok(())
    }
}

/// A new folder name: the index's name at creation (for people looking at the disk; after a
/// swap the manifest, not the folder name, says which is which) and a unique suffix.
pub(super) fn new_folder(index: &str) -> String {
    let readable: String = index
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    format!(
        "{FOLDER_PREFIX}{readable}-{}",
        uuid::Uuid::now_v7().simple()
    )
}
