//! Data shapes sent to pages and API clients. Built by services, shared with the browser.

use crate::domain::{Impact, Role, TicketState, TicketType, Urgency};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A ticket as listed in queues and "My tickets".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TicketSummary {
    /// Internal id (stable).
    pub id: i64,
    /// Public number, e.g. INC-000042 (stable).
    pub number: String,
    /// Record kind.
    pub ticket_type: TicketType,
    /// One-line summary.
    pub title: String,
    /// Lifecycle state.
    pub state: TicketState,
    /// 1 (Critical) .. 5 (Planning).
    pub priority: u8,
    /// Impact.
    pub impact: Impact,
    /// Urgency.
    pub urgency: Urgency,
    /// Requester's id.
    pub requester_id: i64,
    /// Requester's name.
    pub requester_name: String,
    /// Assigned agent's id.
    pub assignee_id: Option<i64>,
    /// Assigned agent's name.
    pub assignee_name: Option<String>,
    /// Assignment group's id.
    pub group_id: Option<i64>,
    /// Assignment group's name.
    pub group_name: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Optimistic-concurrency version; send it back when changing the ticket.
    pub version: i32,
}

/// A reply or internal note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CommentView {
    /// Comment id.
    pub id: i64,
    /// Author's id.
    pub author_id: i64,
    /// Author's name.
    pub author_name: String,
    /// Plain text body.
    pub body: String,
    /// Internal notes are never shown to requesters.
    pub internal: bool,
    /// Written at.
    pub created_at: DateTime<Utc>,
}

/// One audit-trail line: who changed what, when, from what to what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditView {
    /// When.
    pub at: DateTime<Utc>,
    /// Who (None for the system).
    pub actor_name: Option<String>,
    /// `created`, `field_changed`, `comment_added`, ...
    pub action: String,
    /// Field changed, if any.
    pub field: Option<String>,
    /// Old value.
    pub old_value: Option<String>,
    /// New value.
    pub new_value: Option<String>,
}

/// A ticket with its conversation, as shown on the ticket page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TicketDetail {
    /// Common fields.
    #[serde(flatten)]
    pub summary: TicketSummary,
    /// Long description.
    pub description: String,
    /// Business service, if set.
    pub service_name: Option<String>,
    /// Category, if set.
    pub category_name: Option<String>,
    /// How it was resolved.
    pub resolution_code: Option<String>,
    /// Resolution note.
    pub resolution_note: Option<String>,
    /// When first answered by an agent.
    pub first_response_at: Option<DateTime<Utc>>,
    /// When resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Times reopened.
    pub reopen_count: i32,
    /// Replies (and internal notes for agents), oldest first.
    pub comments: Vec<CommentView>,
}

/// A user as shown to administrators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserView {
    /// User id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Name shown to others.
    pub display_name: String,
    /// E-mail address.
    pub email: String,
    /// Role.
    pub role: Role,
    /// Can sign in.
    pub active: bool,
    /// Names of the user's assignment groups.
    pub groups: Vec<String>,
}

/// An assignment group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GroupView {
    /// Group id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// What the group handles.
    pub description: String,
    /// Support tier (1 = first line).
    pub tier: i16,
    /// Number of members.
    pub member_count: i64,
}

/// A page of tickets with the total matching the filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TicketPage {
    /// Tickets on this page, most recently updated first.
    pub tickets: Vec<TicketSummary>,
    /// How many tickets match in all.
    pub total: u64,
}
