//! Live-update hub: relays committed outbox events (by sequence) and ephemeral presence to
//! connected consoles over Server-Sent Events.
//!
//! Each node runs one hub with its own cursor. It wakes on the in-process commit signal, on
//! PostgreSQL `NOTIFY oxidesk_events` (changes made by other nodes) and on a safety tick,
//! then reads `outbox_event` rows with `seq > cursor` in order. Clients carry the last `seq` they
//! saw (`Last-Event-ID` on reconnect) and the SSE handler replays the gap from the table, so a
//! reconnect never misses an event.
//!
//! Presence (who views / types on a ticket) is ephemeral and kept in memory per node; on
//! PostgreSQL every heartbeat is also published with `NOTIFY oxidesk_presence`, so consoles
//! connected to any node see viewers and typists on every node.

use app::services::entities::outbox_event;
use app::services::auth::TokenCache;
use app::services::config::ConfigCache;
use app::services::AppContext;
use sea_orm::{ColumnTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// How long a viewer counts as present without a heartbeat.
pub const PRESENCE_TTL: Duration = Duration::from_secs(30);
/// How long "is typing" lasts without another keystroke signal.
pub const TYPING_TTL: Duration = Duration::from_secs(6);

pub use app::dto::LiveMessage;

fn message_from_row(row: outbox_event::Model) -> LiveMessage {
    let payload: serde_json::Value = serde_json::from_str(&row.payload).unwrap_or(serde_json::Value::Null);
    LiveMessage {
        seq: row.seq,
        kind: row.kind,
        number: payload.get("number").and_then(|n| n.as_str()).map(str::to_string),
        actor_id: payload.get("actor_id").and_then(|v| v.as_i64()),
        actor_name: payload.get("actor").and_then(|v| v.as_str()).map(str::to_string),
        payload,
    }
}

#[derive(Debug, Clone)]
struct Presence {
    name: String,
    seen: Instant,
    typing_until: Option<Instant>,
}

/// A presence change crossing nodes through `NOTIFY oxidesk_presence`.
#[derive(Debug, Serialize, Deserialize)]
struct RemoteBeat {
    node: String,
    number: String,
    user_id: i64,
    name: String,
    typing: bool,
    leave: bool,
}

/// The per-node hub.
pub struct LiveHub {
    ctx: AppContext,
    tx: broadcast::Sender<Arc<LiveMessage>>,
    cursor: AtomicI64,
    presence: Mutex<HashMap<String, HashMap<i64, Presence>>>,
    node: String,
    outgoing: Option<tokio::sync::mpsc::UnboundedSender<RemoteBeat>>,
}

impl LiveHub {
    /// Starts the hub's relay and presence-sweeper tasks. `safety_tick` bounds how long a missed
    /// wake-up can delay delivery (the outbox is re-read at least that often).
    pub async fn start(ctx: AppContext, safety_tick: Duration) -> Result<Arc<Self>, sea_orm::DbErr> {
        let head = outbox_event::Entity::find()
            .select_only()
            .column_as(outbox_event::Column::Seq.max(), "m")
            .into_tuple::<Option<i64>>()
            .one(&ctx.db)
            .await?
            .flatten()
            .unwrap_or(0);
        let (tx, _) = broadcast::channel(4096);
        let pg = ctx.db.get_database_backend() == DbBackend::Postgres;
        let (out_tx, out_rx) = tokio::sync::mpsc::unbounded_channel();
        let hub = Arc::new(Self {
            ctx,
            tx,
            cursor: AtomicI64::new(head),
            presence: Mutex::new(HashMap::new()),
            node: format!("{:016x}", rand::random::<u64>()),
            outgoing: pg.then_some(out_tx),
        });
        if pg {
            tokio::spawn(publish_presence(hub.ctx.clone(), out_rx));
        }
        let (listening_tx, listening) = tokio::sync::oneshot::channel();
        tokio::spawn(relay(hub.clone(), safety_tick, listening_tx));
        tokio::spawn(sweep_presence(hub.clone()));
        if pg && tokio::time::timeout(Duration::from_secs(5), listening).await.is_err() {
            tracing::warn!("live hub: not listening to other nodes yet; starting anyway");
        }
        Ok(hub)
    }

    /// The highest sequence relayed so far.
    pub fn head(&self) -> i64 {
        self.cursor.load(Ordering::Acquire)
    }

    /// Receives every message relayed from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<LiveMessage>> {
        self.tx.subscribe()
    }

    /// Committed events after `after` (for catching a client up), oldest first.
    pub async fn replay(&self, after: i64, limit: u64) -> Result<Vec<LiveMessage>, sea_orm::DbErr> {
        Ok(self.rows_after(after, limit).await?.into_iter().map(message_from_row).collect())
    }

    async fn rows_after(&self, after: i64, limit: u64) -> Result<Vec<outbox_event::Model>, sea_orm::DbErr> {
        outbox_event::Entity::find()
            .filter(outbox_event::Column::Seq.gt(after))
            .order_by_asc(outbox_event::Column::Seq)
            .limit(limit)
            .all(&self.ctx.db)
            .await
    }

    /// Relays new events; configuration and user/group changes (made on any node) also drop this
    /// node's cached desk and SLA configuration and token actors.
    async fn pump(&self) -> Result<(), sea_orm::DbErr> {
        loop {
            let batch = self.rows_after(self.head(), 500).await?;
            let Some(last) = batch.last().map(|m| m.seq) else { return Ok(()) };
            if batch.iter().any(|row| ConfigCache::invalidated_by(&row.entity_type)) {
                self.ctx.config.invalidate();
            }
            if batch.iter().any(|row| TokenCache::invalidated_by(&row.entity_type)) {
                self.ctx.tokens.clear();
            }
            for row in batch {
                let _ = self.tx.send(Arc::new(message_from_row(row)));
            }
            self.cursor.store(last, Ordering::Release);
        }
    }

    /// Records that `user` is looking at (and maybe typing on) ticket `number`; tells the others
    /// (on this node at once, on other nodes through PostgreSQL).
    pub fn heartbeat(&self, number: &str, user_id: i64, name: &str, typing: bool) {
        self.record(number, user_id, name, typing);
        self.publish(number, user_id, name, typing, false);
    }

    /// Removes a viewer (page closed), here and on other nodes.
    pub fn leave(&self, number: &str, user_id: i64) {
        self.forget(number, user_id);
        self.publish(number, user_id, "", false, true);
    }

    fn publish(&self, number: &str, user_id: i64, name: &str, typing: bool, leave: bool) {
        if let Some(out) = &self.outgoing {
            let beat = RemoteBeat { node: self.node.clone(), number: number.into(), user_id, name: name.into(), typing, leave };
            let _ = out.send(beat);
        }
    }

    fn apply_remote(&self, payload: &str) {
        match serde_json::from_str::<RemoteBeat>(payload) {
            Ok(b) if b.node == self.node => {}
            Ok(b) if b.leave => self.forget(&b.number, b.user_id),
            Ok(b) => self.record(&b.number, b.user_id, &b.name, b.typing),
            Err(e) => tracing::warn!(error = %e, "live hub: unreadable presence notification"),
        }
    }

    fn record(&self, number: &str, user_id: i64, name: &str, typing: bool) {
        let now = Instant::now();
        {
            let Ok(mut map) = self.presence.lock() else { return };
            let viewers = map.entry(number.to_string()).or_default();
            let entry = viewers.entry(user_id).or_insert(Presence { name: name.to_string(), seen: now, typing_until: None });
            entry.seen = now;
            entry.typing_until = if typing { Some(now + TYPING_TTL) } else { entry.typing_until.filter(|t| *t > now) };
        }
        self.broadcast_presence(number, Some((user_id, name)));
    }

    fn forget(&self, number: &str, user_id: i64) {
        if let Ok(mut map) = self.presence.lock() {
            if let Some(v) = map.get_mut(number) {
                v.remove(&user_id);
            }
        }
        self.broadcast_presence(number, None);
    }

    /// Current presence of every ticket someone is viewing (sent to a client when it connects).
    pub fn presence_snapshots(&self) -> Vec<LiveMessage> {
        let numbers: Vec<String> = match self.presence.lock() {
            Ok(map) => map.keys().cloned().collect(),
            Err(_) => return vec![],
        };
        numbers.iter().filter_map(|n| self.presence_message(n, None)).collect()
    }

    fn broadcast_presence(&self, number: &str, actor: Option<(i64, &str)>) {
        if let Some(m) = self.presence_message(number, actor) {
            let _ = self.tx.send(Arc::new(m));
        }
    }

    fn presence_message(&self, number: &str, actor: Option<(i64, &str)>) -> Option<LiveMessage> {
        let now = Instant::now();
        let (viewers, typing) = {
            let map = self.presence.lock().ok()?;
            let v = map.get(number)?;
            let viewers: Vec<serde_json::Value> = v.iter().map(|(id, p)| serde_json::json!({ "id": id, "name": p.name })).collect();
            let typing: Vec<serde_json::Value> = v
                .iter()
                .filter(|(_, p)| p.typing_until.is_some_and(|t| t > now))
                .map(|(id, p)| serde_json::json!({ "id": id, "name": p.name }))
                .collect();
            (viewers, typing)
        };
        Some(LiveMessage {
            seq: 0,
            kind: "presence".into(),
            number: Some(number.to_string()),
            actor_id: actor.map(|a| a.0),
            actor_name: actor.map(|a| a.1.to_string()),
            payload: serde_json::json!({ "viewers": viewers, "typing": typing }),
        })
    }
}

/// Relays committed outbox events to this node's subscribers; on PostgreSQL also listens to the
/// other nodes (events and presence) and reports on `listening` once it does, so a node does not
/// miss a presence notice sent between its start and its first `LISTEN`.
async fn relay(hub: Arc<LiveHub>, safety_tick: Duration, listening: tokio::sync::oneshot::Sender<()>) {
    let mut local = hub.ctx.subscribe_events();
    let (pg_tx, mut pg_rx) = tokio::sync::mpsc::channel::<()>(64);
    if hub.ctx.db.get_database_backend() == DbBackend::Postgres {
        let pool = hub.ctx.db.get_postgres_connection_pool().clone();
        let remote = hub.clone();
        tokio::spawn(async move {
            let mut listening = Some(listening);
            loop {
                match sea_orm::sqlx::postgres::PgListener::connect_with(&pool).await {
                    Ok(mut listener) => {
                        if listener.listen_all(["oxidesk_events", "oxidesk_presence"]).await.is_ok() {
                            if let Some(ready) = listening.take() {
                                let _ = ready.send(());
                            }
                            // Catch up on anything committed while we were not listening.
                            if pg_tx.send(()).await.is_err() {
                                return;
                            }
                            while let Ok(n) = listener.recv().await {
                                if n.channel() == "oxidesk_presence" {
                                    remote.apply_remote(n.payload());
                                } else if pg_tx.send(()).await.is_err() {
                                    return;
                                }
                            }
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "live hub: LISTEN connection failed; retrying"),
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }
    let mut tick = tokio::time::interval(safety_tick);
    loop {
        if let Err(e) = hub.pump().await {
            tracing::error!(error = %e, "live hub: reading the outbox failed");
        }
        tokio::select! {
            r = local.changed() => if r.is_err() { return },
            _ = pg_rx.recv() => {},
            _ = tick.tick() => {},
        }
    }
}

/// Sends this node's presence changes to the other nodes (`NOTIFY oxidesk_presence`).
async fn publish_presence(ctx: AppContext, mut beats: tokio::sync::mpsc::UnboundedReceiver<RemoteBeat>) {
    use sea_orm::{ConnectionTrait, Statement};
    while let Some(beat) = beats.recv().await {
        let Ok(payload) = serde_json::to_string(&beat) else { continue };
        let stmt = Statement::from_sql_and_values(DbBackend::Postgres, "SELECT pg_notify('oxidesk_presence', $1)", [payload.into()]);
        if let Err(e) = ctx.db.execute_raw(stmt).await {
            tracing::warn!(error = %e, "live hub: could not publish presence");
        }
    }
}

async fn sweep_presence(hub: Arc<LiveHub>) {
    let mut tick = tokio::time::interval(Duration::from_secs(2));
    loop {
        tick.tick().await;
        let now = Instant::now();
        let mut changed = Vec::new();
        if let Ok(mut map) = hub.presence.lock() {
            for (number, viewers) in map.iter_mut() {
                let before: Vec<(i64, bool)> = viewers.iter().map(|(id, p)| (*id, p.typing_until.is_some_and(|t| t > now))).collect();
                viewers.retain(|_, p| now.duration_since(p.seen) < PRESENCE_TTL);
                for p in viewers.values_mut() {
                    if p.typing_until.is_some_and(|t| t <= now) {
                        p.typing_until = None;
                    }
                }
                let after: Vec<(i64, bool)> = viewers.iter().map(|(id, p)| (*id, p.typing_until.is_some())).collect();
                if before.len() != after.len() || before.iter().any(|b| !after.contains(b)) {
                    changed.push(number.clone());
                }
            }
            map.retain(|_, v| !v.is_empty());
        }
        for number in changed {
            hub.broadcast_presence(&number, None);
        }
    }
}
