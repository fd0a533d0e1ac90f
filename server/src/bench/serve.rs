//! The server a benchmark loads, as a process of its own: `edumarkt serve` (with its workers)
//! started from this program, so that its memory is the server's alone and not the load
//! generator's, and read from `/proc`. Or a server already running elsewhere, whose memory is
//! read from its `/metrics`, if it says.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::config::{Config, MailTransportConfig, SearchEngineConfig};
use crate::pg_cluster::{die_with_parent, spawn_kept};

/// The metric a server's `/metrics` reports its resident set in, when it does.
const RSS_METRIC: &str = "edumarkt_process_resident_memory_bytes";

/// `edumarkt serve` run by this process; stopped by [`ChildServer::stop`], and killed if this
/// is dropped or our process dies.
pub struct ChildServer {
    pub base_url: String,
    pub pid: u32,
    /// The server's log (its stdout and stderr).
    pub log: PathBuf,
    /// `None` once reaped.
    child: Option<Child>,
    /// Ends the thread that forked the server (see `spawn_kept`).
    keeper: Option<mpsc::Sender<Child>>,
}

/// A process's memory from `/proc/PID/status`, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcMemory {
    /// Resident now (`VmRSS`).
    pub resident: u64,
    /// The most resident since the process started or the peak was reset (`VmHWM`).
    pub peak: u64,
    /// Of `resident`: anonymous memory (heap, stacks) and mapped files (the binary, an
    /// embedded index's files).
    pub anonymous: u64,
    pub file: u64,
}

impl ProcMemory {
    /// Parses the `status` file of a process (`kB` figures).
    pub fn parse(status: &str) -> Option<ProcMemory> {
        let field = |name: &str| {
            status.lines().find_map(|line| {
                let rest = line.strip_prefix(name)?.strip_prefix(':')?;
                let kb: u64 = rest.trim().strip_suffix("kB")?.trim().parse().ok()?;
                Some(kb * 1024)
            })
        };
        Some(ProcMemory {
            resident: field("VmRSS")?,
            peak: field("VmHWM")?,
            anonymous: field("RssAnon").unwrap_or(0),
            file: field("RssFile").unwrap_or(0),
        })
    }
}

/// `bytes` in MiB, one decimal.
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / 1_048_576.0)
}

impl ChildServer {
    /// Starts `edumarkt serve` (this very program) on a free port of 127.0.0.1 with the
    /// benchmark's settings: its database, signing secret, mail folder and embedded index
    /// (Meilisearch's settings, when set, come with the environment). The per-client rate limits
    /// are off: every request of the benchmark comes from 127.0.0.1, one client to the limiter,
    /// which would measure the limiter instead of the service.
    pub fn start(config: &Config, data_dir: &Path) -> anyhow::Result<ChildServer> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let log = data_dir.join("bench-serve.log");
        let file = std::fs::File::create(&log)?;
        let mut command = Command::new(std::env::current_exe()?);
        command
            .arg("serve")
            .env("DATABASE_URL", config.database_url.expose())
            .env("EDUMARKT_JWT_SECRET", config.jwt.secret.expose())
            .env("EDUMARKT_LISTEN", format!("127.0.0.1:{port}"))
            .env("EDUMARKT_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
            .env("EDUMARKT_RATE_PUBLIC_PER_CLIENT", "0")
            .env("EDUMARKT_RATE_AUTH_PER_CLIENT", "0")
            .stdin(Stdio::null())
            .stdout(file.try_clone()?)
            .stderr(file);
        if let MailTransportConfig::Folder(dir) = &config.mail.transport {
            command.env("EDUMARKT_MAIL_DIR", dir);
        }
        if let SearchEngineConfig::Embedded { dir } = &config.search.engine {
            command.env("EDUMARKT_SEARCH_DIR", dir);
        }
        // SIGTERM: a graceful stop, should this process die before stopping it.
        die_with_parent(&mut command, Signal::SIGTERM);
        let (child, keeper) = spawn_kept(command)?;
        Ok(ChildServer {
            base_url: format!("http://127.0.0.1:{port}"),
            pid: child.id(),
            log,
            child: Some(child),
            keeper: Some(keeper),
        })
    }

    /// Waits until `/health/ready` answers 200 (the first start indexes the scale data first).
    pub async fn wait_ready(&mut self, patience: Duration) -> anyhow::Result<()> {
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            if let Ok(response) = client
                .get(format!("{}/health/ready", self.base_url))
                .send()
                .await
                && response.status() == 200
            {
                return Ok(());
            }
            if let Some(child) = self.child.as_mut()
                && let Some(status) = child.try_wait()?
            {
                anyhow::bail!(
                    "`edumarkt serve` exited ({status}) before it was ready; its log: {}",
                    self.log.display()
                );
            }
            anyhow::ensure!(
                started.elapsed() < patience,
                "`edumarkt serve` was not ready within {} s; its log: {}",
                patience.as_secs(),
                self.log.display()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Its memory now.
    pub fn memory(&self) -> anyhow::Result<ProcMemory> {
        let path = format!("/proc/{}/status", self.pid);
        let status = std::fs::read_to_string(&path)?;
        ProcMemory::parse(&status).ok_or_else(|| anyhow::anyhow!("no VmRSS or VmHWM in {path}"))
    }

    /// Starts its peak (`VmHWM`) afresh, so that the peak read at the end is the load's, not the
    /// first sync's (Linux ≥ 4.0: `5` to `/proc/PID/clear_refs`). False if the kernel refused.
    pub fn reset_peak(&self) -> bool {
        std::fs::write(format!("/proc/{}/clear_refs", self.pid), "5").is_ok()
    }

    /// SIGTERM, and a graceful stop waited for (up to 30 s, then SIGKILL).
    pub async fn stop(mut self) -> anyhow::Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        for (signal, patience) in [(Signal::SIGTERM, 30), (Signal::SIGKILL, 5)] {
            let _ = kill(Pid::from_raw(self.pid as i32), signal);
            let deadline = Instant::now() + Duration::from_secs(patience);
            while child.try_wait()?.is_none() && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            if let Some(status) = child.try_wait()? {
                self.keeper.take();
                anyhow::ensure!(
                    status.success() || signal == Signal::SIGKILL,
                    "`edumarkt serve` stopped with {status}; its log: {}",
                    self.log.display()
                );
                return Ok(());
            }
        }
        anyhow::bail!("`edumarkt serve` (process {}) did not stop", self.pid)
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        // Not reaped yet (the run failed before `stop`): kill it; the keeper's end reaps nothing
        // but fires its parent-death signal as well.
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        self.keeper.take();
    }
}

/// A running server's resident set from its `/metrics`, if it reports one.
pub async fn metrics_memory(client: &reqwest::Client, base_url: &str) -> Option<u64> {
    let text = client
        .get(format!("{base_url}/metrics"))
        .send()
        .await
        .ok()?
        .error_for_status()
        .ok()?
        .text()
        .await
        .ok()?;
    metric(&text, RSS_METRIC).map(|v| v as u64)
}

/// The value of an unlabelled metric in Prometheus's text format.
fn metric(text: &str, name: &str) -> Option<f64> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(name)?;
        let value = rest.strip_prefix(' ')?;
        value.split_whitespace().next()?.parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_status_gives_its_resident_set_peak_and_kinds() {
        let status = "Name:\tedumarkt\nVmPeak:\t  900000 kB\nVmHWM:\t   81920 kB\n\
                      VmRSS:\t   40960 kB\nRssAnon:\t   30720 kB\nRssFile:\t   10240 kB\n";
        assert_eq!(
            ProcMemory::parse(status),
            Some(ProcMemory {
                resident: 40 << 20,
                peak: 80 << 20,
                anonymous: 30 << 20,
                file: 10 << 20,
            })
        );
        assert_eq!(ProcMemory::parse("Name:\tkthreadd\n"), None);
    }

    #[test]
    fn the_resident_set_is_read_from_metrics_by_its_exact_name() {
        let text = "# HELP edumarkt_process_resident_memory_bytes Resident memory size in bytes.\n\
                    # TYPE edumarkt_process_resident_memory_bytes gauge\n\
                    edumarkt_process_resident_memory_bytes_total 1\n\
                    edumarkt_process_resident_memory_bytes 5.24288e7\n";
        assert_eq!(metric(text, RSS_METRIC), Some(52_428_800.0));
        assert_eq!(metric("other 1\n", RSS_METRIC), None);
    }
}
