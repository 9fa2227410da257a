//! The context every request handler, server fn, CLI command and worker shares.

use super::auth::throttle::{LoginThrottle, PasswordWork};
use super::auth::TokenCache;
use super::config::{ConfigCache, DeskConfig};
use super::search::SearchIndex;
use super::tickets::CreateQueue;
use crate::error::AppError;
use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};
use sea_orm::DbBackend;
use std::sync::Arc;
use tokio::sync::{watch, Mutex, OwnedMutexGuard};

/// Service-level settings (loaded from config by the server).
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long a console/portal session lasts.
    pub session_ttl_hours: i64,
    /// Mark cookies `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Take the client address from the last `X-Forwarded-For` entry (behind a reverse proxy).
    pub trust_forwarded_for: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self { session_ttl_hours: 12, secure_cookies: false, trust_forwarded_for: false }
    }
}

/// The right to write: on SQLite the lock of the one writer connection, on PostgreSQL nothing.
#[must_use = "a write turn ends when it is dropped"]
pub struct WriteTurn {
    _lock: Option<OwnedMutexGuard<()>>,
}

/// Database handle, settings and the outbox wake-up signal.
#[derive(Clone)]
pub struct AppContext {
    /// Connection pool (SQLite or PostgreSQL) for reads.
    pub db: DatabaseConnection,
    /// Where writes run, reached only with a [`WriteTurn`]: on SQLite one connection of its own,
    /// so its page cache stays warm and no reader's lock stands in its way; on PostgreSQL the
    /// same pool as `db`.
    writer: DatabaseConnection,
    /// Settings.
    pub settings: Arc<Settings>,
    /// This process's search index (knowledge articles, catalog items).
    pub search: Arc<SearchIndex>,
    /// Cached desk and SLA configuration.
    pub config: Arc<ConfigCache>,
    /// Cached actors of recently used API tokens.
    pub tokens: Arc<TokenCache>,
    /// Failed sign-ins per account and client address (this node's).
    pub login_throttle: Arc<LoginThrottle>,
    /// The bounded pool password hashing runs on.
    pub password_work: Arc<PasswordWork>,
    /// Tickets raised and waiting for the writer (group commit).
    pub(crate) creates: Arc<CreateQueue>,
    events: Arc<watch::Sender<i64>>,
    sqlite_writer: Arc<Mutex<()>>,
}

impl AppContext {
    /// Wraps a connected, migrated database, with an in-memory search index until
    /// [`Self::with_search_index`] gives it the persistent one.
    pub fn new(db: DatabaseConnection, settings: Settings) -> Self {
        let (tx, _rx) = watch::channel(0);
        Self {
            writer: db.clone(),
            db,
            settings: Arc::new(settings),
            search: Arc::new(SearchIndex::in_memory()),
            config: Arc::new(ConfigCache::default()),
            tokens: Arc::new(TokenCache::default()),
            login_throttle: Arc::new(LoginThrottle::default()),
            password_work: Arc::new(PasswordWork::default()),
            creates: Arc::new(CreateQueue::default()),
            events: Arc::new(tx),
            sqlite_writer: Arc::new(Mutex::new(())),
        }
    }

    /// Runs write transactions on `writer` (SQLite's dedicated writer connection).
    pub fn with_writer(mut self, writer: DatabaseConnection) -> Self {
        self.writer = writer;
        self
    }

    /// Uses `index` as this process's search index.
    pub fn with_search_index(mut self, index: SearchIndex) -> Self {
        self.search = Arc::new(index);
        self
    }

    /// The desk and SLA configuration (cached; reloaded after a configuration change).
    pub async fn desk_config(&self) -> Result<Arc<DeskConfig>, AppError> {
        self.config.get(&self.db).await
    }

    /// Waits for this process's turn to write. On SQLite one writer at a time avoids
    /// `SQLITE_BUSY` on lock upgrade; PostgreSQL handles concurrent writers itself.
    pub async fn write_turn(&self) -> WriteTurn {
        match self.db.get_database_backend() {
            DbBackend::Sqlite => WriteTurn { _lock: Some(self.sqlite_writer.clone().lock_owned().await) },
            _ => WriteTurn { _lock: None },
        }
    }

    /// The connection writes run on; asking for it takes a turn in hand.
    pub fn writer<'a>(&'a self, _turn: &'a WriteTurn) -> &'a DatabaseConnection {
        &self.writer
    }

    /// Waits for the turn to write and begins a transaction on the writer. Keep the turn until
    /// the transaction is committed or dropped.
    pub async fn begin_write(&self) -> Result<(WriteTurn, DatabaseTransaction), AppError> {
        let turn = self.write_turn().await;
        let txn = self.writer.begin().await?;
        Ok((turn, txn))
    }

    /// Tells outbox consumers that events up to `seq` are committed.
    pub fn notify_committed(&self, seq: i64) {
        self.events.send_if_modified(|last| {
            if seq > *last {
                *last = seq;
                true
            } else {
                false
            }
        });
    }

    /// Subscribes to "new outbox events committed" signals (value: highest known seq).
    pub fn subscribe_events(&self) -> watch::Receiver<i64> {
        self.events.subscribe()
    }
}
