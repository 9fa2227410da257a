//! A deflection outcome counts once: `kb_deflection.dedup_key` (unique) holds what makes an
//! outcome the same one — the requester, the article and the day for "this solved it", the ticket
//! for "submitted anyway" — so repeated posts cannot inflate the deflection rate. Older rows keep
//! no key (several NULLs are allowed by a unique index on both backends).

use sea_orm_migration::prelude::*;

/// `kb_deflection.dedup_key` and its unique index.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000015_deflection_once"
    }
}

#[derive(DeriveIden)]
enum KbDeflection { Table, DedupKey }

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(KbDeflection::Table).add_column(ColumnDef::new(KbDeflection::DedupKey).string_len(100).null()).to_owned())
            .await?;
        m.create_index(
            Index::create().name("idx_kb_deflection_dedup").table(KbDeflection::Table).col(KbDeflection::DedupKey).unique().to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_kb_deflection_dedup").table(KbDeflection::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(KbDeflection::Table).drop_column(KbDeflection::DedupKey).to_owned()).await
    }
}
