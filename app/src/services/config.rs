//! In-memory snapshot of the small configuration every ticket write reads: the desk (priority
//! matrix, reopen/auto-close settings, resolution codes) and the SLA book (policies, calendars).
//!
//! Loaded on first use and dropped whenever a configuration change commits: by the service that
//! made it on this node, and by the live hub for changes other nodes made (their outbox events
//! name a configuration entity, see [`ConfigCache::invalidated_by`]).

use super::desk::{self, Desk};
use super::sla::SlaBook;
use crate::error::AppError;
use sea_orm::ConnectionTrait;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

/// The configuration a ticket write works with.
pub struct DeskConfig {
    /// Priority matrix, desk settings, resolution codes.
    pub desk: Desk,
    /// SLA policies and calendars.
    pub sla: SlaBook,
}

impl DeskConfig {
    /// Reads the configuration from the database (a handful of small tables).
    pub async fn load(db: &impl ConnectionTrait) -> Result<Self, AppError> {
        Ok(Self { desk: desk::load(db).await?, sla: SlaBook::load(db).await? })
    }
}

/// The current [`DeskConfig`], shared by every request of this process.
#[derive(Default)]
pub struct ConfigCache {
    current: RwLock<Option<Arc<DeskConfig>>>,
    generation: AtomicU64,
}

impl ConfigCache {
    /// The cached configuration, loading it through `db` when nothing valid is cached.
    pub async fn get(&self, db: &impl ConnectionTrait) -> Result<Arc<DeskConfig>, AppError> {
        if let Some(config) = self.current.read().ok().and_then(|c| c.clone()) {
            return Ok(config);
        }
        let generation = self.generation.load(Ordering::Acquire);
        let loaded = Arc::new(DeskConfig::load(db).await?);
        if let Ok(mut slot) = self.current.write() {
            // A change that committed while we were loading may not be in `loaded`: keep it
            // for this caller only.
            if self.generation.load(Ordering::Acquire) == generation {
                *slot = Some(loaded.clone());
            }
        }
        Ok(loaded)
    }

    /// Drops the cached configuration; the next [`Self::get`] reloads it.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Ok(mut slot) = self.current.write() {
            *slot = None;
        }
    }

    /// Whether an outbox event about `entity_type` changes the cached configuration.
    pub fn invalidated_by(entity_type: &str) -> bool {
        matches!(entity_type, "desk" | "sla_policy" | "sla_calendar")
    }
}

#[cfg(test)]
mod tests {
    use super::ConfigCache;

    #[test]
    fn configuration_events_invalidate_the_cache() {
        assert!(ConfigCache::invalidated_by("desk"));
        assert!(ConfigCache::invalidated_by("sla_policy"));
        assert!(ConfigCache::invalidated_by("sla_calendar"));
        assert!(!ConfigCache::invalidated_by("ticket"));
        assert!(!ConfigCache::invalidated_by("kb_article"));
    }
}
