//! Schema upgrades over existing data, on SQLite and PostgreSQL.

mod common;

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

/// Migrations before `m20261201_000013_ci_name_key`.
const BEFORE_CI_NAME_KEY: u32 = 12;

async fn upgrade_keys_existing_ci_names(url: &str) {
    let db = Database::connect(url).await.expect("connect");
    Migrator::up(&db, Some(BEFORE_CI_NAME_KEY)).await.expect("migrate to 000012");
    let backend = db.get_database_backend();
    for name in ["VPN-GW-01", "ÉCRAN-Salle_3", " Core-SW "] {
        let sql = match backend {
            DbBackend::Postgres => "INSERT INTO configuration_item (name, class, status, description, version, created_at, updated_at) VALUES ($1, 'server', 'in_service', '', 1, now(), now())",
            _ => "INSERT INTO configuration_item (name, class, status, description, version, created_at, updated_at) VALUES (?, 'server', 'in_service', '', 1, datetime('now'), datetime('now'))",
        };
        db.execute_raw(Statement::from_sql_and_values(backend, sql, [name.into()])).await.expect("insert CI");
    }
    Migrator::up(&db, None).await.expect("migrate to the latest");
    let rows = db.query_all_raw(Statement::from_string(backend, "SELECT name_key FROM configuration_item ORDER BY id")).await.expect("read keys");
    let keys: Vec<String> = rows.iter().map(|r| r.try_get("", "name_key").expect("name_key")).collect();
    assert_eq!(keys, ["vpn-gw-01", "écran-salle_3", "core-sw"]);
    // The keys are indexed for parts of names too.
    let sql = match backend {
        DbBackend::Postgres => "SELECT count(*) AS n FROM configuration_item WHERE name_key LIKE '%salle%'",
        _ => "SELECT count(*) AS n FROM ci_name_fts WHERE name_key LIKE '%salle%'",
    };
    let n: i64 = db.query_one_raw(Statement::from_string(backend, sql)).await.expect("search").expect("row").try_get("", "n").expect("n");
    assert_eq!(n, 1);
}

#[tokio::test]
async fn ci_names_get_keys_on_upgrade_sqlite() {
    let tmp = tempfile::tempdir().expect("temp dir");
    upgrade_keys_existing_ci_names(&app::services::db::sqlite_url(tmp.path())).await;
}

#[tokio::test]
async fn ci_names_get_keys_on_upgrade_postgres() {
    let Some((url, name)) = common::fresh_pg_database().await else { return };
    upgrade_keys_existing_ci_names(&url).await;
    common::drop_pg_database(&name).await;
}
