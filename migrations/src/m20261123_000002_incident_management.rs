//! Incident management: on-hold reasons, priority overrides, typed ticket links, configurable
//! priority matrix / resolution codes / desk settings, group managers and escalation targets,
//! notifications, time tracking and attachments.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Incident-management schema.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000002_incident_management"
    }
}

#[derive(DeriveIden)]
enum Ticket { Table, Id, OnHoldReason, PriorityOverridden, PriorityReason }

#[derive(DeriveIden)]
enum AssignmentGroup { Table, ManagerId, EscalatesToId }

#[derive(DeriveIden)]
enum AppUser { Table, Id }

#[derive(DeriveIden)]
enum TicketLink { Table, Id, FromTicketId, ToTicketId, Kind, CreatedBy, CreatedAt }

#[derive(DeriveIden)]
enum PriorityMatrixCell { Table, Impact, Urgency, Priority }

#[derive(DeriveIden)]
enum ResolutionCode { Table, Code, Label, Active, SortOrder }

#[derive(DeriveIden)]
enum DeskSetting { Table, Key, Value }

#[derive(DeriveIden)]
enum Notification { Table, Id, UserId, TicketId, Kind, Message, CreatedAt, ReadAt }

#[derive(DeriveIden)]
enum TimeEntry { Table, Id, TicketId, AgentId, Minutes, Note, CreatedAt }

#[derive(DeriveIden)]
enum Attachment { Table, Id, TicketId, UploaderId, Filename, ContentType, Size, Sha256, Data, Internal, CreatedAt }

fn fk(from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).to_owned()
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for col in [
            string_len_null(Ticket::OnHoldReason, 32),
            boolean(Ticket::PriorityOverridden).default(false).to_owned(),
            text_null(Ticket::PriorityReason),
        ] {
            m.alter_table(Table::alter().table(Ticket::Table).add_column(col).to_owned()).await?;
        }
        for col in [big_integer_null(AssignmentGroup::ManagerId), big_integer_null(AssignmentGroup::EscalatesToId)] {
            m.alter_table(Table::alter().table(AssignmentGroup::Table).add_column(col).to_owned()).await?;
        }

        m.create_table(
            Table::create()
                .table(TicketLink::Table)
                .col(big_pk_auto(TicketLink::Id))
                .col(big_integer(TicketLink::FromTicketId))
                .col(big_integer(TicketLink::ToTicketId))
                .col(string_len(TicketLink::Kind, 32))
                .col(big_integer_null(TicketLink::CreatedBy))
                .col(timestamp_with_time_zone(TicketLink::CreatedAt))
                .foreign_key(&mut fk((TicketLink::Table, TicketLink::FromTicketId), (Ticket::Table, Ticket::Id)))
                .foreign_key(&mut fk((TicketLink::Table, TicketLink::ToTicketId), (Ticket::Table, Ticket::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("uq_ticket_link").table(TicketLink::Table).col(TicketLink::FromTicketId).col(TicketLink::Kind).col(TicketLink::ToTicketId).unique().to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_ticket_link_to").table(TicketLink::Table).col(TicketLink::ToTicketId).col(TicketLink::Kind).to_owned()).await?;

        m.create_table(
            Table::create()
                .table(PriorityMatrixCell::Table)
                .col(string_len(PriorityMatrixCell::Impact, 16))
                .col(string_len(PriorityMatrixCell::Urgency, 16))
                .col(small_integer(PriorityMatrixCell::Priority))
                .primary_key(Index::create().col(PriorityMatrixCell::Impact).col(PriorityMatrixCell::Urgency))
                .to_owned(),
        )
        .await?;
        let mut cells = Query::insert()
            .into_table(PriorityMatrixCell::Table)
            .columns([PriorityMatrixCell::Impact, PriorityMatrixCell::Urgency, PriorityMatrixCell::Priority])
            .to_owned();
        let levels = ["high", "medium", "low"];
        for (i, impact) in levels.iter().enumerate() {
            for (u, urgency) in levels.iter().enumerate() {
                cells.values_panic([(*impact).into(), (*urgency).into(), ((i + u + 1) as i16).into()]);
            }
        }
        m.exec_stmt(cells).await?;

        m.create_table(
            Table::create()
                .table(ResolutionCode::Table)
                .col(string_len(ResolutionCode::Code, 32).primary_key())
                .col(string_len(ResolutionCode::Label, 100))
                .col(boolean(ResolutionCode::Active).default(true))
                .col(integer(ResolutionCode::SortOrder).default(0))
                .to_owned(),
        )
        .await?;
        let mut codes = Query::insert()
            .into_table(ResolutionCode::Table)
            .columns([ResolutionCode::Code, ResolutionCode::Label, ResolutionCode::Active, ResolutionCode::SortOrder])
            .to_owned();
        for (i, (code, label)) in [
            ("solved_permanently", "Solved (permanently)"),
            ("solved_workaround", "Solved (workaround)"),
            ("not_reproducible", "Not reproducible"),
            ("duplicate", "Duplicate"),
            ("canceled_by_caller", "Canceled by caller"),
        ]
        .into_iter()
        .enumerate()
        {
            codes.values_panic([code.into(), label.into(), true.into(), (i as i32).into()]);
        }
        m.exec_stmt(codes).await?;

        m.create_table(
            Table::create()
                .table(DeskSetting::Table)
                .col(string_len(DeskSetting::Key, 64).primary_key())
                .col(string_len(DeskSetting::Value, 256))
                .to_owned(),
        )
        .await?;
        let mut settings = Query::insert().into_table(DeskSetting::Table).columns([DeskSetting::Key, DeskSetting::Value]).to_owned();
        settings.values_panic(["reopen_window_days".into(), "7".into()]);
        settings.values_panic(["auto_close_days".into(), "3".into()]);
        m.exec_stmt(settings).await?;

        m.create_table(
            Table::create()
                .table(Notification::Table)
                .col(big_pk_auto(Notification::Id))
                .col(big_integer(Notification::UserId))
                .col(big_integer_null(Notification::TicketId))
                .col(string_len(Notification::Kind, 32))
                .col(text(Notification::Message))
                .col(timestamp_with_time_zone(Notification::CreatedAt))
                .col(timestamp_with_time_zone_null(Notification::ReadAt))
                .foreign_key(&mut fk((Notification::Table, Notification::UserId), (AppUser::Table, AppUser::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_notification_user").table(Notification::Table).col(Notification::UserId).col(Notification::ReadAt).to_owned()).await?;

        m.create_table(
            Table::create()
                .table(TimeEntry::Table)
                .col(big_pk_auto(TimeEntry::Id))
                .col(big_integer(TimeEntry::TicketId))
                .col(big_integer(TimeEntry::AgentId))
                .col(integer(TimeEntry::Minutes))
                .col(text(TimeEntry::Note).default(""))
                .col(timestamp_with_time_zone(TimeEntry::CreatedAt))
                .foreign_key(&mut fk((TimeEntry::Table, TimeEntry::TicketId), (Ticket::Table, Ticket::Id)))
                .foreign_key(&mut fk((TimeEntry::Table, TimeEntry::AgentId), (AppUser::Table, AppUser::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_time_entry_ticket").table(TimeEntry::Table).col(TimeEntry::TicketId).to_owned()).await?;

        m.create_table(
            Table::create()
                .table(Attachment::Table)
                .col(big_pk_auto(Attachment::Id))
                .col(big_integer(Attachment::TicketId))
                .col(big_integer(Attachment::UploaderId))
                .col(string_len(Attachment::Filename, 255))
                .col(string_len(Attachment::ContentType, 100))
                .col(big_integer(Attachment::Size))
                .col(string_len(Attachment::Sha256, 64))
                .col(blob(Attachment::Data))
                .col(boolean(Attachment::Internal).default(false))
                .col(timestamp_with_time_zone(Attachment::CreatedAt))
                .foreign_key(&mut fk((Attachment::Table, Attachment::TicketId), (Ticket::Table, Ticket::Id)))
                .foreign_key(&mut fk((Attachment::Table, Attachment::UploaderId), (AppUser::Table, AppUser::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_attachment_ticket").table(Attachment::Table).col(Attachment::TicketId).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Attachment::Table.into_iden(),
            TimeEntry::Table.into_iden(),
            Notification::Table.into_iden(),
            DeskSetting::Table.into_iden(),
            ResolutionCode::Table.into_iden(),
            PriorityMatrixCell::Table.into_iden(),
            TicketLink::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        for c in [Ticket::OnHoldReason.into_iden(), Ticket::PriorityOverridden.into_iden(), Ticket::PriorityReason.into_iden()] {
            m.alter_table(Table::alter().table(Ticket::Table).drop_column(c).to_owned()).await?;
        }
        for c in [AssignmentGroup::ManagerId.into_iden(), AssignmentGroup::EscalatesToId.into_iden()] {
            m.alter_table(Table::alter().table(AssignmentGroup::Table).drop_column(c).to_owned()).await?;
        }
        Ok(())
    }
}
