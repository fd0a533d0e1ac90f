//! Argon2id at OWASP's recommended parameters (19 MiB, two passes, one lane). Hashing takes tens
//! of milliseconds of CPU on purpose, so it runs on the blocking pool, not an async worker, and
//! no more hashes run at once than there are cores: more would only share the same cores while
//! each held its 19 MiB (a burst of 80 logins grew a server from 80 MiB to 1.4 GB, which the
//! allocator then kept; `edumarkt bench load`, README).

use std::sync::LazyLock;

use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};

/// Turns to hash or verify: one per core.
static HASHING: LazyLock<tokio::sync::Semaphore> =
    LazyLock::new(|| tokio::sync::Semaphore::new(turns()));

fn turns() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Runs `work` on the blocking pool once a turn is free.
async fn in_turn<T: Send + 'static>(
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    let _turn = HASHING.acquire().await?;
    tokio::task::spawn_blocking(work).await?
}

fn argon2() -> Argon2<'static> {
    // These constants are valid parameters; `Params::new` only rejects out-of-range values.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_else(|_| Params::default());
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub async fn hash(password: String) -> anyhow::Result<String> {
    in_turn(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await
}

/// A hash of a random password, verified against when an account does not exist, so a failed
/// login takes as long for an unknown e-mail as for a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(uuid::Uuid::now_v7().to_string().as_bytes(), &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
});

/// Whether `password` matches `stored`; with no stored hash, spends the same time and says no.
pub async fn verify(password: String, stored: Option<String>) -> anyhow::Result<bool> {
    in_turn(move || {
        let (hash, exists) = match stored {
            Some(h) => (h, true),
            None => (DUMMY_HASH.clone(), false),
        };
        let parsed = PasswordHash::new(&hash)
            .map_err(|e| anyhow::anyhow!("stored hash is malformed: {e}"))?;
        Ok(argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
            && exists)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn no_more_hashes_run_than_there_are_turns() {
        // How long one hash takes here, with a turn free.
        let started = std::time::Instant::now();
        hash("een keer".into()).await.unwrap();
        let once = started.elapsed();
        // Every turn, also those other tests are using (this waits for them).
        let all = u32::try_from(turns()).unwrap();
        let taken = HASHING.acquire_many(all).await.unwrap();
        let waiting = tokio::spawn(hash("wacht op je beurt".into()));
        // With every turn taken the hash does not start, however long it is given.
        tokio::time::sleep(once * 10).await;
        assert!(!waiting.is_finished(), "hashed without a turn");
        drop(taken);
        let hashed = waiting.await.unwrap().unwrap();
        assert!(
            verify("wacht op je beurt".into(), Some(hashed))
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let stored = hash("paarse fiets onder de brug".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            verify("paarse fiets onder de brug".into(), Some(stored.clone()))
                .await
                .unwrap()
        );
        assert!(
            !verify("paarse fiets onder de burg".into(), Some(stored))
                .await
                .unwrap()
        );
        assert!(!verify("anything".into(), None).await.unwrap());
    }
}
