//! The tail of every write: append-only audit rows and one outbox event, in the caller's
//! transaction, so a committed change always has its audit trail and its event.

use super::entities::{audit_entry, outbox_event};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, EntityTrait, Set};

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

impl AuditLine<'_> {
    /// The row this line is stored as.
    pub fn row(self) -> audit_entry::ActiveModel {
        audit_entry::ActiveModel {
            entity_type: Set(self.entity_type.to_string()),
            entity_id: Set(self.entity_id),
            actor_id: Set(self.actor_id),
            action: Set(self.action.to_string()),
            field: Set(self.field.map(str::to_string)),
            old_value: Set(self.old_value),
            new_value: Set(self.new_value),
            at: Set(self.at),
            ..Default::default()
        }
    }
}

/// Appends an audit line.
pub async fn audit(txn: &DatabaseTransaction, line: AuditLine<'_>) -> Result<(), DbErr> {
    line.row().insert(txn).await?;
    Ok(())
}

/// Appends many audit lines, 1,000 to a statement.
pub async fn audit_many(txn: &DatabaseTransaction, lines: Vec<AuditLine<'_>>) -> Result<(), DbErr> {
    let rows: Vec<audit_entry::ActiveModel> = lines.into_iter().map(AuditLine::row).collect();
    for part in rows.chunks(1_000) {
        audit_entry::Entity::insert_many(part.to_vec()).exec(txn).await?;
    }
    Ok(())
}

/// On PostgreSQL, takes the transaction-scoped lock that makes outbox `seq` order equal commit
/// order; call before inserting outbox events.
pub async fn lock_outbox(txn: &DatabaseTransaction) -> Result<(), DbErr> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(7355608)").await?;
    }
    Ok(())
}

/// On PostgreSQL, wakes other nodes' consumers when the transaction commits.
pub async fn notify_outbox(txn: &DatabaseTransaction, seq: i64) -> Result<(), DbErr> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!("SELECT pg_notify('oxidesk_events', '{seq}')")).await?;
    }
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
    lock_outbox(txn).await?;
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
    notify_outbox(txn, row.seq).await?;
    Ok(row.seq)
}
