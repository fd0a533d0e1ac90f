//! The database: the connection pool, the embedded migrations, the schema and the models.

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

/// Applies every pending migration; returns the versions applied.
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
        let connection = AsyncPgConnection::establish(&url).await?;
        let mut harness = AsyncMigrationHarness::new(connection);
        let applied = harness
            .run_pending_migrations(MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
        Ok(applied.iter().map(|v| v.to_string()).collect())
    })
    .await?
}
