//! A private PostgreSQL cluster, so that `edumarkt up` and the end-to-end tests work on a
//! machine that has the PostgreSQL server installed but no database set up for us.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, lchown};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{Signal, kill};
use nix::unistd::{Pid, Uid, User};
use rand::{Rng, distributions::Alphanumeric};
use tokio_postgres::{NoTls, error::SqlState};
use tracing::info;

/// Every message says what to do next, since `edumarkt up` shows it to the user as is.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "no PostgreSQL server binaries (initdb, postgres) found on PATH, via pg_config or under \
         /usr/lib/postgresql: install the PostgreSQL server (`apt-get install postgresql` on \
         Debian/Ubuntu) or set DATABASE_URL to an existing server"
    )]
    NoBinaries,
    #[error(
        "running as root, which PostgreSQL refuses, and there is no `postgres` account to run \
         it as: create one (`adduser --system --group postgres`), run as an ordinary user, or \
         set DATABASE_URL to an existing server"
    )]
    NoPostgresUser,
    #[error(
        "the `postgres` account cannot reach {0} because a parent folder is closed to it: \
         `chmod o+x` the parent folders, use a folder elsewhere, or set DATABASE_URL"
    )]
    Unreachable(PathBuf),
    #[error("could not {what}: {source}")]
    Io { what: String, source: io::Error },
    #[error("initdb failed for {0}:\n{1}")]
    Initdb(PathBuf, String),
    #[error(
        "the PostgreSQL cluster in {dir} is in use by process {pid} (another `edumarkt up` on \
         the same folder?): stop that or use another folder"
    )]
    InUse { dir: PathBuf, pid: i32 },
    #[error("PostgreSQL exited while starting; the last lines of {0}:\n{1}")]
    Exited(PathBuf, String),
    #[error("PostgreSQL did not accept connections within 30 s; see {0}")]
    Timeout(PathBuf),
    #[error("the password in {0} is not the cluster's: restore it, or delete the folder")]
    WrongPassword(PathBuf),
    #[error("PostgreSQL (process {0}) did not shut down; kill it by hand")]
    StillRunning(u32),
}

fn io_err(what: impl std::fmt::Display) -> impl FnOnce(io::Error) -> ClusterError {
    let what = what.to_string();
    move |source| ClusterError::Io { what, source }
}

/// Tuning that trades durability for speed, which only throwaway test clusters may do.
#[derive(Debug, Clone, Copy)]
pub struct ClusterOptions {
    /// Off makes the test suite much faster, at the price of a corrupt cluster after a power
    /// loss or kernel crash.
    pub fsync: bool,
}

/// A postmaster that we own: it is shut down when this is stopped or dropped, and also if our
/// process dies, so that no orphaned server keeps the folder and a port busy.
pub struct PrivateCluster {
    port: u16,
    password: String,
    /// `None` once reaped; until then its PID cannot be reused, so signalling by PID is safe.
    child: Option<Child>,
    /// Ends the thread that forked the postmaster (whose exit would fire PR_SET_PDEATHSIG),
    /// or hands it a child that will not stop so that it is still reaped.
    keeper: Option<mpsc::Sender<Child>>,
}

impl PrivateCluster {
    /// Start (initdb on first use) the cluster whose files live in `dir` (e.g. `.edumarkt/pg`).
    pub async fn start(dir: &Path) -> Result<PrivateCluster, ClusterError> {
        Self::start_with(dir, ClusterOptions { fsync: true }).await
    }

    /// Like [`PrivateCluster::start`], for callers (tests) that may give up durability.
    pub async fn start_with(dir: &Path, opts: ClusterOptions) -> Result<Self, ClusterError> {
        let bin = discover()?;
        fs::create_dir_all(dir).map_err(io_err(format!("create {}", dir.display())))?;
        // Absolute, because the server runs in another working directory, maybe as another user.
        let dir = dir
            .canonicalize()
            .map_err(io_err(format!("resolve {}", dir.display())))?;
        let run_as = if Uid::effective().is_root() {
            let user = User::from_name("postgres").ok().flatten();
            let user = user.ok_or(ClusterError::NoPostgresUser)?;
            let ids = (user.uid.as_raw(), user.gid.as_raw());
            if !dir.ancestors().skip(1).all(|a| searchable(a, ids)) {
                return Err(ClusterError::Unreachable(dir));
            }
            Some(ids)
        } else {
            None
        };
        let data = dir.join("data");
        check_not_running(&data).await?;
        let password = password(&dir)?;
        if let Some((uid, gid)) = run_as {
            chown_tree(&dir, uid, gid).map_err(io_err(format!("chown {}", dir.display())))?;
        }
        if !data.join("PG_VERSION").exists() {
            initdb(&bin, &dir, opts, run_as).await?;
        }
        let log_path = dir.join("postgres.log");
        for attempt in 1.. {
            let mut log = fs::OpenOptions::new();
            let log = log.create(true).append(true).mode(0o600).open(&log_path);
            let log = log.map_err(io_err(format!("open {}", log_path.display())))?;
            let log_start = log.metadata().map_or(0, |m| m.len()) as usize;
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| Ok(l.local_addr()?.port()))
                .map_err(io_err("find a free port on 127.0.0.1"))?;
            info!(data_dir = %data.display(), port, "starting PostgreSQL");
            let cmd = server_command(&bin, &dir, port, opts, run_as, &log);
            let (child, keeper) = spawn_kept(cmd?).map_err(io_err("run postgres"))?;
            let (child, keeper, password) = (Some(child), Some(keeper), password.clone());
            let mut cluster = PrivateCluster {
                port,
                password,
                child,
                keeper,
            };
            if cluster.wait_ready(&dir).await? {
                return Ok(cluster);
            }
            let log = fs::read(&log_path).unwrap_or_default();
            let log = String::from_utf8_lossy(log.get(log_start..).unwrap_or_default());
            // Another program may take the port between our probe and the server's bind,
            // and the backends of a killed postmaster take a moment to release its memory.
            let transient = ["Address already in use", "is still in use"];
            if attempt < 5 && transient.iter().any(|t| log.contains(t)) {
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
            let lines: Vec<&str> = log.lines().collect();
            let tail = lines[lines.len().saturating_sub(20)..].join("\n");
            return Err(ClusterError::Exited(log_path, tail));
        }
        unreachable!("the start loop returns")
    }

    /// postgres://edumarkt:<password>@127.0.0.1:<port>/<database>
    pub fn database_url(&self, database: &str) -> String {
        database_url(&self.password, self.port, database)
    }

    /// Chosen afresh at each start, so callers must not remember it across runs.
    pub fn port(&self) -> u16 {
        self.port
    }

    #[cfg(test)]
    fn pid(&self) -> i32 {
        self.child.as_ref().map_or(0, |c| c.id() as i32)
    }

    /// Fast shutdown (SIGINT to the postmaster) and wait for it to exit.
    ///
    /// After a minute it escalates to an immediate shutdown (SIGQUIT, recovered from at the
    /// next start), so that a stuck checkpoint cannot hang `edumarkt up` on its way out.
    pub async fn stop(mut self) -> Result<(), ClusterError> {
        let steps = [(Signal::SIGINT, 60), (Signal::SIGQUIT, 10)];
        let stopped = tokio::task::spawn_blocking(move || self.shutdown(&steps)).await;
        stopped.map_err(|e| io_err("wait for PostgreSQL to stop")(io::Error::other(e)))?
    }

    /// Ok(false) if the server exited instead of becoming ready.
    async fn wait_ready(&mut self, dir: &Path) -> Result<bool, ClusterError> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let url = self.database_url("postgres");
        while matches!(self.child.as_mut().map(Child::try_wait), Some(Ok(None))) {
            let attempt = tokio_postgres::connect(&url, NoTls);
            match tokio::time::timeout(Duration::from_secs(1), attempt).await {
                Ok(Ok((client, connection))) => {
                    drop(client);
                    let _ = connection.await;
                    return Ok(true);
                }
                Ok(Err(e)) if e.code() == Some(&SqlState::INVALID_PASSWORD) => {
                    return Err(ClusterError::WrongPassword(dir.join("password")));
                }
                _ if Instant::now() > deadline => {
                    return Err(ClusterError::Timeout(dir.join("postgres.log")));
                }
                _ => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
        self.child = None;
        Ok(false)
    }

    /// Blocking, so that Drop can use it too; each step is a signal and seconds of patience.
    fn shutdown(&mut self, steps: &[(Signal, u64)]) -> Result<(), ClusterError> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        for &(signal, patience) in steps {
            let deadline = Instant::now() + Duration::from_secs(patience);
            let _ = kill(Pid::from_raw(child.id() as i32), signal);
            while matches!(child.try_wait(), Ok(None)) {
                if Instant::now() > deadline {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            if !matches!(child.try_wait(), Ok(None)) {
                return Ok(());
            }
        }
        let pid = child.id();
        if let Some(keeper) = &self.keeper {
            let _ = keeper.send(child);
        }
        Err(ClusterError::StillRunning(pid))
    }
}

fn database_url(password: &str, port: u16, database: &str) -> String {
    format!("postgres://edumarkt:{password}@127.0.0.1:{port}/{database}")
}

/// A cluster that another process (a running `edumarkt up`) started in a folder, found from
/// its postmaster.pid (which names the port) and the password file beside it, so that the other
/// commands can work on the same database while it runs.
pub struct RunningCluster {
    port: u16,
    password: String,
}

impl RunningCluster {
    /// The cluster in `dir` if a live postmaster serves it and says it is ready.
    pub fn find(dir: &Path) -> Option<RunningCluster> {
        let pid_file = PidFile::read(&dir.join("data"))?;
        if !(pid_file.is_live_postmaster() && pid_file.status == "ready") {
            return None;
        }
        let password = fs::read_to_string(dir.join("password")).ok()?;
        Some(RunningCluster {
            port: pid_file.port?,
            password: password.trim().to_owned(),
        })
    }

    pub fn database_url(&self, database: &str) -> String {
        database_url(&self.password, self.port, database)
    }
}

/// What postmaster.pid says: its PID on the first line, the port on the fourth and the
/// server's state ("starting", "ready", "stopping") on the eighth.
struct PidFile {
    pid: Option<i32>,
    port: Option<u16>,
    status: String,
}

impl PidFile {
    fn read(data: &Path) -> Option<PidFile> {
        let text = fs::read_to_string(data.join("postmaster.pid")).ok()?;
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        let line = |n: usize| lines.get(n).copied().unwrap_or_default();
        Some(PidFile {
            pid: line(0).parse().ok(),
            port: line(3).parse().ok(),
            status: line(7).to_owned(),
        })
    }

    /// A crash leaves the file behind, and its PID may since belong to an unrelated process;
    /// only a live postgres counts.
    fn is_live_postmaster(&self) -> bool {
        let Some(pid) = self.pid.filter(|&pid| pid > 0) else {
            return false;
        };
        let alive = kill(Pid::from_raw(pid), None) != Err(Errno::ESRCH);
        let comm = fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        alive && !is_zombie(pid) && matches!(comm.trim(), "postgres" | "postmaster")
    }
}

impl Drop for PrivateCluster {
    /// A missed stop (or an error path) must not leave a server holding the folder; the wait
    /// is short because Drop blocks whatever thread runs it.
    fn drop(&mut self) {
        let _ = self.shutdown(&[(Signal::SIGINT, 5)]);
    }
}

fn discover() -> Result<PathBuf, ClusterError> {
    let pg_config = Command::new("pg_config")
        .arg("--bindir")
        .stderr(Stdio::null())
        .output();
    let pg_config = pg_config.ok().filter(|o| o.status.success());
    let pg_config = pg_config.map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let path = std::env::var_os("PATH");
    find_binaries(
        path.as_deref(),
        pg_config.as_deref(),
        "/usr/lib/postgresql".as_ref(),
    )
}

/// Takes the environment as arguments so that tests can try environments without ours.
pub(crate) fn find_binaries(
    path: Option<&OsStr>,
    pg_config_bindir: Option<&Path>,
    server_root: &Path,
) -> Result<PathBuf, ClusterError> {
    let complete = |d: &Path| d.join("initdb").is_file() && d.join("postgres").is_file();
    let mut on_path = path.into_iter().flat_map(std::env::split_paths);
    if let Some(d) = on_path.find(|d| d.join("initdb").is_file()) {
        // A lone initdb symlink (e.g. in /usr/local/bin) still leads to its real folder.
        let real = d.join("initdb").canonicalize().ok();
        let real = real.and_then(|p| Some(p.parent()?.to_path_buf()));
        if let Some(found) = [Some(d), real].into_iter().flatten().find(|d| complete(d)) {
            return Ok(found);
        }
    }
    if let Some(d) = pg_config_bindir.filter(|d| complete(d)) {
        return Ok(d.to_path_buf());
    }
    let version = |name: &OsStr| -> Option<Vec<u32>> {
        name.to_str()?.split('.').map(|p| p.parse().ok()).collect()
    };
    let versions = fs::read_dir(server_root).into_iter().flatten().flatten();
    let versions = versions.filter_map(|e| Some((version(&e.file_name())?, e.path().join("bin"))));
    let best = versions.filter(|(_, bin)| complete(bin)).max();
    best.map(|(_, bin)| bin).ok_or(ClusterError::NoBinaries)
}

/// Follows the kernel's owner, group, other precedence; the server has no supplementary groups.
fn searchable(dir: &Path, (uid, gid): (u32, u32)) -> bool {
    let Ok(m) = fs::metadata(dir) else {
        return false;
    };
    let bit = match (m.uid() == uid, m.gid() == gid) {
        (true, _) => 0o100,
        (_, true) => 0o010,
        _ => 0o001,
    };
    m.mode() & bit != 0
}

fn is_zombie(pid: i32) -> bool {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit_once(") ")
        .is_some_and(|(_, rest)| rest.starts_with('Z'))
}

/// A postmaster on its way out (its owner was killed, which sends it SIGINT, see
/// `die_with_parent`) is waited for, up to `SHUTDOWN_PATIENCE`, rather than reported as in use:
/// `edumarkt up` started again right after a crash must not fail for it.
async fn check_not_running(data: &Path) -> Result<(), ClusterError> {
    let pid_file = data.join("postmaster.pid");
    let Some(mut state) = PidFile::read(data) else {
        return Ok(());
    };
    let in_use = |pid| ClusterError::InUse {
        dir: data.parent().unwrap_or(data).into(),
        pid,
    };
    let deadline = Instant::now() + SHUTDOWN_PATIENCE;
    while state.is_live_postmaster() {
        let pid = state.pid.unwrap_or_default();
        if !(state.status == "stopping" || orphaned(pid)) || Instant::now() > deadline {
            return Err(in_use(pid));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        match PidFile::read(data) {
            Some(next) => state = next,
            // It removes the file as its last act.
            None => return Ok(()),
        }
    }
    // Removing the file also disarms PostgreSQL's own guard against backends that outlive a
    // killed postmaster, so look for them here: they all work in the data folder.
    let deadline = Instant::now() + Duration::from_secs(5);
    let real_data = data.canonicalize().unwrap_or(data.to_path_buf());
    while let Some(pid) = processes_in(&real_data).next() {
        if Instant::now() > deadline {
            return Err(in_use(pid));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    info!(pid_file = %pid_file.display(), "removing the pid file of a stopped PostgreSQL");
    fs::remove_file(&pid_file).map_err(io_err(format!("remove {}", pid_file.display())))
}

/// How long a start waits for the postmaster of a killed owner to finish shutting down; a
/// fast shutdown writes a checkpoint, which takes seconds on a busy machine.
const SHUTDOWN_PATIENCE: Duration = Duration::from_secs(60);

/// Whether `pid`'s parent is gone (it was reparented to init): a postmaster whose owner was
/// killed, in the moment before it acts on the SIGINT that the owner's death sends it.
fn orphaned(pid: i32) -> bool {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let parent = stat
        .rsplit_once(") ")
        .and_then(|(_, rest)| rest.split(' ').nth(1));
    parent == Some("1")
}

fn processes_in(dir: &Path) -> impl Iterator<Item = i32> {
    let procs = fs::read_dir("/proc").into_iter().flatten().flatten();
    let pids = procs.filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok());
    let cwd_is_dir = move |pid| fs::read_link(format!("/proc/{pid}/cwd")).is_ok_and(|d| d == dir);
    pids.filter(move |&pid| cwd_is_dir(pid) && !is_zombie(pid))
}

/// Kept across starts, because initdb stored it in the cluster as the superuser's password.
fn password(dir: &Path) -> Result<String, ClusterError> {
    let file = dir.join("password");
    match fs::read_to_string(&file) {
        Ok(p) if !p.trim().is_empty() => return Ok(p.trim().to_owned()),
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            return Err(io_err(format!("read {}", file.display()))(e));
        }
        _ => {}
    }
    let password: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect();
    let mut out = fs::OpenOptions::new();
    let out = out
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&file);
    let written = out.and_then(|mut f| f.write_all(password.as_bytes()));
    written.map_err(io_err(format!("write {}", file.display())))?;
    Ok(password)
}

/// lchown, so that a symlink planted in the folder cannot redirect the chown elsewhere.
fn chown_tree(path: &Path, uid: u32, gid: u32) -> io::Result<()> {
    lchown(path, Some(uid), Some(gid))?;
    if fs::symlink_metadata(path)?.is_dir() {
        for entry in fs::read_dir(path)? {
            chown_tree(&entry?.path(), uid, gid)?;
        }
    }
    Ok(())
}

async fn initdb(
    bin: &Path,
    dir: &Path,
    opts: ClusterOptions,
    run_as: Option<(u32, u32)>,
) -> Result<(), ClusterError> {
    info!(dir = %dir.display(), "initialising a new PostgreSQL cluster");
    let data = dir.join("data");
    let mut pwfile = OsString::from("--pwfile=");
    pwfile.push(dir.join("password"));
    let mut output = String::new();
    // C.UTF-8 sorts by code point yet knows UTF-8 character classes; not every libc has it.
    for locale in ["--locale=C.UTF-8", "--locale=C"] {
        // Without PG_VERSION this is what an interrupted initdb left, which initdb refuses.
        if data.exists() {
            fs::remove_dir_all(&data).map_err(io_err(format!("remove {}", data.display())))?;
        }
        let mut cmd = tokio::process::Command::new(bin.join("initdb"));
        cmd.arg("-D")
            .arg(&data)
            .arg(&pwfile)
            .arg(locale)
            .arg("--encoding=UTF8");
        cmd.args(["--auth=scram-sha-256", "--username=edumarkt"]);
        cmd.args((!opts.fsync).then_some("--no-sync"));
        cmd.current_dir(dir).stdin(Stdio::null()).kill_on_drop(true);
        if let Some((uid, gid)) = run_as {
            cmd.uid(uid).gid(gid);
        }
        let out = cmd.output().await.map_err(io_err("run initdb"))?;
        if out.status.success() {
            return Ok(());
        }
        let (stdout, stderr) = (&out.stdout, &out.stderr);
        output = String::from_utf8_lossy(stdout).into_owned() + &String::from_utf8_lossy(stderr);
        if !output.contains("locale") {
            break;
        }
    }
    Err(ClusterError::Initdb(data, output))
}

fn server_command(
    bin: &Path,
    dir: &Path,
    port: u16,
    opts: ClusterOptions,
    run_as: Option<(u32, u32)>,
    log: &fs::File,
) -> Result<Command, ClusterError> {
    let mut cmd = Command::new(bin.join("postgres"));
    cmd.arg("-D")
        .arg(dir.join("data"))
        .arg("-p")
        .arg(port.to_string());
    // No Unix socket: /run/postgresql may be closed to us, and nothing else should find this.
    let fsync = if opts.fsync { "fsync=on" } else { "fsync=off" };
    let settings = ["listen_addresses=127.0.0.1", "unix_socket_directories="];
    for setting in settings
        .into_iter()
        .chain(["max_connections=200", "shared_buffers=128MB"])
    {
        cmd.arg("-c").arg(setting);
    }
    cmd.arg("-c")
        .arg(fsync)
        .current_dir(dir)
        .stdin(Stdio::null());
    // Never our stdout/stderr: a CI harness waits until every holder of its pipes has exited.
    let log_fd = || log.try_clone().map_err(io_err("share the log file"));
    cmd.stdout(log_fd()?).stderr(log_fd()?);
    if let Some((uid, gid)) = run_as {
        cmd.uid(uid).gid(gid);
    }
    die_with_parent(&mut cmd, Signal::SIGINT);
    Ok(cmd)
}

/// Without this, a killed `edumarkt up` or test binary would leave the postmaster running (and a
/// killed `bench load` its server): the child gets `signal` when we die.
#[allow(unsafe_code)]
pub(crate) fn die_with_parent(cmd: &mut Command, signal: Signal) {
    // SAFETY: the hook runs in the forked child before exec, where only async-signal-safe
    // calls are sound; it makes one prctl(2) system call and neither allocates nor locks.
    // std runs it after setuid, which would otherwise clear the parent-death signal.
    unsafe {
        cmd.pre_exec(move || Ok(nix::sys::prctl::set_pdeathsig(signal)?));
    }
}

/// PR_SET_PDEATHSIG fires when the forking *thread* exits, so fork from a thread that outlives
/// the child rather than from a tokio worker, which the runtime may retire at any time. Dropping
/// the sender ends that thread (and so signals a child still running).
pub(crate) fn spawn_kept(mut cmd: Command) -> io::Result<(Child, mpsc::Sender<Child>)> {
    let (spawned_tx, spawned_rx) = mpsc::channel();
    let (keep_tx, keep_rx) = mpsc::channel::<Child>();
    std::thread::Builder::new()
        .name("child-keeper".into())
        .spawn(move || {
            let _ = spawned_tx.send(cmd.spawn());
            if let Ok(mut child) = keep_rx.recv() {
                let _ = child.wait();
            }
        })?;
    let child = spawned_rx.recv().map_err(io::Error::other)??;
    Ok((child, keep_tx))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    const FAST: ClusterOptions = ClusterOptions { fsync: false };

    /// tempfile makes 0700 folders, which the `postgres` account cannot enter when we run as
    /// root; the cluster goes one level down to exercise the folder creation too.
    fn scratch() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let dir = tmp.path().join("pg");
        (tmp, dir)
    }

    async fn query(cluster: &PrivateCluster, sql: &str) -> Vec<String> {
        let url = cluster.database_url("postgres");
        let (client, connection) = tokio_postgres::connect(&url, NoTls).await.unwrap();
        tokio::spawn(connection);
        let rows = client.simple_query(sql).await.unwrap().into_iter();
        let rows = rows.filter_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(row) => Some(row.get(0)?.to_owned()),
            _ => None,
        });
        rows.collect()
    }

    const CREATE: &str = "CREATE TABLE t (v text); INSERT INTO t VALUES ('kept')";

    #[tokio::test]
    async fn restart_keeps_data_and_password() {
        let (_tmp, dir) = scratch();
        let cluster = PrivateCluster::start_with(&dir, FAST).await.unwrap();
        assert_eq!(query(&cluster, "SELECT 1").await, ["1"]);
        query(&cluster, CREATE).await;
        let password = fs::read_to_string(dir.join("password")).unwrap();
        assert_eq!(password.len(), 32);
        let mode = fs::metadata(dir.join("password")).unwrap().mode();
        assert_eq!(mode & 0o777, 0o600);
        cluster.stop().await.unwrap();
        assert!(!dir.join("data/postmaster.pid").exists());

        let cluster = PrivateCluster::start_with(&dir, FAST).await.unwrap();
        assert_eq!(fs::read_to_string(dir.join("password")).unwrap(), password);
        assert!(cluster.database_url("x").contains(&password));
        assert_eq!(query(&cluster, "SELECT v FROM t").await, ["kept"]);
        cluster.stop().await.unwrap();
    }

    #[tokio::test]
    async fn recovers_after_the_postmaster_is_killed() {
        let (_tmp, dir) = scratch();
        let cluster = PrivateCluster::start_with(&dir, FAST).await.unwrap();
        query(&cluster, CREATE).await;
        let pid = cluster.pid();
        kill(Pid::from_raw(pid), Signal::SIGKILL).unwrap();
        // Leaves an unreaped zombie behind, like a parent that hangs after a crash.
        std::mem::forget(cluster);
        // SIGKILL takes effect when the target is next scheduled, which a busy machine delays.
        while !is_zombie(pid) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(dir.join("data/postmaster.pid").exists());

        let cluster = PrivateCluster::start_with(&dir, FAST).await.unwrap();
        assert_eq!(query(&cluster, "SELECT v FROM t").await, ["kept"]);
        cluster.stop().await.unwrap();
    }

    #[tokio::test]
    async fn second_start_on_a_running_cluster_is_refused() {
        let (_tmp, dir) = scratch();
        let cluster = PrivateCluster::start_with(&dir, FAST).await.unwrap();
        match PrivateCluster::start_with(&dir, FAST).await {
            Err(ClusterError::InUse { pid, .. }) => assert_eq!(pid, cluster.pid()),
            other => panic!("expected InUse, got {:?}", other.map(|c| c.port())),
        }
        // The refused start must leave the running one alone.
        assert_eq!(query(&cluster, "SELECT 1").await, ["1"]);
        cluster.stop().await.unwrap();
    }

    #[test]
    fn missing_binaries_say_what_to_do() {
        let err = find_binaries(None, None, Path::new("/nonexistent")).unwrap_err();
        assert!(matches!(err, ClusterError::NoBinaries));
        let message = err.to_string();
        assert!(message.contains("DATABASE_URL") && message.contains("apt-get install postgresql"));
    }

    #[test]
    fn binaries_are_found_in_order() {
        let tmp = tempfile::tempdir().unwrap();
        let make = |dir: &str, files: &[&str]| {
            let dir = tmp.path().join(dir);
            fs::create_dir_all(&dir).unwrap();
            files
                .iter()
                .for_each(|f| fs::write(dir.join(f), "").unwrap());
            dir
        };
        let (root, lone) = (tmp.path().join("lib"), make("lone", &["initdb"]));
        let old = make("lib/9.6/bin", &["initdb", "postgres"]);
        let new = make("lib/15/bin", &["initdb", "postgres"]);
        make("lib/16/bin", &["initdb"]);
        let path = std::env::join_paths([&lone, &new]).unwrap();
        assert_eq!(find_binaries(Some(&path), Some(&old), &root).unwrap(), old);
        let path = std::env::join_paths([&new, &old]).unwrap();
        assert_eq!(find_binaries(Some(&path), None, &root).unwrap(), new);
        assert_eq!(find_binaries(None, Some(&lone), &root).unwrap(), new);
    }
}
