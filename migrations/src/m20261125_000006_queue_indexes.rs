//! Indexes for queues and ticket context at scale (measured at 1M tickets, see `bench/README.md`):
//! a queue is filtered by assignee or group and open states and shows the most recently updated
//! first, so those indexes end with `updated_at` and the database reads 50 entries per state
//! instead of sorting every match; plus all tickets by update time ("recently updated") and a
//! service's recent incidents (console context).

use sea_orm_migration::prelude::*;

/// Queue and context indexes.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000006_queue_indexes"
    }
}

#[derive(DeriveIden)]
enum Ticket { Table, AssigneeId, GroupId, State, UpdatedAt, ServiceId, CreatedAt }

fn index(name: &str, cols: Vec<Ticket>) -> IndexCreateStatement {
    let mut idx = Index::create().name(name).table(Ticket::Table).to_owned();
    for c in cols {
        idx.col(c);
    }
    idx
}

fn drop(name: &str) -> IndexDropStatement {
    Index::drop().name(name).table(Ticket::Table).to_owned()
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(drop("idx_ticket_assignee")).await?;
        m.drop_index(drop("idx_ticket_group")).await?;
        m.create_index(index("idx_ticket_assignee_updated", vec![Ticket::AssigneeId, Ticket::State, Ticket::UpdatedAt])).await?;
        m.create_index(index("idx_ticket_group_updated", vec![Ticket::GroupId, Ticket::State, Ticket::UpdatedAt])).await?;
        m.create_index(index("idx_ticket_updated", vec![Ticket::UpdatedAt])).await?;
        m.create_index(index("idx_ticket_service_created", vec![Ticket::ServiceId, Ticket::CreatedAt])).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in ["idx_ticket_service_created", "idx_ticket_updated", "idx_ticket_group_updated", "idx_ticket_assignee_updated"] {
            m.drop_index(drop(name)).await?;
        }
        m.create_index(index("idx_ticket_assignee", vec![Ticket::AssigneeId, Ticket::State])).await?;
        m.create_index(index("idx_ticket_group", vec![Ticket::GroupId, Ticket::State])).await
    }
}
