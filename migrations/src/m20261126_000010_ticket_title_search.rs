//! A full-text index of ticket titles for the queue's text filter, so a rare word or a CI name is
//! found through the index instead of a `LIKE '%…%'` scan of every ticket (measured at 1M tickets,
//! see `bench/README.md`). PostgreSQL: a generated `tsvector` column with a GIN index. SQLite: an
//! FTS5 table over `ticket.title` (external content), kept in step by triggers and filled here.

use sea_orm_migration::prelude::*;
use crate::execute_all as run;
use sea_orm_migration::sea_orm::DbBackend;

/// `ticket.title_search` (PostgreSQL) or `ticket_title_fts` (SQLite).
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000010_ticket_title_search"
    }
}

const POSTGRES_UP: &[&str] = &[
    "ALTER TABLE ticket ADD COLUMN title_search tsvector GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED",
    "CREATE INDEX idx_ticket_title_search ON ticket USING gin (title_search)",
];

const POSTGRES_DOWN: &[&str] = &["DROP INDEX IF EXISTS idx_ticket_title_search", "ALTER TABLE ticket DROP COLUMN IF EXISTS title_search"];

const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE ticket_title_fts USING fts5(title, content='ticket', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER ticket_title_fts_insert AFTER INSERT ON ticket BEGIN
        INSERT INTO ticket_title_fts(rowid, title) VALUES (new.id, new.title);
     END",
    "CREATE TRIGGER ticket_title_fts_delete AFTER DELETE ON ticket BEGIN
        INSERT INTO ticket_title_fts(ticket_title_fts, rowid, title) VALUES ('delete', old.id, old.title);
     END",
    "CREATE TRIGGER ticket_title_fts_update AFTER UPDATE OF title ON ticket BEGIN
        INSERT INTO ticket_title_fts(ticket_title_fts, rowid, title) VALUES ('delete', old.id, old.title);
        INSERT INTO ticket_title_fts(rowid, title) VALUES (new.id, new.title);
     END",
    "INSERT INTO ticket_title_fts(ticket_title_fts) VALUES ('rebuild')",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS ticket_title_fts_update",
    "DROP TRIGGER IF EXISTS ticket_title_fts_delete",
    "DROP TRIGGER IF EXISTS ticket_title_fts_insert",
    "DROP TABLE IF EXISTS ticket_title_fts",
];

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        match m.get_database_backend() {
            DbBackend::Postgres => run(m, POSTGRES_UP).await,
            _ => run(m, SQLITE_UP).await,
        }
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        match m.get_database_backend() {
            DbBackend::Postgres => run(m, POSTGRES_DOWN).await,
            _ => run(m, SQLITE_DOWN).await,
        }
    }
}
