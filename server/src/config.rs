//! Configuration: defaults < config file (`oxidesk.toml`) < `OXIDESK_*` environment variables
//! (`DATABASE_URL` is honoured too and selects PostgreSQL).

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Everything the server and the CLI read at start-up.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Config {
    /// Directory for the embedded SQLite database and other local state.
    pub data_dir: PathBuf,
    /// `postgres://…` for PostgreSQL; when unset, SQLite in `data_dir`.
    pub database_url: Option<String>,
    /// Address to listen on.
    pub bind: String,
    /// `tracing` filter, e.g. `info` or `oxidesk=debug,info`.
    pub log_level: String,
    /// Session lifetime in hours.
    pub session_ttl_hours: i64,
    /// Mark session cookies `Secure` (enable behind HTTPS); also sends HSTS.
    pub secure_cookies: bool,
    /// Behind a reverse proxy: take the client address (sign-in throttling) from the last
    /// `X-Forwarded-For` entry instead of the peer address.
    #[serde(default)]
    pub trust_forwarded_for: bool,
    /// Directory holding the built site (`pkg/` with WASM, JS, CSS).
    pub site_root: PathBuf,
    /// Seconds between auto-close runs (closes resolved tickets past the desk's delay).
    pub auto_close_interval_secs: u64,
    /// Milliseconds between the live hub's safety re-reads of the outbox (it is normally woken
    /// at once by commits, and on PostgreSQL by `NOTIFY` from other nodes).
    pub live_poll_interval_ms: u64,
    /// Seconds between SLA timer runs (warnings and breaches fire within this delay).
    pub sla_interval_secs: u64,
    /// Where this node keeps its search index (default: `<data_dir>/search`). Each node of a
    /// multi-node deployment has its own.
    pub index_dir: Option<PathBuf>,
    /// Milliseconds the search indexer waits after a change to gather a batch before committing.
    pub index_commit_delay_ms: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("data"),
            database_url: None,
            bind: "127.0.0.1:3000".into(),
            log_level: "info".into(),
            session_ttl_hours: 12,
            secure_cookies: false,
            trust_forwarded_for: false,
            site_root: PathBuf::from("target/site"),
            auto_close_interval_secs: 300,
            live_poll_interval_ms: 1000,
            sla_interval_secs: 15,
            index_dir: None,
            index_commit_delay_ms: 300,
        }
    }
}

impl Config {
    /// Loads the layered configuration. `file` defaults to `oxidesk.toml` (optional).
    pub fn load(file: Option<&Path>) -> Result<Self, figment::Error> {
        let file = file.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("oxidesk.toml"));
        Self::figment(&file).extract()
    }

    fn figment(file: &Path) -> Figment {
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::raw().only(&["DATABASE_URL"]).map(|_| "database_url".into()))
            .merge(Env::raw().only(&["LEPTOS_SITE_ROOT"]).map(|_| "site_root".into()))
            .merge(Env::prefixed("OXIDESK_"))
    }

    /// The configured external database URL, if any (blank counts as none).
    pub fn external_database_url(&self) -> Option<&str> {
        self.database_url.as_deref().map(str::trim).filter(|u| !u.is_empty())
    }

    /// The database URL to connect to (PostgreSQL if configured, else SQLite in `data_dir`).
    pub fn effective_database_url(&self) -> String {
        match self.external_database_url() {
            Some(url) => url.to_string(),
            None => app::services::db::sqlite_url(&self.data_dir),
        }
    }

    /// The search index directory.
    pub fn index_path(&self) -> PathBuf {
        self.index_dir.clone().unwrap_or_else(|| self.data_dir.join("search"))
    }

    /// Service-level settings derived from this configuration.
    pub fn settings(&self) -> app::services::Settings {
        app::services::Settings {
            session_ttl_hours: self.session_ttl_hours,
            secure_cookies: self.secure_cookies,
            trust_forwarded_for: self.trust_forwarded_for,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_override_in_order() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("oxidesk.toml", "bind = \"0.0.0.0:8080\"\nlog_level = \"debug\"\n")?;
            jail.set_env("OXIDESK_LOG_LEVEL", "warn");
            jail.set_env("DATABASE_URL", "postgres://u@h/db");
            let c = Config::load(None)?;
            assert_eq!(c.bind, "0.0.0.0:8080");
            assert_eq!(c.log_level, "warn");
            assert_eq!(c.effective_database_url(), "postgres://u@h/db");
            assert_eq!(c.data_dir, PathBuf::from("data"));
            Ok(())
        });
    }

    #[test]
    fn sqlite_in_data_dir_by_default() {
        let c = Config { data_dir: "/tmp/x".into(), ..Config::default() };
        assert_eq!(c.effective_database_url(), "sqlite:///tmp/x/oxidesk.db?mode=rwc");
    }
}
