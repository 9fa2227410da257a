//! Console: agents' saved queue views and admin-defined macros (canned replies).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Console schema.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000005_console"
    }
}

#[derive(DeriveIden)]
enum SavedView { Table, Id, UserId, Name, Query, CreatedAt }

#[derive(DeriveIden)]
enum ReplyMacro { Table, Id, Name, Body, Internal, State, OnHoldReason, Active }

#[derive(DeriveIden)]
enum AppUser { Table, Id }

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SavedView::Table)
                .col(big_pk_auto(SavedView::Id))
                .col(big_integer(SavedView::UserId))
                .col(string_len(SavedView::Name, 60))
                .col(string_len(SavedView::Query, 500))
                .col(timestamp_with_time_zone(SavedView::CreatedAt))
                .foreign_key(ForeignKey::create().from(SavedView::Table, SavedView::UserId).to(AppUser::Table, AppUser::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("uq_saved_view").table(SavedView::Table).col(SavedView::UserId).col(SavedView::Name).unique().to_owned()).await?;
        m.create_table(
            Table::create()
                .table(ReplyMacro::Table)
                .col(big_pk_auto(ReplyMacro::Id))
                .col(string_len_uniq(ReplyMacro::Name, 80))
                .col(text(ReplyMacro::Body))
                .col(boolean(ReplyMacro::Internal).default(false))
                .col(string_len_null(ReplyMacro::State, 32))
                .col(string_len_null(ReplyMacro::OnHoldReason, 32))
                .col(boolean(ReplyMacro::Active).default(true))
                .to_owned(),
        )
        .await?;
        let mut seed = Query::insert()
            .into_table(ReplyMacro::Table)
            .columns([ReplyMacro::Name, ReplyMacro::Body, ReplyMacro::Internal, ReplyMacro::State, ReplyMacro::OnHoldReason])
            .to_owned();
        seed.values_panic([
            "Ask for details".into(),
            "Thanks for reporting this. Could you send a screenshot of the error and tell us since when it happens?".into(),
            false.into(),
            Some("on_hold").into(),
            Some("awaiting_caller").into(),
        ]);
        seed.values_panic([
            "Working on it".into(),
            "Thanks — we are looking into it and will update you here.".into(),
            false.into(),
            Some("in_progress").into(),
            Option::<String>::None.into(),
        ]);
        m.exec_stmt(seed).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ReplyMacro::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(SavedView::Table).to_owned()).await
    }
}
