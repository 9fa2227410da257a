//! The tail of every write: append-only audit rows and one outbox event, in the caller's
//! transaction, so a committed change always has its audit trail and its event.

use super::entities::{audit_entry, outbox_event};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, Set};

/// One audit line to append.
pub struct AuditLine<'a> {
    /// `ticket`, `user`, ...
    pub entity_type: &'a str,
    /// Row id.
    pub entity_id: i64,
    /// Acting user (None for the system).
    pub actor_id: Option<i64>,
    /// `created`, `field_changed`, `comment_added`, ...
    pub action: &'a str,
    /// Changed field.
    pub field: Option<&'a str>,
    /// Previous value.
    pub old_value: Option<String>,
    /// New value.
    pub new_value: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// Appends an audit line.
pub async fn audit(txn: &DatabaseTransaction, line: AuditLine<'_>) -> Result<(), DbErr> {
    audit_entry::ActiveModel {
        entity_type: Set(line.entity_type.to_string()),
        entity_id: Set(line.entity_id),
        actor_id: Set(line.actor_id),
        action: Set(line.action.to_string()),
        field: Set(line.field.map(str::to_string)),
        old_value: Set(line.old_value),
        new_value: Set(line.new_value),
        at: Set(line.at),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Appends an outbox event and returns its sequence number.
///
/// On PostgreSQL a transaction-scoped advisory lock makes `seq` order equal commit order (so a
/// consumer reading `seq > cursor` never skips a slower, earlier transaction), and `pg_notify`
/// wakes other nodes when the transaction commits.
pub async fn append_event(
    txn: &DatabaseTransaction,
    kind: &str,
    entity_type: &str,
    entity_id: i64,
    payload: serde_json::Value,
) -> Result<i64, DbErr> {
    let pg = txn.get_database_backend() == DbBackend::Postgres;
    if pg {
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(7355608)").await?;
    }
    let row = outbox_event::ActiveModel {
        kind: Set(kind.to_string()),
        entity_type: Set(entity_type.to_string()),
        entity_id: Set(entity_id),
        payload: Set(payload.to_string()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    if pg {
        txn.execute_unprepared(&format!("SELECT pg_notify('oxidesk_events', '{}')", row.seq)).await?;
    }
    Ok(row.seq)
}
