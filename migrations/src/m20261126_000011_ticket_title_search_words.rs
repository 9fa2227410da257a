//! PostgreSQL's parser keeps a hyphenated CI name (`PBX-0042`) as a compound lexeme beside its
//! parts, so a prefix query such as `pbx:*` had to merge thousands of `pbx-NNNN` lexemes. Titles
//! are now indexed as plain words (punctuation read as a space), like SQLite's FTS5 and like the
//! words the queue's text filter searches for.

use sea_orm_migration::prelude::*;
use crate::execute_all;
use sea_orm_migration::sea_orm::DbBackend;

/// `ticket.title_search` indexes words only.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000011_ticket_title_search_words"
    }
}

const UP: &[&str] = &[
    "DROP INDEX IF EXISTS idx_ticket_title_search",
    "ALTER TABLE ticket DROP COLUMN IF EXISTS title_search",
    "ALTER TABLE ticket ADD COLUMN title_search tsvector GENERATED ALWAYS AS \
     (to_tsvector('simple', regexp_replace(title, '[^[:alnum:]]+', ' ', 'g'))) STORED",
    "CREATE INDEX idx_ticket_title_search ON ticket USING gin (title_search)",
];

const DOWN: &[&str] = &[
    "DROP INDEX IF EXISTS idx_ticket_title_search",
    "ALTER TABLE ticket DROP COLUMN IF EXISTS title_search",
    "ALTER TABLE ticket ADD COLUMN title_search tsvector GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED",
    "CREATE INDEX idx_ticket_title_search ON ticket USING gin (title_search)",
];

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        match m.get_database_backend() {
            DbBackend::Postgres => execute_all(m, UP).await,
            _ => Ok(()),
        }
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        match m.get_database_backend() {
            DbBackend::Postgres => execute_all(m, DOWN).await,
            _ => Ok(()),
        }
    }
}
