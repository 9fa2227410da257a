//! The service catalog: items with versioned definitions (form, approval stages, fulfilment
//! tasks), requested items and fulfilment tasks as side tables of their tickets, the approvals
//! engine's stages and answers, users' managers, and a ticket's pinned SLA policy (a catalog
//! item's delivery target).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// `catalog_item`, `catalog_item_version`, `request_item`, `fulfilment_task`, `approval_stage`,
/// `approval`; `app_user.manager_id`, `ticket.sla_policy_id`; number sequences for RITM and TASK.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000019_service_catalog"
    }
}

#[derive(DeriveIden)]
enum AppUser { Table, ManagerId }

#[derive(DeriveIden)]
enum Ticket { Table, SlaPolicyId }

#[derive(DeriveIden)]
enum TicketNumberSeq { Table, TicketType, LastValue }

#[derive(DeriveIden)]
enum CatalogItem { Table, Id, Name, NameKey, Summary, Description, Icon, ServiceId, CategoryId, Audience, SlaPolicyId, GroupId, Active, CurrentVersionId, Version, CreatedAt, UpdatedAt }

#[derive(DeriveIden)]
enum CatalogItemVersion { Table, Id, ItemId, Number, Form, Approvals, Tasks, CreatedAt, CreatedById }

#[derive(DeriveIden)]
enum RequestItem { Table, TicketId, RequestId, CatalogItemId, ItemVersionId, RequestedForId, Answers, State }

#[derive(DeriveIden)]
enum FulfilmentTask { Table, TicketId, ItemId, Position, State }

#[derive(DeriveIden)]
enum ApprovalStage { Table, Id, TicketId, Position, Name, Rule, RuleN, DueHours, DueAt, OnExpiry, Outcome, FiredAt }

#[derive(DeriveIden)]
enum Approval { Table, Id, StageId, TicketId, ApproverId, Decision, Comment, DecidedAt }

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(AppUser::Table).add_column(ColumnDef::new(AppUser::ManagerId).big_integer().null()).to_owned()).await?;
        m.alter_table(Table::alter().table(Ticket::Table).add_column(ColumnDef::new(Ticket::SlaPolicyId).big_integer().null()).to_owned()).await?;
        let mut seed = Query::insert().into_table(TicketNumberSeq::Table).columns([TicketNumberSeq::TicketType, TicketNumberSeq::LastValue]).to_owned();
        for ticket_type in ["request_item", "task"] {
            seed.values_panic([ticket_type.into(), 0i64.into()]);
        }
        m.exec_stmt(seed).await?;
        m.create_table(
            Table::create()
                .table(CatalogItem::Table)
                .col(big_pk_auto(CatalogItem::Id))
                .col(string_len(CatalogItem::Name, 120))
                .col(string_len_uniq(CatalogItem::NameKey, 120))
                .col(string_len(CatalogItem::Summary, 300))
                .col(text(CatalogItem::Description))
                .col(string_len(CatalogItem::Icon, 32))
                .col(big_integer_null(CatalogItem::ServiceId))
                .col(big_integer_null(CatalogItem::CategoryId))
                .col(text(CatalogItem::Audience))
                .col(big_integer_null(CatalogItem::SlaPolicyId))
                .col(big_integer_null(CatalogItem::GroupId))
                .col(boolean(CatalogItem::Active))
                .col(big_integer_null(CatalogItem::CurrentVersionId))
                .col(integer(CatalogItem::Version))
                .col(timestamp_with_time_zone(CatalogItem::CreatedAt))
                .col(timestamp_with_time_zone(CatalogItem::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CatalogItemVersion::Table)
                .col(big_pk_auto(CatalogItemVersion::Id))
                .col(big_integer(CatalogItemVersion::ItemId))
                .col(integer(CatalogItemVersion::Number))
                .col(text(CatalogItemVersion::Form))
                .col(text(CatalogItemVersion::Approvals))
                .col(text(CatalogItemVersion::Tasks))
                .col(timestamp_with_time_zone(CatalogItemVersion::CreatedAt))
                .col(big_integer_null(CatalogItemVersion::CreatedById))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_catalog_item_version_number").table(CatalogItemVersion::Table).col(CatalogItemVersion::ItemId).col(CatalogItemVersion::Number).unique().to_owned()).await?;
        m.create_table(
            Table::create()
                .table(RequestItem::Table)
                .col(big_integer(RequestItem::TicketId).primary_key())
                .col(big_integer(RequestItem::RequestId))
                .col(big_integer(RequestItem::CatalogItemId))
                .col(big_integer(RequestItem::ItemVersionId))
                .col(big_integer(RequestItem::RequestedForId))
                .col(text(RequestItem::Answers))
                .col(string_len(RequestItem::State, 32))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_request_item_request").table(RequestItem::Table).col(RequestItem::RequestId).to_owned()).await?;
        m.create_index(Index::create().name("idx_request_item_catalog_item").table(RequestItem::Table).col(RequestItem::CatalogItemId).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(FulfilmentTask::Table)
                .col(big_integer(FulfilmentTask::TicketId).primary_key())
                .col(big_integer(FulfilmentTask::ItemId))
                .col(integer(FulfilmentTask::Position))
                .col(string_len(FulfilmentTask::State, 32))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_fulfilment_task_item").table(FulfilmentTask::Table).col(FulfilmentTask::ItemId).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(ApprovalStage::Table)
                .col(big_pk_auto(ApprovalStage::Id))
                .col(big_integer(ApprovalStage::TicketId))
                .col(integer(ApprovalStage::Position))
                .col(string_len(ApprovalStage::Name, 80))
                .col(string_len(ApprovalStage::Rule, 16))
                .col(integer_null(ApprovalStage::RuleN))
                .col(integer_null(ApprovalStage::DueHours))
                .col(timestamp_with_time_zone_null(ApprovalStage::DueAt))
                .col(string_len(ApprovalStage::OnExpiry, 16))
                .col(string_len(ApprovalStage::Outcome, 16))
                .col(timestamp_with_time_zone_null(ApprovalStage::FiredAt))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_approval_stage_ticket").table(ApprovalStage::Table).col(ApprovalStage::TicketId).col(ApprovalStage::Position).to_owned()).await?;
        m.create_index(Index::create().name("idx_approval_stage_due").table(ApprovalStage::Table).col(ApprovalStage::FiredAt).col(ApprovalStage::DueAt).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(Approval::Table)
                .col(big_pk_auto(Approval::Id))
                .col(big_integer(Approval::StageId))
                .col(big_integer(Approval::TicketId))
                .col(big_integer(Approval::ApproverId))
                .col(string_len(Approval::Decision, 16))
                .col(text_null(Approval::Comment))
                .col(timestamp_with_time_zone_null(Approval::DecidedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_approval_approver").table(Approval::Table).col(Approval::ApproverId).col(Approval::Decision).to_owned()).await?;
        m.create_index(Index::create().name("idx_approval_stage").table(Approval::Table).col(Approval::StageId).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [Approval::Table.into_iden(), ApprovalStage::Table.into_iden(), FulfilmentTask::Table.into_iden(), RequestItem::Table.into_iden(), CatalogItemVersion::Table.into_iden(), CatalogItem::Table.into_iden()] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.exec_stmt(Query::delete().from_table(TicketNumberSeq::Table).and_where(Expr::col(TicketNumberSeq::TicketType).is_in(["request_item", "task"])).to_owned()).await?;
        m.alter_table(Table::alter().table(Ticket::Table).drop_column(Ticket::SlaPolicyId).to_owned()).await?;
        m.alter_table(Table::alter().table(AppUser::Table).drop_column(AppUser::ManagerId).to_owned()).await
    }
}
