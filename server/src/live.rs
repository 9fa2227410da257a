//! `/api/live`: the Server-Sent Events stream the console listens to, and presence heartbeats.

use crate::hub::LiveMessage;
use crate::rest::{ApiError, SessionActor};
use crate::ServerState;
use app::AppError;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use futures::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// Query of `GET /api/live`.
#[derive(Debug, Deserialize)]
pub struct LiveQuery {
    /// Resume after this sequence (the browser's `Last-Event-ID` wins when present).
    pub after: Option<i64>,
}

fn to_event(m: &LiveMessage) -> Event {
    let data = serde_json::to_string(m).unwrap_or_else(|_| "{}".into());
    let event = Event::default().data(data);
    if m.seq > 0 {
        event.id(m.seq.to_string())
    } else {
        event
    }
}

/// Streams committed ticket events (and presence) to agents: a `hello` with the current head,
/// then any events after the client's cursor, then live ones — never skipping a sequence.
pub async fn stream(
    State(state): State<ServerState>,
    SessionActor(actor): SessionActor,
    headers: HeaderMap,
    Query(q): Query<LiveQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    if !actor.is_staff() {
        return Err(AppError::Forbidden.into());
    }
    let hub = state.hub.clone();
    let rx = hub.subscribe();
    let resume = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<i64>().ok());
    let after = resume.or(q.after).unwrap_or_else(|| hub.head());
    let backlog = hub.replay(after, 10_000).await.map_err(AppError::from)?;
    let last = backlog.last().map(|m| m.seq).unwrap_or(after).max(after);
    let hello = LiveMessage {
        seq: 0,
        kind: "hello".into(),
        number: None,
        actor_id: None,
        actor_name: None,
        payload: serde_json::json!({ "head": last }),
    };
    let first: Vec<LiveMessage> = std::iter::once(hello).chain(backlog).chain(hub.presence_snapshots()).collect();
    let session = Session { ctx: state.ctx.clone(), user_id: actor.user_id, secret: session_secret(&headers) };
    let live = stream::unfold((rx, last, hub), move |(mut rx, mut last, hub)| {
        let session = session.clone();
        async move {
        loop {
            match rx.recv().await {
                Ok(m) if m.seq == 0 => return Some((vec![(*m).clone()], (rx, last, hub))),
                Ok(m) if m.seq <= last => continue,
                Ok(m) if session.ended_by(&m).await => return None,
                Ok(m) => {
                    if m.seq > last + 1 {
                        // A gap (e.g. events relayed before we subscribed): fill it from the table.
                        let mut missed = hub.replay(last, 10_000).await.unwrap_or_default();
                        missed.retain(|x| x.seq <= m.seq);
                        last = missed.last().map(|x| x.seq).unwrap_or(m.seq).max(m.seq);
                        if missed.last().map(|x| x.seq) != Some(m.seq) {
                            missed.push((*m).clone());
                        }
                        return Some((missed, (rx, last, hub)));
                    }
                    last = m.seq;
                    return Some((vec![(*m).clone()], (rx, last, hub)));
                }
                Err(RecvError::Lagged(_)) => {
                    let missed = hub.replay(last, 10_000).await.unwrap_or_default();
                    if let Some(l) = missed.last() {
                        last = l.seq;
                    }
                    return Some((missed, (rx, last, hub)));
                }
                Err(RecvError::Closed) => return None,
            }
        }
        }
    });
    let events = stream::iter(vec![first])
        .chain(live)
        .flat_map(|batch| stream::iter(batch.into_iter().map(|m| Ok(to_event(&m)))));
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// The session a stream was opened with, so the stream ends when that session does.
#[derive(Clone)]
struct Session {
    ctx: app::services::AppContext,
    user_id: i64,
    secret: Option<String>,
}

impl Session {
    /// Whether `m` changed this stream's user (deactivated, password reset, sessions revoked …)
    /// in a way that ended its session.
    async fn ended_by(&self, m: &LiveMessage) -> bool {
        if !m.kind.starts_with("user.") || m.payload.get("user_id").and_then(|v| v.as_i64()) != Some(self.user_id) {
            return false;
        }
        match &self.secret {
            Some(secret) => matches!(app::services::auth::actor_for_session(&self.ctx, secret).await, Ok(None)),
            None => true,
        }
    }
}

fn session_secret(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(app::services::auth::session_from_cookie_header)
        .map(str::to_string)
}

/// Body of `POST /api/live/presence`.
#[derive(Debug, Deserialize)]
pub struct PresenceBeat {
    /// Ticket number being viewed.
    pub number: String,
    /// Whether the user is typing a reply right now.
    #[serde(default)]
    pub typing: bool,
    /// The page is closing.
    #[serde(default)]
    pub leave: bool,
}

/// Presence heartbeat from a ticket page (agents only).
pub async fn presence(
    State(state): State<ServerState>,
    SessionActor(actor): SessionActor,
    Json(beat): Json<PresenceBeat>,
) -> Result<StatusCode, ApiError> {
    if !actor.is_staff() {
        return Err(AppError::Forbidden.into());
    }
    if app::domain::TicketNumber::parse(&beat.number).is_err() {
        return Err(AppError::field("number", "Not a ticket number").into());
    }
    if beat.leave {
        state.hub.leave(&beat.number, actor.user_id);
    } else {
        state.hub.heartbeat(&beat.number, actor.user_id, &actor.display_name, beat.typing);
    }
    Ok(StatusCode::NO_CONTENT)
}
