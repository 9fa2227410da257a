//! CI names looked up by an index: `configuration_item.name_key` (the name lower-cased by the
//! application, unique) for exact lookups, and a trigram index on it for "part of the name"
//! searches (SQLite FTS5 `trigram`, PostgreSQL `pg_trgm` where the extension can be created).

use crate::execute_all as run;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

/// `configuration_item.name_key`, its unique index and the trigram index.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000013_ci_name_key"
    }
}

#[derive(DeriveIden)]
enum ConfigurationItem { Table, NameKey }

const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE ci_name_fts USING fts5(name_key, content='configuration_item', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER ci_name_fts_insert AFTER INSERT ON configuration_item BEGIN
        INSERT INTO ci_name_fts(rowid, name_key) VALUES (new.id, new.name_key);
     END",
    "CREATE TRIGGER ci_name_fts_delete AFTER DELETE ON configuration_item BEGIN
        INSERT INTO ci_name_fts(ci_name_fts, rowid, name_key) VALUES ('delete', old.id, old.name_key);
     END",
    "CREATE TRIGGER ci_name_fts_update AFTER UPDATE OF name_key ON configuration_item BEGIN
        INSERT INTO ci_name_fts(ci_name_fts, rowid, name_key) VALUES ('delete', old.id, old.name_key);
        INSERT INTO ci_name_fts(rowid, name_key) VALUES (new.id, new.name_key);
     END",
    "INSERT INTO ci_name_fts(ci_name_fts) VALUES ('rebuild')",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS ci_name_fts_update",
    "DROP TRIGGER IF EXISTS ci_name_fts_delete",
    "DROP TRIGGER IF EXISTS ci_name_fts_insert",
    "DROP TABLE IF EXISTS ci_name_fts",
];

/// `pg_trgm` ships with PostgreSQL's contrib modules and is a trusted extension, so a database
/// owner may create it; where it cannot be created, searches still work, by a scan.
const POSTGRES_UP: &[&str] = &[
    "DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm; EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'pg_trgm unavailable: CI name searches scan'; END $$",
    "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX idx_ci_name_trgm ON configuration_item USING gin (name_key gin_trgm_ops);
     END IF; END $$",
];

const POSTGRES_DOWN: &[&str] = &["DROP INDEX IF EXISTS idx_ci_name_trgm"];

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(ConfigurationItem::Table).add_column(ColumnDef::new(ConfigurationItem::NameKey).string_len(80).not_null().default("")).to_owned(),
        )
        .await?;
        let db = m.get_connection();
        let backend = m.get_database_backend();
        db.execute_unprepared("UPDATE configuration_item SET name_key = lower(trim(name))").await?;
        // Keys are lower-cased as the application does; SQL `lower` may fold only ASCII, so the
        // rows where the two differ are corrected one by one.
        for row in db.query_all_raw(Statement::from_string(backend, "SELECT id, name, name_key FROM configuration_item")).await? {
            let (id, name, key): (i64, String, String) = (row.try_get("", "id")?, row.try_get("", "name")?, row.try_get("", "name_key")?);
            let wanted = name.trim().to_lowercase();
            if wanted == key {
                continue;
            }
            let sql = match backend {
                DbBackend::Postgres => "UPDATE configuration_item SET name_key = $1 WHERE id = $2",
                _ => "UPDATE configuration_item SET name_key = ? WHERE id = ?",
            };
            db.execute_raw(Statement::from_sql_and_values(backend, sql, [wanted.into(), id.into()])).await?;
        }
        m.create_index(Index::create().name("idx_ci_name_key").table(ConfigurationItem::Table).col(ConfigurationItem::NameKey).unique().to_owned()).await?;
        run(m, if backend == DbBackend::Postgres { POSTGRES_UP } else { SQLITE_UP }).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        run(m, if m.get_database_backend() == DbBackend::Postgres { POSTGRES_DOWN } else { SQLITE_DOWN }).await?;
        m.drop_index(Index::drop().name("idx_ci_name_key").table(ConfigurationItem::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(ConfigurationItem::Table).drop_column(ConfigurationItem::NameKey).to_owned()).await
    }
}
