//! Requester organisations (customers, companies, departments): a user belongs to at most one;
//! a ticket records its requester's organisation when raised (so later moves do not rewrite
//! history), and an SLA policy may apply to one organisation only.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// `organisation` and the organisation columns of users, tickets and SLA policies.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000008_organisations"
    }
}

#[derive(DeriveIden)]
enum Organisation { Table, Id, Name, CreatedAt }

#[derive(DeriveIden)]
enum AppUser { Table, OrganisationId }

#[derive(DeriveIden)]
enum Ticket { Table, OrganisationId }

#[derive(DeriveIden)]
enum SlaPolicy { Table, OrganisationId }

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Organisation::Table)
                .col(big_pk_auto(Organisation::Id))
                .col(string_len_uniq(Organisation::Name, 80))
                .col(timestamp_with_time_zone(Organisation::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table(AppUser::Table).add_column(ColumnDef::new(AppUser::OrganisationId).big_integer().null()).to_owned()).await?;
        m.alter_table(Table::alter().table(Ticket::Table).add_column(ColumnDef::new(Ticket::OrganisationId).big_integer().null()).to_owned()).await?;
        m.alter_table(Table::alter().table(SlaPolicy::Table).add_column(ColumnDef::new(SlaPolicy::OrganisationId).big_integer().null()).to_owned()).await?;
        m.create_index(Index::create().name("idx_app_user_organisation").table(AppUser::Table).col(AppUser::OrganisationId).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_app_user_organisation").table(AppUser::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(SlaPolicy::Table).drop_column(SlaPolicy::OrganisationId).to_owned()).await?;
        m.alter_table(Table::alter().table(Ticket::Table).drop_column(Ticket::OrganisationId).to_owned()).await?;
        m.alter_table(Table::alter().table(AppUser::Table).drop_column(AppUser::OrganisationId).to_owned()).await?;
        m.drop_table(Table::drop().table(Organisation::Table).to_owned()).await
    }
}
