//! Users, groups, services, the one ticket table, comments, audit trail, outbox, sessions, tokens.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Foundation schema.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000001_foundation"
    }
}

#[derive(DeriveIden)]
enum AppUser { Table, Id, Username, DisplayName, Email, Role, PasswordHash, Active, CreatedAt }

#[derive(DeriveIden)]
enum AssignmentGroup { Table, Id, Name, Description, Tier }

#[derive(DeriveIden)]
enum GroupMember { Table, GroupId, UserId }

#[derive(DeriveIden)]
enum Service { Table, Id, Name, Description }

#[derive(DeriveIden)]
enum Category { Table, Id, Name, ServiceId }

#[derive(DeriveIden)]
enum TicketNumberSeq { Table, TicketType, LastValue }

#[derive(DeriveIden)]
enum Ticket {
    Table, Id, Number, TicketType, Title, Description, State, Impact, Urgency, Priority,
    RequesterId, AssigneeId, GroupId, ServiceId, CategoryId, ResolutionCode, ResolutionNote,
    CreatedAt, UpdatedAt, FirstResponseAt, ResolvedAt, ClosedAt, ReopenCount, ReassignmentCount,
    Version,
}

#[derive(DeriveIden)]
enum TicketComment { Table, Id, TicketId, AuthorId, Body, Internal, CreatedAt }

#[derive(DeriveIden)]
enum AuditEntry { Table, Id, EntityType, EntityId, ActorId, Action, Field, OldValue, NewValue, At }

#[derive(DeriveIden)]
enum OutboxEvent { Table, Seq, Kind, EntityType, EntityId, Payload, CreatedAt }

#[derive(DeriveIden)]
enum UserSession { Table, TokenHash, UserId, CreatedAt, ExpiresAt }

#[derive(DeriveIden)]
enum ApiToken { Table, Id, UserId, Name, TokenHash, CreatedAt, LastUsedAt }

fn fk(from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).to_owned()
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AppUser::Table)
                .col(big_pk_auto(AppUser::Id))
                .col(string_len_uniq(AppUser::Username, 64))
                .col(string_len(AppUser::DisplayName, 100))
                .col(string_len(AppUser::Email, 254))
                .col(string_len(AppUser::Role, 16))
                .col(string(AppUser::PasswordHash))
                .col(boolean(AppUser::Active).default(true))
                .col(timestamp_with_time_zone(AppUser::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AssignmentGroup::Table)
                .col(big_pk_auto(AssignmentGroup::Id))
                .col(string_len_uniq(AssignmentGroup::Name, 100))
                .col(text(AssignmentGroup::Description).default(""))
                .col(small_integer(AssignmentGroup::Tier).default(1))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(GroupMember::Table)
                .col(big_integer(GroupMember::GroupId))
                .col(big_integer(GroupMember::UserId))
                .primary_key(Index::create().col(GroupMember::GroupId).col(GroupMember::UserId))
                .foreign_key(&mut fk((GroupMember::Table, GroupMember::GroupId), (AssignmentGroup::Table, AssignmentGroup::Id)))
                .foreign_key(&mut fk((GroupMember::Table, GroupMember::UserId), (AppUser::Table, AppUser::Id)))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Service::Table)
                .col(big_pk_auto(Service::Id))
                .col(string_len_uniq(Service::Name, 100))
                .col(text(Service::Description).default(""))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Category::Table)
                .col(big_pk_auto(Category::Id))
                .col(string_len_uniq(Category::Name, 100))
                .col(big_integer_null(Category::ServiceId))
                .foreign_key(&mut fk((Category::Table, Category::ServiceId), (Service::Table, Service::Id)))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(TicketNumberSeq::Table)
                .col(string_len(TicketNumberSeq::TicketType, 32).primary_key())
                .col(big_integer(TicketNumberSeq::LastValue).default(0))
                .to_owned(),
        )
        .await?;
        let mut seed = Query::insert()
            .into_table(TicketNumberSeq::Table)
            .columns([TicketNumberSeq::TicketType, TicketNumberSeq::LastValue])
            .to_owned();
        for ticket_type in ["incident", "service_request", "problem", "change"] {
            seed.values_panic([ticket_type.into(), 0i64.into()]);
        }
        m.exec_stmt(seed).await?;

        m.create_table(
            Table::create()
                .table(Ticket::Table)
                .col(big_pk_auto(Ticket::Id))
                .col(string_len_uniq(Ticket::Number, 32))
                .col(string_len(Ticket::TicketType, 32))
                .col(string_len(Ticket::Title, 200))
                .col(text(Ticket::Description))
                .col(string_len(Ticket::State, 32))
                .col(string_len(Ticket::Impact, 16))
                .col(string_len(Ticket::Urgency, 16))
                .col(small_integer(Ticket::Priority))
                .col(big_integer(Ticket::RequesterId))
                .col(big_integer_null(Ticket::AssigneeId))
                .col(big_integer_null(Ticket::GroupId))
                .col(big_integer_null(Ticket::ServiceId))
                .col(big_integer_null(Ticket::CategoryId))
                .col(string_len_null(Ticket::ResolutionCode, 32))
                .col(text_null(Ticket::ResolutionNote))
                .col(timestamp_with_time_zone(Ticket::CreatedAt))
                .col(timestamp_with_time_zone(Ticket::UpdatedAt))
                .col(timestamp_with_time_zone_null(Ticket::FirstResponseAt))
                .col(timestamp_with_time_zone_null(Ticket::ResolvedAt))
                .col(timestamp_with_time_zone_null(Ticket::ClosedAt))
                .col(integer(Ticket::ReopenCount).default(0))
                .col(integer(Ticket::ReassignmentCount).default(0))
                .col(integer(Ticket::Version).default(1))
                .foreign_key(&mut fk((Ticket::Table, Ticket::RequesterId), (AppUser::Table, AppUser::Id)))
                .foreign_key(&mut fk((Ticket::Table, Ticket::AssigneeId), (AppUser::Table, AppUser::Id)))
                .foreign_key(&mut fk((Ticket::Table, Ticket::GroupId), (AssignmentGroup::Table, AssignmentGroup::Id)))
                .foreign_key(&mut fk((Ticket::Table, Ticket::ServiceId), (Service::Table, Service::Id)))
                .foreign_key(&mut fk((Ticket::Table, Ticket::CategoryId), (Category::Table, Category::Id)))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("idx_ticket_state_updated", vec![Ticket::State, Ticket::UpdatedAt]),
            ("idx_ticket_requester", vec![Ticket::RequesterId, Ticket::UpdatedAt]),
            ("idx_ticket_assignee", vec![Ticket::AssigneeId, Ticket::State]),
            ("idx_ticket_group", vec![Ticket::GroupId, Ticket::State]),
        ] {
            let mut idx = Index::create().name(name).table(Ticket::Table).to_owned();
            for c in cols {
                idx.col(c);
            }
            m.create_index(idx).await?;
        }

        m.create_table(
            Table::create()
                .table(TicketComment::Table)
                .col(big_pk_auto(TicketComment::Id))
                .col(big_integer(TicketComment::TicketId))
                .col(big_integer(TicketComment::AuthorId))
                .col(text(TicketComment::Body))
                .col(boolean(TicketComment::Internal))
                .col(timestamp_with_time_zone(TicketComment::CreatedAt))
                .foreign_key(&mut fk((TicketComment::Table, TicketComment::TicketId), (Ticket::Table, Ticket::Id)))
                .foreign_key(&mut fk((TicketComment::Table, TicketComment::AuthorId), (AppUser::Table, AppUser::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_comment_ticket").table(TicketComment::Table).col(TicketComment::TicketId).to_owned()).await?;

        m.create_table(
            Table::create()
                .table(AuditEntry::Table)
                .col(big_pk_auto(AuditEntry::Id))
                .col(string_len(AuditEntry::EntityType, 32))
                .col(big_integer(AuditEntry::EntityId))
                .col(big_integer_null(AuditEntry::ActorId))
                .col(string_len(AuditEntry::Action, 32))
                .col(string_len_null(AuditEntry::Field, 64))
                .col(text_null(AuditEntry::OldValue))
                .col(text_null(AuditEntry::NewValue))
                .col(timestamp_with_time_zone(AuditEntry::At))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_audit_entity").table(AuditEntry::Table).col(AuditEntry::EntityType).col(AuditEntry::EntityId).to_owned()).await?;

        m.create_table(
            Table::create()
                .table(OutboxEvent::Table)
                .col(big_pk_auto(OutboxEvent::Seq))
                .col(string_len(OutboxEvent::Kind, 64))
                .col(string_len(OutboxEvent::EntityType, 32))
                .col(big_integer(OutboxEvent::EntityId))
                .col(text(OutboxEvent::Payload))
                .col(timestamp_with_time_zone(OutboxEvent::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(UserSession::Table)
                .col(string_len(UserSession::TokenHash, 64).primary_key())
                .col(big_integer(UserSession::UserId))
                .col(timestamp_with_time_zone(UserSession::CreatedAt))
                .col(timestamp_with_time_zone(UserSession::ExpiresAt))
                .foreign_key(&mut fk((UserSession::Table, UserSession::UserId), (AppUser::Table, AppUser::Id)))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ApiToken::Table)
                .col(big_pk_auto(ApiToken::Id))
                .col(big_integer(ApiToken::UserId))
                .col(string_len(ApiToken::Name, 100))
                .col(string_len_uniq(ApiToken::TokenHash, 64))
                .col(timestamp_with_time_zone(ApiToken::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiToken::LastUsedAt))
                .foreign_key(&mut fk((ApiToken::Table, ApiToken::UserId), (AppUser::Table, AppUser::Id)))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ApiToken::Table.into_iden(),
            UserSession::Table.into_iden(),
            OutboxEvent::Table.into_iden(),
            AuditEntry::Table.into_iden(),
            TicketComment::Table.into_iden(),
            Ticket::Table.into_iden(),
            TicketNumberSeq::Table.into_iden(),
            Category::Table.into_iden(),
            Service::Table.into_iden(),
            GroupMember::Table.into_iden(),
            AssignmentGroup::Table.into_iden(),
            AppUser::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
