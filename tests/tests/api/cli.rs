//! The `edumarkt` program itself: `up` on a fresh folder, a second `up` on the same folder, and a
//! clean stop on SIGTERM.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_edumarkt-e2e"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(dir: &Path, port: u16) -> Child {
    Command::new(binary())
        .args(["up", "--data-dir"])
        .arg(dir)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .env_remove("DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the edumarkt binary is built alongside the tests")
}

async fn wait_ready(port: u16, child: &mut Child) -> Duration {
    let started = Instant::now();
    let client = reqwest::Client::new();
    loop {
        if let Ok(response) = client
            .get(format!("http://127.0.0.1:{port}/health/ready"))
            .send()
            .await
            && response.status() == 200
        {
            return started.elapsed();
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "edumarkt up exited early"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "edumarkt up was not ready within two minutes"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn stop(mut child: Child) -> std::process::ExitStatus {
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "edumarkt up did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn up_serves_demo_data_and_a_second_up_reuses_the_folder() {
    let dir = std::env::temp_dir().join(format!("edumarkt-up-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let port = free_port();
    let mut first = start(&dir, port);
    wait_ready(port, &mut first).await;
    let client = reqwest::Client::new();
    let login = client
        .post(format!("http://127.0.0.1:{port}/v1/auth/login"))
        .json(&serde_json::json!({"email": "schoolleider@edumarkt.demo", "password": edumarkt_server::seed::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        login.status(),
        200,
        "the demo accounts of the README log in"
    );
    // A registration writes its verification mail into the folder as an .eml file.
    client
        .post(format!("http://127.0.0.1:{port}/v1/auth/register"))
        .json(&serde_json::json!({"email": "nieuw@school.nl", "password": "stevige paarse fiets 42", "display_name": "Nieuw"}))
        .send()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::fs::read_dir(dir.join("mail"))
        .map(|d| d.count())
        .unwrap_or(0)
        == 0
    {
        assert!(Instant::now() < deadline, "no .eml file was written");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(stop(first).success(), "a clean exit on SIGTERM");
    assert!(
        !dir.join("pg/data/postmaster.pid").exists(),
        "PostgreSQL was stopped too"
    );

    let secret = std::fs::read_to_string(dir.join("jwt-secret")).unwrap();
    let mut second = start(&dir, port);
    wait_ready(port, &mut second).await;
    assert_eq!(
        std::fs::read_to_string(dir.join("jwt-secret")).unwrap(),
        secret,
        "the secret is kept"
    );
    let again = client
        .post(format!("http://127.0.0.1:{port}/v1/auth/login"))
        .json(
            &serde_json::json!({"email": "nieuw@school.nl", "password": "stevige paarse fiets 42"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.status(),
        403,
        "the account registered in the first run is still there (unverified)"
    );
    assert!(stop(second).success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_moderator_command_grants_and_revokes_the_role() {
    let app = crate::helpers::spawn_app().await;
    let user = app.user("mod@edumarkt.nl").await;
    let run = |action: &str| {
        Command::new(binary())
            .args(["moderator", action, "MOD@edumarkt.nl"])
            .env("DATABASE_URL", &app.database_url)
            .output()
            .unwrap()
    };
    assert!(run("grant").status.success());
    let me: serde_json::Value = app
        .get("/v1/me", Some(&user.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["is_moderator"], true);
    assert!(run("revoke").status.success());
    let me: serde_json::Value = app
        .get("/v1/me", Some(&user.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["is_moderator"], false);
    let unknown = Command::new(binary())
        .args(["moderator", "grant", "nobody@edumarkt.nl"])
        .env("DATABASE_URL", &app.database_url)
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no account"));
}

#[test]
fn serve_names_a_missing_setting_and_stops() {
    let output = Command::new(binary())
        .arg("serve")
        .env_clear()
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("DATABASE_URL is required"));
    let malformed = Command::new(binary())
        .arg("serve")
        .env_clear()
        .env("DATABASE_URL", "postgres://x@localhost/y")
        .env("EDUMARKT_JWT_SECRET", "too-short")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&malformed.stderr);
    assert!(
        stderr.contains("EDUMARKT_JWT_SECRET is malformed"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("too-short"),
        "the secret itself is not printed"
    );
}
