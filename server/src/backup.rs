//! `oxidesk backup FILE` and `oxidesk restore FILE` for the embedded SQLite database.
//!
//! A backup is one SQLite file written by `VACUUM INTO` from a read transaction: a consistent
//! snapshot taken while the server keeps serving and writing (WAL mode), holding every table —
//! tickets, audit, outbox and attachments, whose bytes live in the database. The search index is
//! not in it: it is rebuilt from the tables on restore. PostgreSQL deployments use `pg_dump` /
//! `pg_restore` (see the README).

use crate::config::Config;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use std::path::Path;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Writes a consistent copy of the SQLite database to `file` (which must not exist yet).
pub async fn backup(config: &Config, file: &Path) -> Result<u64, BoxError> {
    if config.external_database_url().is_some() {
        return Err("the database is PostgreSQL: back it up with pg_dump (see the README)".into());
    }
    if file.exists() {
        return Err(format!("{} already exists; choose a new file", file.display()).into());
    }
    let db_file = config.data_dir.join("oxidesk.db");
    if !db_file.exists() {
        return Err(format!("no database in {}", config.data_dir.display()).into());
    }
    let partial = file.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let db = Database::connect(format!("sqlite://{}?mode=rw", db_file.display())).await?;
    db.execute_raw(Statement::from_sql_and_values(DbBackend::Sqlite, "VACUUM INTO ?", [partial.to_string_lossy().to_string().into()]))
        .await
        .map_err(|e| format!("backup failed: {e}"))?;
    db.close().await?;
    restrict(&partial)?;
    std::fs::rename(&partial, file)?;
    Ok(std::fs::metadata(file)?.len())
}

/// Restores `file` (a backup) into the configured data directory, which must hold no database
/// yet; then migrates it to this version's schema and rebuilds the search index.
pub async fn restore(config: &Config, file: &Path) -> Result<(), BoxError> {
    if config.external_database_url().is_some() {
        return Err("the database is PostgreSQL: restore it with pg_restore (see the README)".into());
    }
    let target = config.data_dir.join("oxidesk.db");
    if target.exists() {
        return Err(format!("{} already holds a database; restore into an empty data directory", config.data_dir.display()).into());
    }
    check_backup(file).await?;
    crate::private_dir(&config.data_dir)?;
    let partial = config.data_dir.join("oxidesk.db.restoring");
    std::fs::copy(file, &partial)?;
    restrict(&partial)?;
    std::fs::rename(&partial, &target)?;
    let ctx = crate::connect(config).await?;
    app::services::search::indexer::rebuild(&ctx, |_, _| {}).await.map_err(|e| format!("rebuilding the search index failed: {e}"))?;
    Ok(())
}

/// Refuses a file that is not an intact Oxidesk database.
async fn check_backup(file: &Path) -> Result<(), BoxError> {
    if !file.is_file() {
        return Err(format!("{} is not a file", file.display()).into());
    }
    let not_a_backup = || format!("{} is not an Oxidesk backup", file.display());
    let db = Database::connect(format!("sqlite://{}?mode=ro", file.display())).await.map_err(|_| not_a_backup())?;
    let ok = db
        .query_one_raw(Statement::from_string(DbBackend::Sqlite, "PRAGMA integrity_check"))
        .await
        .ok()
        .flatten()
        .and_then(|row| row.try_get_by_index::<String>(0).ok());
    let migrated = db
        .query_one_raw(Statement::from_string(DbBackend::Sqlite, "SELECT count(*) FROM seaql_migrations"))
        .await
        .ok()
        .flatten()
        .and_then(|row| row.try_get_by_index::<i64>(0).ok());
    db.close().await?;
    match (ok.as_deref(), migrated) {
        (Some("ok"), Some(n)) if n > 0 => Ok(()),
        (Some(other), Some(_)) if other != "ok" => Err(format!("{} is damaged: {other}", file.display()).into()),
        _ => Err(not_a_backup().into()),
    }
}

fn restrict(file: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))
}
