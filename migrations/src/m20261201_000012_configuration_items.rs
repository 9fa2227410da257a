//! Configuration items (the CMDB): servers, network devices, applications, laptops, phones…
//! An incident names the CI it affects, so agents see that CI's history beside the ticket.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// `configuration_item` and `ticket.ci_id`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000012_configuration_items"
    }
}

#[derive(DeriveIden)]
enum ConfigurationItem { Table, Id, Name, Class, Status, ServiceId, SupportGroupId, Location, Description, Version, CreatedAt, UpdatedAt }

#[derive(DeriveIden)]
enum Ticket { Table, CiId, UpdatedAt }

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ConfigurationItem::Table)
                .col(big_pk_auto(ConfigurationItem::Id))
                .col(string_len_uniq(ConfigurationItem::Name, 80))
                .col(string_len(ConfigurationItem::Class, 32))
                .col(string_len(ConfigurationItem::Status, 32))
                .col(big_integer_null(ConfigurationItem::ServiceId))
                .col(big_integer_null(ConfigurationItem::SupportGroupId))
                .col(string_len_null(ConfigurationItem::Location, 120))
                .col(text(ConfigurationItem::Description))
                .col(integer(ConfigurationItem::Version))
                .col(timestamp_with_time_zone(ConfigurationItem::CreatedAt))
                .col(timestamp_with_time_zone(ConfigurationItem::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_ci_class_name").table(ConfigurationItem::Table).col(ConfigurationItem::Class).col(ConfigurationItem::Name).to_owned()).await?;
        m.alter_table(Table::alter().table(Ticket::Table).add_column(ColumnDef::new(Ticket::CiId).big_integer().null()).to_owned()).await?;
        m.create_index(Index::create().name("idx_ticket_ci_updated").table(Ticket::Table).col(Ticket::CiId).col(Ticket::UpdatedAt).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_ticket_ci_updated").table(Ticket::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Ticket::Table).drop_column(Ticket::CiId).to_owned()).await?;
        m.drop_table(Table::drop().table(ConfigurationItem::Table).to_owned()).await
    }
}
