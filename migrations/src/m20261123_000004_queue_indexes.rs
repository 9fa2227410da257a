//! Queue-view indexes: filter columns followed by `updated_at`, so "my tickets", "unassigned" and
//! "my groups" read the newest rows straight from an index.

use sea_orm_migration::prelude::*;

/// Queue indexes.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000004_queue_indexes"
    }
}

#[derive(DeriveIden)]
enum Ticket { Table, AssigneeId, GroupId, State, UpdatedAt, RequesterId }

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, first) in [
            ("idx_ticket_assignee_state_updated", Ticket::AssigneeId),
            ("idx_ticket_group_state_updated", Ticket::GroupId),
        ] {
            m.create_index(
                Index::create().name(name).table(Ticket::Table).col(first).col(Ticket::State).col(Ticket::UpdatedAt).to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create().name("idx_ticket_requester_state_updated").table(Ticket::Table).col(Ticket::RequesterId).col(Ticket::State).col(Ticket::UpdatedAt).to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in ["idx_ticket_assignee_state_updated", "idx_ticket_group_state_updated", "idx_ticket_requester_state_updated"] {
            m.drop_index(Index::drop().name(name).table(Ticket::Table).to_owned()).await?;
        }
        Ok(())
    }
}
