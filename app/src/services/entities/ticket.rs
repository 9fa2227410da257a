//! `ticket` table.

use sea_orm::entity::prelude::*;

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ticket")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub number: String,
    pub ticket_type: String,
    pub title: String,
    pub description: String,
    pub state: String,
    pub impact: String,
    pub urgency: String,
    pub priority: i16,
    pub requester_id: i64,
    pub assignee_id: Option<i64>,
    pub group_id: Option<i64>,
    pub service_id: Option<i64>,
    pub category_id: Option<i64>,
    pub resolution_code: Option<String>,
    pub resolution_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub first_response_at: Option<DateTimeUtc>,
    pub resolved_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub reopen_count: i32,
    pub reassignment_count: i32,
    pub version: i32,
    pub on_hold_reason: Option<String>,
    pub priority_overridden: bool,
    pub priority_reason: Option<String>,
    /// The earliest breach instant among the ticket's SLA timers (pending or already fired);
    /// maintained with the timers by `services::sla`.
    pub sla_due_at: Option<DateTimeUtc>,
    /// The requester's organisation when the ticket was raised.
    pub organisation_id: Option<i64>,
    /// The configuration item the ticket affects.
    pub ci_id: Option<i64>,
    /// The SLA policy pinned to the ticket (a catalog item's delivery target); none: the first
    /// policy whose conditions match.
    pub sla_policy_id: Option<i64>,
}

#[allow(missing_docs)]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
