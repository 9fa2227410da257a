//! Oxidesk server: configuration, HTTP router (pages, server fns, REST API), security
//! middleware and the command-line interface.

pub mod cli;
pub mod config;
pub mod hub;
pub mod live;
pub mod rest;
pub mod router;
pub mod security;
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
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| format!("cannot create data directory {}: {e}", config.data_dir.display()))?;
    let url = config.effective_database_url();
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
