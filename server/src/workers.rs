//! Background workers started by `oxidesk serve`.

use app::services::{sla, tickets, AppContext};
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
