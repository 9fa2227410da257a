//! Durable timers (SLA warnings and breaches, expiry notices): rows with a `due_at` and a
//! `fired_at`, taken in batches by whichever node gets to them first.

use crate::error::AppError;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, Statement};

/// The ids of up to 50 unfired rows of `table` due at `now`, soonest first, locked for this
/// transaction on PostgreSQL (`FOR UPDATE SKIP LOCKED`, so several nodes share the work). The
/// caller marks each fired in the same transaction as its effects.
pub(crate) async fn due_ids(txn: &DatabaseTransaction, table: &'static str, now: DateTime<Utc>) -> Result<Vec<i64>, AppError> {
    let backend = txn.get_database_backend();
    let lock = if backend == DbBackend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!("SELECT id FROM {table} WHERE fired_at IS NULL AND due_at <= $1 ORDER BY due_at LIMIT 50{lock}");
    let rows = txn.query_all_raw(Statement::from_sql_and_values(backend, sql, [now.into()])).await?;
    Ok(rows.iter().filter_map(|r| r.try_get::<i64>("", "id").ok()).collect())
}
