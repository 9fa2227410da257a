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

/// Keeps SQLite's planner statistics in step with the data as it grows, as SQLite recommends
/// for long-lived connections: `PRAGMA optimize=0x10002` on the writer (every table, analysis
/// limited per index) re-analyzes a table whose row count moved tenfold since its statistics
/// were taken. Other connections use the new statistics from their next statement (the schema
/// cookie moves and their prepared statements are prepared again). Statistics taken when a desk
/// had 5 tickets otherwise stay until a restart. Nothing to do on PostgreSQL, whose autovacuum
/// analyzes tables as they change.
pub async fn refresh_statistics(ctx: &super::AppContext) -> Result<(), crate::error::AppError> {
    if ctx.db.get_database_backend() != sea_orm::DbBackend::Sqlite {
        return Ok(());
    }
    let turn = ctx.write_turn().await;
    ctx.writer(&turn).execute_unprepared("PRAGMA optimize=0x10002").await?;
    Ok(())
}
