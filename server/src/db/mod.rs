//! The database: the connection pool, the embedded migrations, the schema and the models.

pub mod enums;
pub mod explain;
pub mod ids;
pub mod models;
pub mod schema;

use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::{AsyncMigrationHarness, AsyncPgConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub type DbPool = Pool<AsyncPgConnection>;
pub type DbConn = Object<AsyncPgConnection>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations");

pub fn pool(database_url: &str, size: usize) -> anyhow::Result<DbPool> {
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(database_url);
    Ok(Pool::builder(manager).max_size(size).build()?)
}

/// Serialises migrations: several instances may start (and migrate) at once.
const MIGRATION_LOCK: i64 = 0x6564_756d_6967_7261;

/// Applies every pending migration; returns the versions applied. Holds a PostgreSQL advisory
/// lock meanwhile, so processes migrating one database at once take turns: the first applies
/// the migrations, the others then find none pending.
pub async fn migrate(database_url: &str) -> anyhow::Result<Vec<String>> {
    let url = database_url.to_owned();
    // The harness drives sync diesel through `block_in_place`, which needs a multi-threaded
    // runtime; give it one of its own so callers on any runtime (tests use current-thread ones)
    // can migrate.
    let (done, result) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let outcome = (|| -> anyhow::Result<Vec<String>> {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()?;
            runtime.block_on(async move { runtime_task(url).await })
        })();
        let _ = done.send(outcome);
    });
    result.await?
}

async fn runtime_task(url: String) -> anyhow::Result<Vec<String>> {
    tokio::spawn(async move {
        use diesel_async::AsyncConnection;
        use diesel_async::RunQueryDsl;
        let mut connection = AsyncPgConnection::establish(&url).await?;
        // Session-scoped: released when the harness drops the connection, however it ends.
        diesel::sql_query("SELECT pg_advisory_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(MIGRATION_LOCK)
            .execute(&mut connection)
            .await?;
        let mut harness = AsyncMigrationHarness::new(connection);
        let applied = harness
            .run_pending_migrations(MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
        Ok(applied.iter().map(|v| v.to_string()).collect())
    })
    .await?
}

#[cfg(test)]
mod tests {
    /// diesel keys applied migrations by the folder name's version prefix: two folders with one
    /// version (branches that each added a migration at the same minute) would leave one of them
    /// silently unapplied.
    #[test]
    fn every_migration_has_a_version_of_its_own() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
        let mut versions: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter_map(|name| name.split_once('_').map(|(version, _)| version.to_owned()))
            .collect();
        let count = versions.len();
        versions.sort();
        versions.dedup();
        assert_eq!(versions.len(), count, "versions: {versions:?}");
        assert!(count >= 12);
    }
}
