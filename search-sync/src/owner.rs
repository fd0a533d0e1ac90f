//! A claim that lives exactly as long as the process that made it: an owner is a database
//! connection of its own (taken out of the pool) holding a session advisory lock on a random
//! token. Rows that name the token (an outbox row being sent, a rebuild's registration) count
//! only while that lock is held; when the process dies or drops the owner midway, the
//! connection closes, PostgreSQL releases the lock, and the rows are anyone's again at once: no
//! expiry to wait out, no clock to trust.

use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer};
use diesel_async::pooled_connection::deadpool::Object;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::error::{SearchError, SearchResult};
use crate::outbox::DbPool;

/// The first key of owner locks (the token is the second), apart from every other advisory
/// lock (those take one bigint key, a different key space).
pub(crate) const OWNER_CLASS: i32 = 0x6564_7573;

pub struct Owner {
    pub(crate) conn: AsyncPgConnection,
    pub(crate) token: i32,
}

impl Owner {
    /// A connection of its own holding the lock of a fresh token. Taken out of the pool so
    /// that dropping the owner closes the connection (a pooled one would return to the pool
    /// with the lock still held).
    pub async fn acquire(pool: &DbPool) -> SearchResult<Owner> {
        #[derive(QueryableByName)]
        struct Token {
            #[diesel(sql_type = Integer)]
            token: i32,
            #[diesel(sql_type = Bool)]
            got: bool,
        }
        let mut conn = Object::take(pool.get().await?);
        // A token another owner holds (or a dead one's a batch is just checking) is refused
        // by the try-lock; a few draws from 2^31 values always find a free one.
        for _ in 0..8 {
            let drawn: Token = diesel::sql_query(
                "SELECT token, pg_try_advisory_lock($1, token) AS got FROM \
                 (SELECT (floor(random() * 2147483646) + 1)::int AS token) AS drawn",
            )
            .bind::<Integer, _>(OWNER_CLASS)
            .get_result(&mut conn)
            .await?;
            if drawn.got {
                return Ok(Owner {
                    conn,
                    token: drawn.token,
                });
            }
        }
        Err(SearchError::Engine("no free owner token".into()))
    }
}

/// SQL that is true for a row whose owner (`column`) is gone: the owner's lock can be taken
/// (for the moment of the statement). Only for an expression of this crate's columns.
pub(crate) fn gone(column: &str) -> String {
    format!("pg_try_advisory_xact_lock({OWNER_CLASS}, {column})")
}
