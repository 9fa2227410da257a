//! Oxidesk server: configuration, HTTP router (pages, server fns, REST API), security
//! middleware and the command-line interface.

pub mod backup;
pub mod cli;
pub mod config;
pub mod hub;
pub mod live;
pub mod rest;
pub mod router;
pub mod security;
pub mod server_fns;
pub mod workers;

use app::services::search::{indexer, SearchIndex};
use app::services::{db, AppContext};
use axum::extract::FromRef;
use config::Config;
use leptos::prelude::LeptosOptions;

/// Shared state of every HTTP handler.
#[derive(Clone)]
pub struct ServerState {
    /// Leptos site settings (where the WASM bundle lives).
    pub leptos: LeptosOptions,
    /// Database, settings and event signal.
    pub ctx: AppContext,
    /// This node's live-update hub.
    pub hub: std::sync::Arc<hub::LiveHub>,
}

impl ServerState {
    /// Builds the state and starts this node's live hub and search indexer.
    pub async fn start(config: &Config, ctx: AppContext) -> Result<Self, sea_orm::DbErr> {
        let tick = std::time::Duration::from_millis(config.live_poll_interval_ms.max(10));
        let hub = hub::LiveHub::start(ctx.clone(), tick).await?;
        let commit_delay = std::time::Duration::from_millis(config.index_commit_delay_ms);
        tokio::spawn(indexer::run(ctx.clone(), tick, commit_delay));
        Ok(Self { leptos: leptos_options(config), ctx, hub })
    }
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(s: &ServerState) -> Self {
        s.leptos.clone()
    }
}

/// Connects to the configured database and migrates; opens this node's search index.
pub async fn connect(config: &Config) -> Result<AppContext, Box<dyn std::error::Error + Send + Sync>> {
    private_dir(&config.data_dir).map_err(|e| format!("cannot create data directory {}: {e}", config.data_dir.display()))?;
    private_dir(&config.index_path()).map_err(|e| format!("cannot create index directory {}: {e}", config.index_path().display()))?;
    let url = config.effective_database_url();
    if config.external_database_url().is_none() {
        private_file(&config.data_dir.join("oxidesk.db"))
            .map_err(|e| format!("cannot create the database in {}: {e}", config.data_dir.display()))?;
    }
    let conn = db::connect_and_migrate(&url).await?;
    let writer = db::connect_writer(&url).await?;
    let index = SearchIndex::open(&config.index_path())
        .map_err(|_| format!("cannot open the search index in {}", config.index_path().display()))?;
    let ctx = AppContext::new(conn, config.settings()).with_search_index(index);
    Ok(match writer {
        Some(writer) => ctx.with_writer(writer),
        None => ctx,
    })
}

/// Creates `dir` (and its parents) readable by this user only (0700); an existing one is made so.
pub fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

/// Creates `file` if missing, readable and writable by this user only (0600), and makes an
/// existing one so. SQLite gives its `-wal` and `-shm` files the database file's mode.
pub fn private_file(file: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    std::fs::OpenOptions::new().create(true).append(true).mode(0o600).open(file)?;
    for f in [file.to_path_buf(), suffixed(file, "-wal"), suffixed(file, "-shm")] {
        if f.exists() {
            std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(())
}

fn suffixed(file: &std::path::Path, suffix: &str) -> std::path::PathBuf {
    let mut s = file.as_os_str().to_owned();
    s.push(suffix);
    s.into()
}

/// Leptos options for serving the built site from `config.site_root`.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    let addr: std::net::SocketAddr = config.bind.parse().unwrap_or_else(|_| ([127, 0, 0, 1], 3000).into());
    LeptosOptions::builder()
        .output_name("oxidesk")
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(leptos::config::Env::PROD)
        .build()
}
