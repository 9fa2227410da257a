//! Connecting to SQLite (embedded default) or PostgreSQL and migrating the schema.

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};
use std::path::Path;
use std::time::Duration;

/// SQLite URL for the database file inside `data_dir` (created if missing).
pub fn sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", data_dir.join("oxidesk.db").display())
}

/// Connects and applies pending migrations. Every SQLite connection gets WAL with
/// `synchronous=NORMAL` (durable across application crashes; the last commits may be lost only
/// on power loss), foreign keys and a busy timeout.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    let sqlite = url.starts_with("sqlite:");
    let db = Database::connect(options(url, if sqlite { 8 } else { 20 })).await?;
    Migrator::up(&db, None).await?;
    if sqlite {
        // Refreshes the planner's statistics where they are missing or stale (cheap: analysis is
        // limited per index), so queue queries pick the index that suits them.
        db.execute_unprepared("PRAGMA optimize=0x10002").await?;
    }
    Ok(db)
}

/// SQLite's writer: one connection of its own for every write transaction (`None` on
/// PostgreSQL, where writes share the pool). Writes are serialised anyway; keeping them on one
/// connection keeps its page cache valid between transactions, where a pooled connection would
/// re-read every page another connection's commit invalidated.
pub async fn connect_writer(url: &str) -> Result<Option<DatabaseConnection>, DbErr> {
    if !url.starts_with("sqlite:") {
        return Ok(None);
    }
    let mut opts = options(url, 1);
    // Callers queue on the write guard first, so the connection is always free when asked for.
    opts.acquire_timeout(Duration::from_secs(60));
    Ok(Some(Database::connect(opts).await?))
}

fn options(url: &str, max_connections: u32) -> ConnectOptions {
    let mut opts = ConnectOptions::new(url.to_string());
    opts.map_sqlx_sqlite_opts(|o| {
        use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
        o.journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
    });
    opts.max_connections(max_connections).min_connections(1).connect_timeout(Duration::from_secs(10)).sqlx_logging(false);
    opts
}

/// Tables whose upkeep the queue's reads depend on (PostgreSQL).
const KEPT_TABLES: [&str; 6] = ["ticket", "ticket_comment", "audit_entry", "outbox_event", "sla_timer", "notification"];

/// Keeps the planner's statistics (and, on PostgreSQL, the visibility map) in step with the data
/// as it grows, so plans and index-only reads do not wait for a restart or for autovacuum.
///
/// SQLite: `PRAGMA optimize=0x10002` on the writer, as SQLite recommends for long-lived
/// connections (every table; analysis limited per index): a table whose row count moved tenfold
/// since its statistics were taken is analyzed again, and the other connections use the new
/// statistics from their next statement (the schema cookie moves; prepared statements are
/// prepared again). Statistics taken when a desk had 5 tickets otherwise stay until a restart.
///
/// PostgreSQL: the tables the queues read are vacuumed and analyzed (`SKIP_LOCKED`, so nodes
/// doing it at once do not wait on each other) once a tenth of their rows (and at least 1,000)
/// were inserted or changed since — autovacuum gets there too, but a desk that grew by 100,000
/// tickets in a minute read its open queue in 57 ms instead of 2.4 ms until it did.
pub async fn refresh_statistics(ctx: &super::AppContext) -> Result<(), crate::error::AppError> {
    use sea_orm::{DbBackend, Statement};
    match ctx.db.get_database_backend() {
        DbBackend::Sqlite => {
            let turn = ctx.write_turn().await;
            ctx.writer(&turn).execute_unprepared("PRAGMA optimize=0x10002").await?;
        }
        DbBackend::Postgres => {
            let sql = "SELECT relname::text AS name, n_live_tup, n_mod_since_analyze, n_ins_since_vacuum FROM pg_stat_user_tables WHERE relname::text = ANY($1)";
            let names: Vec<String> = KEPT_TABLES.iter().map(|t| t.to_string()).collect();
            let rows = ctx.db.query_all_raw(Statement::from_sql_and_values(DbBackend::Postgres, sql, [names.into()])).await?;
            for row in rows {
                let name: String = row.try_get("", "name")?;
                let Some(table) = KEPT_TABLES.iter().find(|t| **t == name) else { continue };
                let live: i64 = row.try_get("", "n_live_tup")?;
                let changed: i64 = row.try_get("", "n_mod_since_analyze")?;
                let inserted: i64 = row.try_get("", "n_ins_since_vacuum")?;
                let due = 1_000 + live / 10;
                if inserted > due {
                    ctx.db.execute_unprepared(&format!("VACUUM (ANALYZE, SKIP_LOCKED) {table}")).await?;
                } else if changed > due {
                    ctx.db.execute_unprepared(&format!("ANALYZE (SKIP_LOCKED) {table}")).await?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}
