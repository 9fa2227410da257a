//! Indexes for queues and ticket context at scale (measured with `bench/` at 1M tickets):
//! most recently updated first across all open tickets, and a service's recent incidents.

use sea_orm_migration::prelude::*;

/// Queue and context indexes.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000006_queue_indexes"
    }
}

#[derive(DeriveIden)]
enum Ticket { Table, UpdatedAt, ServiceId, CreatedAt }

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(Index::create().name("idx_ticket_updated").table(Ticket::Table).col(Ticket::UpdatedAt).to_owned()).await?;
        m.create_index(Index::create().name("idx_ticket_service_created").table(Ticket::Table).col(Ticket::ServiceId).col(Ticket::CreatedAt).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in ["idx_ticket_service_created", "idx_ticket_updated"] {
            m.drop_index(Index::drop().name(name).table(Ticket::Table).to_owned()).await?;
        }
        Ok(())
    }
}
