//! The instant a ticket's most urgent SLA target is or was due, kept on the ticket row with the
//! SLA timers so the "breaching soon" queue and the SLA sort read one index instead of sorting
//! every open ticket by correlated sub-queries over `sla_timer` (measured at 1M tickets, see
//! `bench/README.md`). Existing rows are filled from their timers.

use sea_orm_migration::prelude::*;

/// `ticket.sla_due_at` and its index.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000007_ticket_sla_due"
    }
}

#[derive(DeriveIden)]
enum Ticket { Table, SlaDueAt }

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Ticket::Table).add_column(ColumnDef::new(Ticket::SlaDueAt).timestamp_with_time_zone().null()).to_owned())
            .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE ticket SET sla_due_at = (SELECT MIN(st.due_at) FROM sla_timer st WHERE st.ticket_id = ticket.id AND st.kind = 'breach')",
            )
            .await?;
        m.create_index(Index::create().name("idx_ticket_sla_due").table(Ticket::Table).col(Ticket::SlaDueAt).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_ticket_sla_due").table(Ticket::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Ticket::Table).drop_column(Ticket::SlaDueAt).to_owned()).await
    }
}
