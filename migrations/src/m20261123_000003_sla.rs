//! SLA engine: business calendars, ordered policies and durable timers.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// SLA schema.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000003_sla"
    }
}

#[derive(DeriveIden)]
enum SlaCalendar { Table, Id, Name, Definition }

#[derive(DeriveIden)]
enum SlaPolicy {
    Table, Id, Name, Position, TicketType, Priority, ServiceId, GroupId, ResponseMinutes, ResolutionMinutes,
    CalendarId, WarnPercent, PauseReasons, RaisePriority, Escalate,
}

#[derive(DeriveIden)]
enum SlaTimer { Table, Id, TicketId, Metric, Kind, PolicyId, DueAt, FiredAt }

#[derive(DeriveIden)]
enum Ticket { Table, Id }

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SlaCalendar::Table)
                .col(big_pk_auto(SlaCalendar::Id))
                .col(string_len_uniq(SlaCalendar::Name, 100))
                .col(text(SlaCalendar::Definition))
                .to_owned(),
        )
        .await?;
        let office = r#"{"time_zone":"Europe/Paris","week":[["09:00-13:00","14:00-18:00"],["09:00-13:00","14:00-18:00"],["09:00-13:00","14:00-18:00"],["09:00-13:00","14:00-18:00"],["09:00-13:00","14:00-18:00"],[],[]],"holidays":["01-01","05-01","07-14","12-25"]}"#;
        let always = r#"{"time_zone":"UTC","week":[["00:00-24:00"],["00:00-24:00"],["00:00-24:00"],["00:00-24:00"],["00:00-24:00"],["00:00-24:00"],["00:00-24:00"]],"holidays":[]}"#;
        let mut cals = Query::insert().into_table(SlaCalendar::Table).columns([SlaCalendar::Name, SlaCalendar::Definition]).to_owned();
        cals.values_panic(["24×7".into(), always.into()]);
        cals.values_panic(["Office hours (Paris)".into(), office.into()]);
        m.exec_stmt(cals).await?;

        m.create_table(
            Table::create()
                .table(SlaPolicy::Table)
                .col(big_pk_auto(SlaPolicy::Id))
                .col(string_len_uniq(SlaPolicy::Name, 100))
                .col(integer(SlaPolicy::Position))
                .col(string_len_null(SlaPolicy::TicketType, 32))
                .col(small_integer_null(SlaPolicy::Priority))
                .col(big_integer_null(SlaPolicy::ServiceId))
                .col(big_integer_null(SlaPolicy::GroupId))
                .col(integer(SlaPolicy::ResponseMinutes))
                .col(integer(SlaPolicy::ResolutionMinutes))
                .col(big_integer(SlaPolicy::CalendarId))
                .col(small_integer(SlaPolicy::WarnPercent).default(75))
                .col(text(SlaPolicy::PauseReasons))
                .col(boolean(SlaPolicy::RaisePriority).default(false))
                .col(boolean(SlaPolicy::Escalate).default(false))
                .foreign_key(ForeignKey::create().from(SlaPolicy::Table, SlaPolicy::CalendarId).to(SlaCalendar::Table, SlaCalendar::Id))
                .to_owned(),
        )
        .await?;
        let all = r#"["awaiting_caller","awaiting_change","awaiting_problem","awaiting_vendor"]"#;
        let mut pols = Query::insert()
            .into_table(SlaPolicy::Table)
            .columns([
                SlaPolicy::Name, SlaPolicy::Position, SlaPolicy::TicketType, SlaPolicy::Priority, SlaPolicy::ResponseMinutes,
                SlaPolicy::ResolutionMinutes, SlaPolicy::CalendarId, SlaPolicy::WarnPercent, SlaPolicy::PauseReasons,
                SlaPolicy::RaisePriority, SlaPolicy::Escalate,
            ])
            .to_owned();
        for (name, pos, prio, resp, resol, cal, raise, esc) in [
            ("Critical incidents", 1, Some(1i16), 15, 240, 1i64, false, true),
            ("High incidents", 2, Some(2i16), 30, 480, 1, true, true),
            ("Standard", 3, None, 240, 2400, 2, true, false),
        ] {
            pols.values_panic([
                name.into(), (pos as i32).into(), Some("incident").into(), prio.into(), (resp as i32).into(), (resol as i32).into(),
                cal.into(), 75i16.into(), all.into(), raise.into(), esc.into(),
            ]);
        }
        m.exec_stmt(pols).await?;

        m.create_table(
            Table::create()
                .table(SlaTimer::Table)
                .col(big_pk_auto(SlaTimer::Id))
                .col(big_integer(SlaTimer::TicketId))
                .col(string_len(SlaTimer::Metric, 32))
                .col(string_len(SlaTimer::Kind, 16))
                .col(big_integer(SlaTimer::PolicyId))
                .col(timestamp_with_time_zone(SlaTimer::DueAt))
                .col(timestamp_with_time_zone_null(SlaTimer::FiredAt))
                .foreign_key(ForeignKey::create().from(SlaTimer::Table, SlaTimer::TicketId).to(Ticket::Table, Ticket::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_sla_timer_due").table(SlaTimer::Table).col(SlaTimer::FiredAt).col(SlaTimer::DueAt).to_owned()).await?;
        m.create_index(Index::create().name("idx_sla_timer_ticket").table(SlaTimer::Table).col(SlaTimer::TicketId).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [SlaTimer::Table.into_iden(), SlaPolicy::Table.into_iden(), SlaCalendar::Table.into_iden()] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
