//! Argon2id at OWASP's recommended parameters (19 MiB, two passes, one lane). Hashing takes tens
//! of milliseconds of CPU on purpose, so it runs on threads of its own, never an async worker:
//! one per core, kept for the process's life, and no more hashes at once than there are. On
//! the blocking pool every hash could land on another thread, whose allocator arena kept its
//! 19 MiB after it: a burst of 80 logins grew a server from 80 MiB to 1.4 GB, and with a turn
//! per core alone still to 680 MiB (`edumarkt bench load`, README).

use std::sync::mpsc::{SendError, Sender};
use std::sync::{Arc, LazyLock, Mutex};

use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};

/// Turns to hash or verify: one per core, as many as there are hasher threads, so a hash
/// never queues behind another on its thread.
static HASHING: LazyLock<tokio::sync::Semaphore> =
    LazyLock::new(|| tokio::sync::Semaphore::new(turns()));

fn turns() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

type Work = Box<dyn FnOnce() + Send>;

/// The hasher threads' queue. Should no thread start, the receiver is gone and every send
/// fails, which `in_turn` answers by hashing on the blocking pool instead.
static HASHERS: LazyLock<Sender<Work>> = LazyLock::new(|| {
    let (send, receive) = std::sync::mpsc::channel::<Work>();
    let receive = Arc::new(Mutex::new(receive));
    for i in 0..turns() {
        let receive = receive.clone();
        let started = std::thread::Builder::new()
            .name(format!("password-hasher-{i}"))
            .spawn(move || {
                loop {
                    let next = receive.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    let Ok(work) = next else { return };
                    // A panicking hash must not take the thread with it; its caller sees the
                    // answer channel closed.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
                }
            });
        if let Err(error) = started {
            tracing::error!(%error, "could not start a password hasher thread");
        }
    }
    send
});

/// Runs `work` on a hasher thread once a turn is free.
async fn in_turn<T: Send + 'static>(
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    let _turn = HASHING.acquire().await?;
    let (done, answer) = tokio::sync::oneshot::channel();
    let job: Work = Box::new(move || {
        let _ = done.send(work());
    });
    if let Err(SendError(job)) = HASHERS.send(job) {
        tokio::task::spawn_blocking(job).await?;
    }
    answer
        .await
        .map_err(|_| anyhow::anyhow!("the password hasher stopped before answering"))?
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
    async fn hashes_run_on_the_hasher_threads_which_outlive_a_panic() {
        async fn on_a_hasher_thread() -> bool {
            in_turn(|| Ok(std::thread::current().name().map(str::to_owned)))
                .await
                .unwrap()
                .is_some_and(|n| n.starts_with("password-hasher-"))
        }
        assert!(on_a_hasher_thread().await);
        // More panics than threads: had a panic ended its thread, none would be left and the
        // work would fall back to the blocking pool.
        for _ in 0..=turns() {
            let failed = in_turn::<()>(|| panic!("a hash that panics")).await;
            assert!(failed.is_err());
        }
        assert!(on_a_hasher_thread().await, "the hasher threads died");
        let hashed = hash("nog steeds".into()).await.unwrap();
        assert!(verify("nog steeds".into(), Some(hashed)).await.unwrap());
    }

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
