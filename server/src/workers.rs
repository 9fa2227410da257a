//! Background workers started by `oxidesk serve`.

use app::services::{cmdb, sla, tickets, AppContext};
use std::time::Duration;

/// Closes resolved tickets once the desk's auto-close delay has passed, every `every`.
/// Idempotent and safe on several nodes (each close is version-checked).
pub fn spawn_auto_close(ctx: AppContext, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match tickets::close_due_resolved(&ctx, chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(closed = n, "auto-closed resolved tickets"),
                Err(e) => tracing::error!(error = %e, "auto-close run failed"),
            }
        }
    })
}

/// Fires SLA warnings and breaches as they fall due, every `every`.
pub fn spawn_sla_timers(ctx: AppContext, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match sla::fire_due_timers(&ctx, chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(fired = n, "SLA timers fired"),
                Err(e) => tracing::error!(error = %e, "SLA timer run failed"),
            }
        }
    })
}

/// Fires warranty, lease and licence expiry notices as they fall due, every `every`.
pub fn spawn_expiry_notices(ctx: AppContext, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match cmdb::fire_due_notices(&ctx, chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(fired = n, "expiry notices sent"),
                Err(e) => tracing::error!(error = %e, "expiry notice run failed"),
            }
        }
    })
}

/// Takes the expiry action of approval stages past their due date, every `every`.
pub fn spawn_approval_expiry(ctx: AppContext, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match app::services::approvals::fire_due(&ctx, chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(expired = n, "approval stages expired"),
                Err(e) => tracing::error!(error = %e, "approval expiry run failed"),
            }
        }
    })
}

/// Refreshes planner statistics (and PostgreSQL's visibility map) as the data grows, every `every`
/// ([`app::services::db::refresh_statistics`]).
pub fn spawn_statistics(ctx: AppContext, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = app::services::db::refresh_statistics(&ctx).await {
                tracing::error!(error = %e, "planner statistics refresh failed");
            }
        }
    })
}

/// Caps glibc at two malloc arenas instead of eight per core. Memory freed by another thread
/// than the one that allocated it otherwise sits in many half-empty arenas: at 1M tickets on
/// SQLite the server's heap after the benchmark went from 305 to 189 MB (see `bench/README.md`).
/// Call it before any other thread starts. Does nothing off glibc.
pub fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only tunes the allocator; it is called before other threads exist.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Hands memory that the allocator keeps free inside its per-thread arenas back to the system,
/// every `every` (glibc only). The SQLite driver's threads allocate rows that tokio threads free,
/// and glibc otherwise keeps those pages: about 130 MB at 100k tickets (see `bench/README.md`).
pub fn spawn_memory_trim(every: Duration) -> Option<tokio::task::JoinHandle<()>> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        Some(tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                // SAFETY: `malloc_trim` only returns free pages to the kernel; it has no
                // preconditions and is thread-safe in glibc.
                let _ = tokio::task::spawn_blocking(|| unsafe { libc::malloc_trim(0) }).await;
            }
        }))
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        let _ = every;
        None
    }
}
