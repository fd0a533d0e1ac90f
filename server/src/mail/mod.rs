//! Mail: messages are queued as jobs inside the transaction of the change that causes them
//! (`outbox::enqueue`) and delivered by the job worker (`crate::jobs`) through one of the
//! transports here, retrying with backoff, so an SMTP outage delays mail and loses none.
//!
//! Each message carries a Message-ID made from its job's id. A worker killed between sending
//! and recording the job as done sends it again once the lease ends; the folder transport then
//! overwrites the same file, and mail systems that see the same Message-ID twice drop the
//! second (the nearest SMTP allows to sending once).

pub mod outbox;
pub mod templates;

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use uuid::Uuid;

use crate::config::{MailConfig, MailTransportConfig};

/// A message ready to send: Dutch, plain text with an HTML alternative.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// One `{message id}.eml` per message, written whole (a temporary file renamed).
    Folder(PathBuf),
    Memory(MemoryTransport),
}

/// Keeps sent mail for tests to read, and can be told to fail like an unreachable SMTP server.
#[derive(Default)]
pub struct MemoryTransport {
    sent: Mutex<Vec<Mail>>,
    /// The message ids kept, so a message sent again is kept once (as the folder does).
    ids: Mutex<std::collections::HashSet<Uuid>>,
    failing: AtomicBool,
    /// Sending to this address panics, as a process dying mid-send would.
    crash_to: Mutex<Option<String>>,
}

impl Mailer {
    pub fn new(config: &MailConfig) -> anyhow::Result<Self> {
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("EDUMARKT_MAIL_FROM is malformed: {e}"))?;
        let transport = match &config.transport {
            MailTransportConfig::Smtp(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .map_err(|e| anyhow::anyhow!("EDUMARKT_SMTP_URL is malformed: {e}"))?
                    .build(),
            ),
            MailTransportConfig::Folder(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| {
                    anyhow::anyhow!("cannot create the mail folder {}: {e}", dir.display())
                })?;
                Transport::Folder(dir.clone())
            }
            MailTransportConfig::Memory => Transport::Memory(MemoryTransport::default()),
        };
        Ok(Self { from, transport })
    }

    /// Sends `mail` as message `id` (its job's id): sending the same id again is the same
    /// message, not another.
    pub async fn send(&self, mail: &Mail, id: Uuid) -> anyhow::Result<()> {
        if let Transport::Memory(memory) = &self.transport {
            if memory.failing.load(Ordering::SeqCst) {
                anyhow::bail!("the mail server is unreachable (simulated)");
            }
            let crash_to = memory
                .crash_to
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone();
            if crash_to.as_deref() == Some(mail.to.as_str()) {
                panic!("the process died while sending to {} (simulated)", mail.to);
            }
            if !memory
                .ids
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(id)
            {
                return Ok(());
            }
            memory
                .sent
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(mail.clone());
            return Ok(());
        }
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e| anyhow::anyhow!("recipient {:?}: {e}", mail.to))?;
        let message = Message::builder()
            .message_id(Some(format!("<{id}@{}>", self.from.email.domain())))
            .from(self.from.clone())
            .to(to)
            .subject(&mail.subject)
            .multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                mail.html.clone(),
            ))?;
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message).await?;
            }
            Transport::Folder(dir) => {
                let path = dir.join(format!("{id}.eml"));
                let partial = dir.join(format!(".{id}.eml.partial"));
                tokio::fs::write(&partial, message.formatted()).await?;
                tokio::fs::rename(&partial, &path).await?;
            }
            Transport::Memory(_) => unreachable!("handled above"),
        }
        Ok(())
    }

    /// Mail sent so far through the in-memory transport (tests).
    pub fn sent(&self) -> Vec<Mail> {
        match &self.transport {
            Transport::Memory(memory) => memory
                .sent
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
            _ => Vec::new(),
        }
    }

    /// Makes the in-memory transport panic when sending to `to` (or no longer), as a process
    /// that dies mid-send would (tests).
    pub fn set_crash_to(&self, to: Option<&str>) {
        if let Transport::Memory(memory) = &self.transport {
            *memory.crash_to.lock().unwrap_or_else(|p| p.into_inner()) = to.map(str::to_owned);
        }
    }

    /// Makes the in-memory transport fail (or recover), as an SMTP outage would.
    pub fn set_failing(&self, failing: bool) {
        if let Transport::Memory(memory) = &self.transport {
            memory.failing.store(failing, Ordering::SeqCst);
        }
    }
}
