//! SQLite: the full-text index of ticket titles also indexes every word's first 2, 3 and 4
//! characters, so a short word typed in the queue's text filter (`vpn`, `mfa`) reads one list of
//! matches instead of merging the lists of every word it starts (`vpn`, `vpn-gw`, `vpnclient`…).

use crate::execute_all;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

/// `ticket_title_fts` with prefix indexes.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000014_ticket_title_prefixes"
    }
}

const fn recreate(prefix: &'static str) -> [&'static str; 9] {
    [
        "DROP TRIGGER IF EXISTS ticket_title_fts_update",
        "DROP TRIGGER IF EXISTS ticket_title_fts_delete",
        "DROP TRIGGER IF EXISTS ticket_title_fts_insert",
        "DROP TABLE IF EXISTS ticket_title_fts",
        prefix,
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
    ]
}

const UP: [&str; 9] = recreate(
    "CREATE VIRTUAL TABLE ticket_title_fts USING fts5(title, content='ticket', content_rowid='id', \
     tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')",
);

const DOWN: [&str; 9] = recreate(
    "CREATE VIRTUAL TABLE ticket_title_fts USING fts5(title, content='ticket', content_rowid='id', \
     tokenize='unicode61 remove_diacritics 2')",
);

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        match m.get_database_backend() {
            DbBackend::Postgres => Ok(()),
            _ => execute_all(m, &UP).await,
        }
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        match m.get_database_backend() {
            DbBackend::Postgres => Ok(()),
            _ => execute_all(m, &DOWN).await,
        }
    }
}

