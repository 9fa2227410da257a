//! SLA policies may apply to one ticket category (beside type, priority, service, group and
//! requester organisation).

use sea_orm_migration::prelude::*;

/// `sla_policy.category_id`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000009_sla_policy_category"
    }
}

#[derive(DeriveIden)]
enum SlaPolicy { Table, CategoryId }

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(SlaPolicy::Table).add_column(ColumnDef::new(SlaPolicy::CategoryId).big_integer().null()).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(SlaPolicy::Table).drop_column(SlaPolicy::CategoryId).to_owned()).await
    }
}
