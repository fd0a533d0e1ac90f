//! Configuration: every setting comes from one environment variable into [`Config`]. A missing
//! or malformed setting stops start-up with a message naming the variable. The README lists
//! them all with their defaults.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use chrono::Duration;

use crate::domain::bundle::TenderSettings;
use crate::domain::procurement::ProcurementSettings;
use crate::domain::review_signals::SignalSettings;
use crate::domain::review_stats::ReviewSettings;

/// A value that must never reach a log line: `Debug` and `Display` print a placeholder.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{name} is required: {hint}")]
    Missing {
        name: &'static str,
        hint: &'static str,
    },
    #[error("{name} is malformed: {reason}")]
    Malformed { name: &'static str, reason: String },
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: Secret,
    pub db_pool_size: usize,
    pub listen: SocketAddr,
    /// Where users reach the service; links in mail point here.
    pub public_url: String,
    pub jwt: JwtConfig,
    pub mail: MailConfig,
    pub body_limit_bytes: usize,
    /// How long a request's body may take to arrive once its head has (a 408 after that), so
    /// a client that announces a body and sends none does not hold a worker.
    pub body_timeout: std::time::Duration,
    pub log_format: LogFormat,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    pub login_throttle: ThrottleConfig,
    pub rate_limits: RateLimitConfig,
    /// How long a request waits for a free database connection before it is answered 503
    /// (with `Retry-After`), so that a saturated pool sheds load instead of queueing it.
    pub db_pool_wait: std::time::Duration,
    /// How long a handler may take before the request is answered 503 and its work dropped.
    pub request_timeout: std::time::Duration,
    pub search: SearchConfig,
    /// The review rules' numbers: the Bayesian score's prior, the subgroup thresholds, the
    /// daily limit.
    pub reviews: ReviewSettings,
    /// The tender rules' numbers: the procurement thresholds a bundle's value is held
    /// against, the days left for offers after a late change.
    pub tenders: TenderSettings,
    /// The OCDS prefix the Open Contracting Partnership assigned to this publisher
    /// (`ocds-` and six characters); process ids (ocids) start with it.
    pub ocds_prefix: String,
}

#[derive(Debug, Clone)]
pub struct SearchConfig {
    pub engine: SearchEngineConfig,
    /// Prepended to index names, so deployments (and test runs) can share one Meilisearch.
    pub index_prefix: String,
}

impl SearchConfig {
    /// The search settings alone (the `edumarkt search` commands need no more).
    pub fn load(source: &dyn Source) -> Result<SearchConfig, ConfigError> {
        let search_engine = match source.get("MEILISEARCH_URL") {
            Some(url) => {
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    return Err(ConfigError::Malformed {
                        name: "MEILISEARCH_URL",
                        reason: "must be an http(s) URL".into(),
                    });
                }
                let api_key_uid = source.get("MEILISEARCH_API_KEY_UID");
                if api_key_uid
                    .as_deref()
                    .is_some_and(|uid| uuid::Uuid::parse_str(uid).is_err())
                {
                    return Err(ConfigError::Malformed {
                        name: "MEILISEARCH_API_KEY_UID",
                        reason: "must be the uid (a UUID) of MEILISEARCH_API_KEY".into(),
                    });
                }
                SearchEngineConfig::Meilisearch {
                    url,
                    api_key: source.get("MEILISEARCH_API_KEY").map(Secret::new),
                    api_key_uid,
                }
            }
            None => SearchEngineConfig::Embedded {
                dir: PathBuf::from(
                    source
                        .get("EDUMARKT_SEARCH_DIR")
                        .unwrap_or_else(|| "search-index".into()),
                ),
            },
        };
        let index_prefix = source
            .get("EDUMARKT_SEARCH_INDEX_PREFIX")
            .unwrap_or_else(|| "edumarkt_".into());
        if !index_prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(ConfigError::Malformed {
                name: "EDUMARKT_SEARCH_INDEX_PREFIX",
                reason: "may hold only letters, digits, - and _".into(),
            });
        }
        Ok(SearchConfig {
            engine: search_engine,
            index_prefix,
        })
    }
}

#[derive(Debug, Clone)]
pub enum SearchEngineConfig {
    Meilisearch {
        url: String,
        api_key: Option<Secret>,
        /// `MEILISEARCH_API_KEY_UID`: spares the key lookup, so a search-only key can sign
        /// tenant tokens.
        api_key_uid: Option<String>,
    },
    /// The embedded tantivy index, in this folder.
    Embedded { dir: PathBuf },
}

#[derive(Debug, Clone)]
pub struct JwtConfig {
    /// Signs new access tokens (and CSRF tokens).
    pub secret: Secret,
    /// Earlier secrets whose tokens are still accepted while a rotation runs out
    /// (`EDUMARKT_JWT_PREVIOUS_SECRETS`, comma-separated; RUNBOOK.md, "Rotating the JWT secret").
    pub previous_secrets: Vec<Secret>,
    pub issuer: String,
    pub audience: String,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
}

#[derive(Debug, Clone)]
pub struct MailConfig {
    pub from: String,
    pub transport: MailTransportConfig,
}

#[derive(Debug, Clone)]
pub enum MailTransportConfig {
    /// `smtps://user:pass@host:465` (TLS) or `smtp://user:pass@host:587?tls=required` (STARTTLS).
    Smtp(Secret),
    /// One .eml file per message, for local use.
    Folder(PathBuf),
    /// Kept in memory for tests to read.
    Memory,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

#[derive(Debug, Clone, Copy)]
pub struct ThrottleConfig {
    pub window: Duration,
    pub max_failures_per_account: u32,
    pub max_failures_per_client: u32,
}

/// Requests per client address within one window, counted in the database so that they hold
/// across processes. A limit of 0 turns that limit off.
#[derive(Debug, Clone, Copy)]
pub struct RateLimitConfig {
    pub window: Duration,
    /// Sign-up, login, password reset, verification resend, token refresh: the routes an
    /// attacker guesses or floods mail through.
    pub auth_per_client: u32,
    /// Anonymous reads: search, offerings, providers, the public pages showing them.
    pub public_per_client: u32,
}

/// Where a setting is looked up; the process environment in production, a map in tests and
/// for the defaults `edumarkt up` provides.
pub trait Source {
    fn get(&self, name: &str) -> Option<String>;
}

impl<F: Fn(&str) -> Option<String>> Source for F {
    fn get(&self, name: &str) -> Option<String> {
        self(name)
    }
}

/// The process environment; an empty value counts as unset.
pub fn environment(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

pub const MIN_JWT_SECRET_BYTES: usize = 32;

impl Config {
    pub fn load(source: &dyn Source) -> Result<Config, ConfigError> {
        let database_url = source.get("DATABASE_URL").ok_or(ConfigError::Missing {
            name: "DATABASE_URL",
            hint: "a postgres:// URL of the database (or run `edumarkt up`, which starts its own)",
        })?;
        if !(database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
            return Err(ConfigError::Malformed {
                name: "DATABASE_URL",
                reason: "must start with postgres:// or postgresql://".into(),
            });
        }
        let listen: SocketAddr = parse(source, "EDUMARKT_LISTEN", "127.0.0.1:8080")?;
        let public_url = source
            .get("EDUMARKT_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{listen}"))
            .trim_end_matches('/')
            .to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::Malformed {
                name: "EDUMARKT_PUBLIC_URL",
                reason: "must be an http:// or https:// URL".into(),
            });
        }
        let secret = source
            .get("EDUMARKT_JWT_SECRET")
            .ok_or(ConfigError::Missing {
                name: "EDUMARKT_JWT_SECRET",
                hint: "at least 32 random bytes, e.g. `openssl rand -base64 48`",
            })?;
        if secret.len() < MIN_JWT_SECRET_BYTES {
            return Err(ConfigError::Malformed {
                name: "EDUMARKT_JWT_SECRET",
                reason: format!("must be at least {MIN_JWT_SECRET_BYTES} bytes long"),
            });
        }
        let previous_secrets: Vec<Secret> = source
            .get("EDUMARKT_JWT_PREVIOUS_SECRETS")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(Secret::new)
            .collect();
        if previous_secrets
            .iter()
            .any(|s| s.expose().len() < MIN_JWT_SECRET_BYTES)
        {
            return Err(ConfigError::Malformed {
                name: "EDUMARKT_JWT_PREVIOUS_SECRETS",
                reason: format!(
                    "each comma-separated secret must be at least {MIN_JWT_SECRET_BYTES} bytes long"
                ),
            });
        }
        let transport = match (
            source.get("EDUMARKT_SMTP_URL"),
            source.get("EDUMARKT_MAIL_DIR"),
        ) {
            (Some(url), _) => {
                if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                    return Err(ConfigError::Malformed {
                        name: "EDUMARKT_SMTP_URL",
                        reason: "must start with smtp:// or smtps://".into(),
                    });
                }
                MailTransportConfig::Smtp(Secret::new(url))
            }
            (None, Some(dir)) => MailTransportConfig::Folder(PathBuf::from(dir)),
            (None, None) => {
                return Err(ConfigError::Missing {
                    name: "EDUMARKT_SMTP_URL",
                    hint: "an smtp:// or smtps:// URL, or set EDUMARKT_MAIL_DIR to write .eml files",
                });
            }
        };
        Ok(Config {
            search: SearchConfig::load(source)?,
            database_url: Secret::new(database_url),
            db_pool_size: parse(source, "EDUMARKT_DB_POOL_SIZE", "16")?,
            listen,
            public_url,
            jwt: JwtConfig {
                secret: Secret::new(secret),
                previous_secrets,
                issuer: source
                    .get("EDUMARKT_JWT_ISSUER")
                    .unwrap_or_else(|| "edumarkt".into()),
                audience: source
                    .get("EDUMARKT_JWT_AUDIENCE")
                    .unwrap_or_else(|| "edumarkt-api".into()),
                access_ttl: Duration::seconds(parse(
                    source,
                    "EDUMARKT_ACCESS_TOKEN_TTL_SECS",
                    "900",
                )?),
                refresh_ttl: Duration::days(parse(
                    source,
                    "EDUMARKT_REFRESH_TOKEN_TTL_DAYS",
                    "30",
                )?),
            },
            mail: MailConfig {
                from: source
                    .get("EDUMARKT_MAIL_FROM")
                    .unwrap_or_else(|| "edumarkt <noreply@edumarkt.localhost>".into()),
                transport,
            },
            body_limit_bytes: parse(source, "EDUMARKT_BODY_LIMIT_BYTES", "1048576")?,
            body_timeout: std::time::Duration::from_secs(parse(
                source,
                "EDUMARKT_BODY_TIMEOUT_SECS",
                "10",
            )?),
            log_format: match source.get("EDUMARKT_LOG_FORMAT").as_deref() {
                None | Some("pretty") => LogFormat::Pretty,
                Some("json") => LogFormat::Json,
                Some(other) => {
                    return Err(ConfigError::Malformed {
                        name: "EDUMARKT_LOG_FORMAT",
                        reason: format!("`{other}` is neither `json` nor `pretty`"),
                    });
                }
            },
            trust_forwarded_for: parse(source, "EDUMARKT_TRUST_FORWARDED_FOR", "false")?,
            login_throttle: ThrottleConfig {
                window: Duration::minutes(parse(source, "EDUMARKT_LOGIN_WINDOW_MINUTES", "15")?),
                max_failures_per_account: parse(
                    source,
                    "EDUMARKT_LOGIN_MAX_FAILURES_PER_ACCOUNT",
                    "5",
                )?,
                max_failures_per_client: parse(
                    source,
                    "EDUMARKT_LOGIN_MAX_FAILURES_PER_CLIENT",
                    "20",
                )?,
            },
            reviews: review_settings(source)?,
            ocds_prefix: ocds_prefix(source)?,
            tenders: TenderSettings {
                procurement: procurement_settings(source)?,
                min_offer_days_after_change: i64::from(positive(
                    source,
                    "EDUMARKT_BUNDLE_CHANGE_MIN_DAYS",
                    "4",
                )?),
                question_close_days: parse(
                    source,
                    "EDUMARKT_BUNDLE_QUESTION_CLOSE_DAYS",
                    &crate::domain::bundle_question::DEFAULT_CLOSE_DAYS.to_string(),
                )?,
            },
            rate_limits: RateLimitConfig {
                window: Duration::seconds(i64::from(positive(
                    source,
                    "EDUMARKT_RATE_WINDOW_SECS",
                    "60",
                )?)),
                auth_per_client: parse(source, "EDUMARKT_RATE_AUTH_PER_CLIENT", "300")?,
                public_per_client: parse(source, "EDUMARKT_RATE_PUBLIC_PER_CLIENT", "30000")?,
            },
            db_pool_wait: std::time::Duration::from_millis(u64::from(positive(
                source,
                "EDUMARKT_DB_POOL_WAIT_MS",
                "5000",
            )?)),
            request_timeout: std::time::Duration::from_secs(u64::from(positive(
                source,
                "EDUMARKT_REQUEST_TIMEOUT_SECS",
                "30",
            )?)),
        })
    }
}

/// `EDUMARKT_OCDS_PREFIX`: `ocds-` and six lower-case letters or digits.
fn ocds_prefix(source: &dyn Source) -> Result<String, ConfigError> {
    let prefix = source
        .get("EDUMARKT_OCDS_PREFIX")
        .unwrap_or_else(|| "ocds-edumkt".into());
    let well_formed = prefix.strip_prefix("ocds-").is_some_and(|rest| {
        rest.len() == 6
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    if well_formed {
        Ok(prefix)
    } else {
        Err(ConfigError::Malformed {
            name: "EDUMARKT_OCDS_PREFIX",
            reason: "must be ocds- and six lower-case letters or digits".into(),
        })
    }
}

/// The procurement thresholds in whole euros, each defaulting to
/// `ProcurementSettings::default()`; the bands must rise up to the European thresholds.
fn procurement_settings(source: &dyn Source) -> Result<ProcurementSettings, ConfigError> {
    let defaults = ProcurementSettings::default();
    let euros = |name: &'static str, cents: i64| -> Result<i64, ConfigError> {
        let value: i64 = parse(source, name, &(cents / 100).to_string())?;
        value.checked_mul(100).ok_or(ConfigError::Malformed {
            name,
            reason: "too large".into(),
        })
    };
    let settings = ProcurementSettings {
        eu_services_cents: euros(
            "EDUMARKT_EU_THRESHOLD_SERVICES_EUR",
            defaults.eu_services_cents,
        )?,
        eu_social_cents: euros("EDUMARKT_EU_THRESHOLD_SOCIAL_EUR", defaults.eu_social_cents)?,
        single_quotation_max_cents: euros(
            "EDUMARKT_SINGLE_QUOTATION_MAX_EUR",
            defaults.single_quotation_max_cents,
        )?,
        multiple_quotation_max_cents: euros(
            "EDUMARKT_MULTIPLE_QUOTATION_MAX_EUR",
            defaults.multiple_quotation_max_cents,
        )?,
    };
    if !settings.is_ordered() {
        return Err(ConfigError::Malformed {
            name: "EDUMARKT_SINGLE_QUOTATION_MAX_EUR",
            reason: "the bands must rise: single < multiple <= the European thresholds".into(),
        });
    }
    Ok(settings)
}

/// The review settings, each defaulting to `ReviewSettings::default()` (also read alone by
/// `edumarkt seed --reviews`, whose aggregates must use the server's settings).
pub fn review_settings(source: &dyn Source) -> Result<ReviewSettings, ConfigError> {
    let defaults = ReviewSettings::default();
    let settings = ReviewSettings {
        prior_mean: parse(
            source,
            "EDUMARKT_REVIEW_PRIOR_MEAN",
            &defaults.prior_mean.to_string(),
        )?,
        min_count: parse(
            source,
            "EDUMARKT_REVIEW_MIN_COUNT",
            &defaults.min_count.to_string(),
        )?,
        subgroup_min_reviews: parse(
            source,
            "EDUMARKT_REVIEW_SUBGROUP_MIN_REVIEWS",
            &defaults.subgroup_min_reviews.to_string(),
        )?,
        subgroup_min_schools: parse(
            source,
            "EDUMARKT_REVIEW_SUBGROUP_MIN_SCHOOLS",
            &defaults.subgroup_min_schools.to_string(),
        )?,
        daily_limit: parse(
            source,
            "EDUMARKT_REVIEW_DAILY_LIMIT",
            &defaults.daily_limit.to_string(),
        )?,
        signals: signal_settings(source)?,
    };
    if !(1.0..=5.0).contains(&settings.prior_mean) {
        return Err(ConfigError::Malformed {
            name: "EDUMARKT_REVIEW_PRIOR_MEAN",
            reason: "must be between 1 and 5".into(),
        });
    }
    if !(settings.min_count >= 0.0 && settings.min_count.is_finite()) {
        return Err(ConfigError::Malformed {
            name: "EDUMARKT_REVIEW_MIN_COUNT",
            reason: "must be a number of at least 0".into(),
        });
    }
    Ok(settings)
}

/// When a burst of an offering's reviews goes to the moderation queue by itself: this many
/// (at least 2, or every review would be one) within the window share new accounts, one
/// organisation or one client address.
fn signal_settings(source: &dyn Source) -> Result<SignalSettings, ConfigError> {
    let defaults = SignalSettings::default();
    let threshold: usize = parse(
        source,
        "EDUMARKT_REVIEW_SIGNAL_THRESHOLD",
        &defaults.threshold.to_string(),
    )?;
    if threshold < 2 {
        return Err(ConfigError::Malformed {
            name: "EDUMARKT_REVIEW_SIGNAL_THRESHOLD",
            reason: "must be at least 2".into(),
        });
    }
    Ok(SignalSettings {
        window: Duration::hours(i64::from(positive(
            source,
            "EDUMARKT_REVIEW_SIGNAL_WINDOW_HOURS",
            &defaults.window.num_hours().to_string(),
        )?)),
        threshold,
        new_account_age: Duration::days(i64::from(parse::<u32>(
            source,
            "EDUMARKT_REVIEW_NEW_ACCOUNT_DAYS",
            &defaults.new_account_age.num_days().to_string(),
        )?)),
    })
}

fn parse<T: FromStr>(
    source: &dyn Source,
    name: &'static str,
    default: &str,
) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    let raw = source.get(name).unwrap_or_else(|| default.to_owned());
    raw.trim()
        .parse()
        .map_err(|e: T::Err| ConfigError::Malformed {
            name,
            reason: format!("`{raw}`: {e}"),
        })
}

/// A duration setting of at least 1: a zero window would count nothing, and a zero wait or
/// timeout would refuse every request.
fn positive(source: &dyn Source, name: &'static str, default: &str) -> Result<u32, ConfigError> {
    match parse(source, name, default)? {
        0 => Err(ConfigError::Malformed {
            name,
            reason: "must be at least 1".into(),
        }),
        n => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn load(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::load(&move |name: &str| map.get(name).cloned())
    }

    const BASE: [(&str, &str); 3] = [
        ("DATABASE_URL", "postgres://u:p@localhost/db"),
        ("EDUMARKT_JWT_SECRET", "0123456789abcdef0123456789abcdef"),
        ("EDUMARKT_MAIL_DIR", "/tmp/mail"),
    ];

    #[test]
    fn defaults_fill_what_is_not_set() {
        let config = load(&BASE).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.public_url, "http://127.0.0.1:8080");
        assert_eq!(config.jwt.access_ttl, Duration::minutes(15));
        assert_eq!(config.body_limit_bytes, 1024 * 1024);
        assert_eq!(config.body_timeout, std::time::Duration::from_secs(10));
        assert_eq!(config.reviews, ReviewSettings::default());
        assert_eq!(config.rate_limits.window, Duration::seconds(60));
        assert_eq!(config.rate_limits.auth_per_client, 300);
        assert_eq!(config.rate_limits.public_per_client, 30_000);
        assert_eq!(config.db_pool_wait, std::time::Duration::from_secs(5));
        assert_eq!(config.request_timeout, std::time::Duration::from_secs(30));
        assert_eq!(config.tenders.question_close_days, 3);
    }

    #[test]
    fn the_days_questions_close_before_the_offer_deadline_are_read_and_checked() {
        let mut pairs = BASE.to_vec();
        pairs.push(("EDUMARKT_BUNDLE_QUESTION_CLOSE_DAYS", "5"));
        assert_eq!(load(&pairs).unwrap().tenders.question_close_days, 5);
        let mut negative = BASE.to_vec();
        negative.push(("EDUMARKT_BUNDLE_QUESTION_CLOSE_DAYS", "-1"));
        assert!(matches!(
            load(&negative),
            Err(ConfigError::Malformed {
                name: "EDUMARKT_BUNDLE_QUESTION_CLOSE_DAYS",
                ..
            })
        ));
    }

    #[test]
    fn review_settings_are_read_and_checked() {
        let mut pairs = BASE.to_vec();
        pairs.push(("EDUMARKT_REVIEW_PRIOR_MEAN", "3.8"));
        pairs.push(("EDUMARKT_REVIEW_SUBGROUP_MIN_SCHOOLS", "4"));
        let config = load(&pairs).unwrap();
        assert_eq!(config.reviews.prior_mean, 3.8);
        assert_eq!(config.reviews.subgroup_min_schools, 4);
        assert_eq!(config.reviews.subgroup_min_reviews, 5);
        assert_eq!(config.reviews.signals, SignalSettings::default());
        assert_eq!(config.reviews.signals.window, Duration::hours(24));
        assert_eq!(config.reviews.signals.threshold, 3);
        assert_eq!(config.reviews.signals.new_account_age, Duration::days(7));
        let mut signals = BASE.to_vec();
        signals.push(("EDUMARKT_REVIEW_SIGNAL_WINDOW_HOURS", "48"));
        signals.push(("EDUMARKT_REVIEW_SIGNAL_THRESHOLD", "5"));
        signals.push(("EDUMARKT_REVIEW_NEW_ACCOUNT_DAYS", "30"));
        let config = load(&signals).unwrap();
        assert_eq!(
            config.reviews.signals,
            SignalSettings {
                window: Duration::hours(48),
                threshold: 5,
                new_account_age: Duration::days(30),
            }
        );
        for (name, value) in [
            ("EDUMARKT_REVIEW_SIGNAL_THRESHOLD", "1"),
            ("EDUMARKT_REVIEW_SIGNAL_WINDOW_HOURS", "0"),
            ("EDUMARKT_REVIEW_NEW_ACCOUNT_DAYS", "-1"),
        ] {
            let mut bad = BASE.to_vec();
            bad.push((name, value));
            let err = load(&bad).unwrap_err();
            assert!(err.to_string().starts_with(name), "{err}");
        }
        let mut bad = BASE.to_vec();
        bad.push(("EDUMARKT_REVIEW_PRIOR_MEAN", "7"));
        let err = load(&bad).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("EDUMARKT_REVIEW_PRIOR_MEAN is malformed"),
            "{err}"
        );
    }

    #[test]
    fn limits_are_set_and_a_zero_duration_is_refused() {
        let mut pairs = BASE.to_vec();
        pairs.push(("EDUMARKT_RATE_PUBLIC_PER_CLIENT", "0"));
        pairs.push(("EDUMARKT_DB_POOL_WAIT_MS", "250"));
        let config = load(&pairs).unwrap();
        assert_eq!(config.rate_limits.public_per_client, 0);
        assert_eq!(config.db_pool_wait, std::time::Duration::from_millis(250));
        for name in [
            "EDUMARKT_RATE_WINDOW_SECS",
            "EDUMARKT_DB_POOL_WAIT_MS",
            "EDUMARKT_REQUEST_TIMEOUT_SECS",
        ] {
            let mut pairs = BASE.to_vec();
            pairs.push((name, "0"));
            let err = load(&pairs).unwrap_err();
            assert!(err.to_string().starts_with(name), "{err}");
        }
    }

    #[test]
    fn a_missing_setting_is_named() {
        let err = load(&BASE[1..]).unwrap_err();
        assert!(matches!(
            err,
            ConfigError::Missing {
                name: "DATABASE_URL",
                ..
            }
        ));
    }

    #[test]
    fn a_malformed_setting_is_named() {
        let mut pairs = BASE.to_vec();
        pairs.push(("EDUMARKT_LISTEN", "not-an-address"));
        let err = load(&pairs).unwrap_err();
        assert!(
            err.to_string().starts_with("EDUMARKT_LISTEN is malformed"),
            "{err}"
        );
    }

    #[test]
    fn a_short_jwt_secret_is_refused() {
        let mut pairs = BASE.to_vec();
        pairs[1] = ("EDUMARKT_JWT_SECRET", "short");
        assert!(matches!(
            load(&pairs),
            Err(ConfigError::Malformed {
                name: "EDUMARKT_JWT_SECRET",
                ..
            })
        ));
    }

    #[test]
    fn previous_jwt_secrets_are_a_comma_separated_list_each_long_enough() {
        let mut pairs = BASE.to_vec();
        pairs.push((
            "EDUMARKT_JWT_PREVIOUS_SECRETS",
            " an-older-secret-of-at-least-32-bytes ,, the-oldest-secret-of-at-least-32-bytes",
        ));
        let config = load(&pairs).unwrap();
        let previous: Vec<&str> = config
            .jwt
            .previous_secrets
            .iter()
            .map(Secret::expose)
            .collect();
        assert_eq!(
            previous,
            [
                "an-older-secret-of-at-least-32-bytes",
                "the-oldest-secret-of-at-least-32-bytes"
            ]
        );
        pairs.push((
            "EDUMARKT_JWT_PREVIOUS_SECRETS",
            "an-older-secret-of-at-least-32-bytes,short",
        ));
        assert!(matches!(
            load(&pairs),
            Err(ConfigError::Malformed {
                name: "EDUMARKT_JWT_PREVIOUS_SECRETS",
                ..
            })
        ));
    }

    #[test]
    fn the_api_key_uid_is_a_uuid_when_given() {
        let mut pairs = BASE.to_vec();
        pairs.push(("MEILISEARCH_URL", "http://127.0.0.1:7700"));
        pairs.push(("MEILISEARCH_API_KEY", "a-search-key"));
        pairs.push((
            "MEILISEARCH_API_KEY_UID",
            "6c0d3d8e-6f6a-4a3e-9a55-0e6b5a2f7c11",
        ));
        assert!(matches!(
            load(&pairs).unwrap().search.engine,
            SearchEngineConfig::Meilisearch { api_key_uid: Some(uid), .. }
                if uid == "6c0d3d8e-6f6a-4a3e-9a55-0e6b5a2f7c11"
        ));
        pairs.push(("MEILISEARCH_API_KEY_UID", "not-a-uid"));
        assert!(matches!(
            load(&pairs),
            Err(ConfigError::Malformed {
                name: "MEILISEARCH_API_KEY_UID",
                ..
            })
        ));
    }

    #[test]
    fn meilisearch_is_chosen_when_its_url_is_set() {
        assert!(matches!(
            load(&BASE).unwrap().search.engine,
            SearchEngineConfig::Embedded { .. }
        ));
        let mut pairs = BASE.to_vec();
        pairs.push(("MEILISEARCH_URL", "http://127.0.0.1:7700"));
        pairs.push(("MEILISEARCH_API_KEY", "masterKey-masterKey"));
        let config = load(&pairs).unwrap();
        assert!(matches!(
            config.search.engine,
            SearchEngineConfig::Meilisearch { .. }
        ));
        assert!(!format!("{config:?}").contains("masterKey"));
        pairs.push(("EDUMARKT_SEARCH_INDEX_PREFIX", "bad prefix!"));
        assert!(matches!(
            load(&pairs),
            Err(ConfigError::Malformed {
                name: "EDUMARKT_SEARCH_INDEX_PREFIX",
                ..
            })
        ));
    }

    #[test]
    fn secrets_do_not_show_in_debug_output() {
        let mut pairs = BASE.to_vec();
        pairs.push((
            "EDUMARKT_SMTP_URL",
            "smtps://user:hunter2hunter2@mail.example:465",
        ));
        let printed = format!("{:?}", load(&pairs).unwrap());
        assert!(!printed.contains("hunter2"));
        assert!(!printed.contains("0123456789abcdef"));
    }
}
