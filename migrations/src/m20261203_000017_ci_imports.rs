//! CSV imports of the CMDB kept for their preview: the uploaded file, the plan (a dry run) shown
//! to the admin, then the outcome once applied.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// `ci_import`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000017_ci_imports"
    }
}

#[derive(DeriveIden)]
enum CiImport { Table, Id, FileName, Content, Report, Applied, CreatedBy, CreatedAt, AppliedAt }

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CiImport::Table)
                .col(big_pk_auto(CiImport::Id))
                .col(string_len(CiImport::FileName, 200))
                .col(text(CiImport::Content))
                .col(text(CiImport::Report))
                .col(boolean(CiImport::Applied))
                .col(big_integer(CiImport::CreatedBy))
                .col(timestamp_with_time_zone(CiImport::CreatedAt))
                .col(timestamp_with_time_zone_null(CiImport::AppliedAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CiImport::Table).to_owned()).await
    }
}
