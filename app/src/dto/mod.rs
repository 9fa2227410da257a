//! Data shapes sent to pages and API clients. Built by services, shared with the browser.

use crate::domain::calendar::BusinessCalendar;
use crate::domain::sla::{ClockStatus, SlaMetric};
use crate::domain::{DeskSettings, Impact, OnHoldReason, Role, TicketState, TicketType, Urgency};
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
    /// Staff only: when the most urgent SLA target is (or was, if breached) due.
    #[serde(default)]
    pub sla_due_at: Option<DateTime<Utc>>,
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

/// What the SLA admin page edits: calendars, policies, and the services and groups policies match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlaSetupView {
    /// Business calendars.
    pub calendars: Vec<SlaCalendarView>,
    /// Policies in evaluation order.
    pub policies: Vec<SlaPolicyView>,
    /// Business services (policy condition).
    pub services: Vec<ServiceView>,
    /// Assignment groups (policy condition).
    pub groups: Vec<GroupView>,
    /// Requester organisations (policy condition).
    pub organisations: Vec<OrganisationView>,
    /// Ticket categories (policy condition).
    pub categories: Vec<CategoryView>,
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
    /// The requester's organisation when the ticket was raised.
    #[serde(default)]
    pub organisation_name: Option<String>,
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
    /// Times handed from one agent to another.
    pub reassignment_count: i32,
    /// When closed or canceled.
    pub closed_at: Option<DateTime<Utc>>,
    /// Why it is on hold (only while on hold).
    pub on_hold_reason: Option<OnHoldReason>,
    /// Whether an agent set the priority by hand instead of the matrix.
    pub priority_overridden: bool,
    /// The reason given for the override.
    pub priority_reason: Option<String>,
    /// Major incident this one is a child of.
    pub parent: Option<TicketRef>,
    /// Child incidents (when this is a major incident).
    pub children: Vec<TicketRef>,
    /// The ticket this one duplicates.
    pub duplicate_of: Option<TicketRef>,
    /// Tickets marked as duplicates of this one.
    pub duplicates: Vec<TicketRef>,
    /// The configuration item it affects.
    #[serde(default)]
    pub ci: Option<CiRef>,
    /// Replies (and internal notes for agents), oldest first.
    pub comments: Vec<CommentView>,
    /// Files (internal ones only for agents).
    pub attachments: Vec<AttachmentView>,
    /// Work logged (agents only; empty for requesters).
    pub time_entries: Vec<TimeEntryView>,
    /// SLA clocks (agents only; empty for requesters).
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
    pub sla: Vec<SlaClockView>,
}

/// A short reference to another ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TicketRef {
    /// Id.
    pub id: i64,
    /// Public number.
    pub number: String,
    /// Title.
    pub title: String,
    /// State.
    pub state: TicketState,
}

/// A file attached to a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AttachmentView {
    /// Id; download at `/attachments/{id}`.
    pub id: i64,
    /// Original file name (sanitised).
    pub filename: String,
    /// Verified content type.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// Who uploaded it.
    pub uploader_name: String,
    /// Agents-only file.
    pub internal: bool,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// Minutes an agent logged on a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimeEntryView {
    /// Entry id.
    pub id: i64,
    /// Agent.
    pub agent_name: String,
    /// Minutes spent.
    pub minutes: i32,
    /// What was done.
    pub note: String,
    /// When logged.
    pub created_at: DateTime<Utc>,
}

/// An in-app notification (e.g. a manager told about an escalation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NotificationView {
    /// Id.
    pub id: i64,
    /// `escalation`, `manager_attention`, ...
    pub kind: String,
    /// Text.
    pub message: String,
    /// Ticket number it is about.
    pub ticket_number: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A resolution code agents can choose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ResolutionCodeView {
    /// Code, e.g. `solved_permanently`.
    pub code: String,
    /// Label.
    pub label: String,
    /// Offered to agents.
    pub active: bool,
}

/// One impact × urgency cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MatrixCell {
    /// Impact.
    pub impact: Impact,
    /// Urgency.
    pub urgency: Urgency,
    /// Priority 1–5.
    pub priority: u8,
}

/// Desk configuration shown in admin forms and used by ticket forms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeskConfigView {
    /// The nine matrix cells, impact-major.
    pub matrix: Vec<MatrixCell>,
    /// Reopen window and auto-close.
    pub settings: DeskSettings,
    /// All resolution codes (inactive ones too).
    pub resolution_codes: Vec<ResolutionCodeView>,
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
    /// The user's organisation.
    #[serde(default)]
    pub organisation_id: Option<i64>,
    /// Its name.
    #[serde(default)]
    pub organisation_name: Option<String>,
    /// Who approves what the user orders from the catalog.
    #[serde(default)]
    pub manager_id: Option<i64>,
}

/// An API token as its owner and admins see it (never the secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApiTokenView {
    /// Id (to revoke it).
    pub id: i64,
    /// What it is for.
    pub name: String,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
    /// When it was last used (to the minute), if ever.
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A user's account: who, whether active, and their API tokens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    /// The user.
    pub user: UserView,
    /// Their API tokens, newest first.
    pub tokens: Vec<ApiTokenView>,
    /// Whether it is the viewer's own account.
    pub is_self: bool,
}

/// A requester organisation (customer, company or department).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrganisationView {
    /// Id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// How many users belong to it.
    pub member_count: u64,
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
    /// Manager told about hierarchical escalations.
    pub manager_id: Option<i64>,
    /// Manager's name.
    pub manager_name: Option<String>,
    /// Group that functional escalation moves tickets to.
    pub escalates_to_id: Option<i64>,
}

/// A business service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// A category of tickets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Business service it belongs to.
    pub service_name: Option<String>,
}

/// A page of tickets with the total matching the filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TicketPage {
    /// Tickets on this page, most recently updated first.
    pub tickets: Vec<TicketSummary>,
    /// How many tickets match in all, counted up to [`COUNT_CAP`].
    pub total: u64,
    /// More than [`COUNT_CAP`] tickets match (`total` is then the cap).
    #[serde(default)]
    pub total_capped: bool,
}

/// Queue counts stop at this many tickets (shown as "10000+"): an exact count of a huge queue
/// costs a scan of every row and tells an agent nothing more.
pub const COUNT_CAP: u64 = 10_000;

/// Counts of a text search stop at this many tickets (shown as "1000+").
pub const TEXT_COUNT_CAP: u64 = 1_000;

/// A queue count as shown: `42`, or `10000+` when the count stopped at the cap.
pub fn count_label(count: u64, capped: bool) -> String {
    if capped { format!("{count}+") } else { count.to_string() }
}

/// One message on the live stream (`/api/live`): a committed outbox event or ephemeral presence.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LiveMessage {
    /// Outbox sequence (0 for `hello` and `presence`).
    pub seq: i64,
    /// `ticket.updated`, `ticket.commented`, …, `presence` or `hello`.
    pub kind: String,
    /// Ticket number, when the message is about a ticket.
    pub number: Option<String>,
    /// Who made the change (or whose presence changed).
    pub actor_id: Option<i64>,
    /// Their name.
    pub actor_name: Option<String>,
    /// The event payload, or `{viewers: [...], typing: [...]}` for presence.
    pub payload: serde_json::Value,
}

/// One SLA clock of a ticket, with the calendar it counts on (so the browser can run the same
/// countdown computation as the server).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlaClockView {
    /// First response or resolution.
    pub metric: SlaMetric,
    /// Policy that set the target.
    pub policy_name: String,
    /// Calendar name.
    pub calendar_name: String,
    /// The calendar itself.
    pub calendar: BusinessCalendar,
    /// Evaluated clock: elapsed, remaining, due, warning, breach, segments.
    pub status: ClockStatus,
}

/// A business calendar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlaCalendarView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Definition: time zone, weekly hours, holidays.
    pub calendar: BusinessCalendar,
}

/// An SLA policy: conditions (empty = any) and targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SlaPolicyView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Evaluation order; the first matching policy wins.
    pub position: i32,
    /// Ticket type condition.
    pub ticket_type: Option<String>,
    /// Priority condition.
    pub priority: Option<u8>,
    /// Service condition.
    pub service_id: Option<i64>,
    /// Group condition.
    pub group_id: Option<i64>,
    /// Requester organisation condition.
    #[serde(default)]
    pub organisation_id: Option<i64>,
    /// Category condition.
    #[serde(default)]
    pub category_id: Option<i64>,
    /// First response target (business minutes).
    pub response_minutes: i32,
    /// Resolution target (business minutes).
    pub resolution_minutes: i32,
    /// Calendar the targets count on.
    pub calendar_id: i64,
    /// Its name.
    pub calendar_name: String,
    /// Warning threshold, percent of the target.
    pub warn_percent: u8,
    /// On-hold reasons that pause the resolution clock.
    pub pause_reasons: Vec<String>,
    /// Raise the priority on breach.
    pub raise_priority: bool,
    /// Escalate to the next tier on breach.
    pub escalate: bool,
}

/// One line of an SLA compliance report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ComplianceRow {
    /// Policy name, `P1`…`P5`, or group name.
    pub key: String,
    /// First response or resolution.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub metric: SlaMetric,
    /// Clocks counted.
    pub total: u64,
    /// Met (stopped in time).
    pub met: u64,
    /// Breached.
    pub breached: u64,
    /// Still running within target.
    pub running: u64,
    /// met / (met + breached), in percent; `None` when nothing is decided yet.
    pub compliance_percent: Option<f64>,
}

mod assets;
mod catalog;
mod cmdb;
mod knowledge;
pub use assets::*;
pub use catalog::*;
pub use cmdb::*;
pub use knowledge::*;

/// A queue view (built-in or saved) with how many tickets it holds now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QueueView {
    /// Saved view id (`None` for built-in views).
    pub id: Option<i64>,
    /// Stable key (`mine`, `saved-3`).
    pub key: String,
    /// Label.
    pub label: String,
    /// The queue filter as a URL query (`state=open&assignee=me`).
    pub query: String,
    /// Tickets in the view, counted up to [`COUNT_CAP`].
    pub count: u64,
    /// More than [`COUNT_CAP`] tickets are in the view.
    #[serde(default)]
    pub count_capped: bool,
}

/// An admin-defined macro: a canned reply, optionally moving the ticket to a state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MacroView {
    /// Id.
    pub id: i64,
    /// Name shown in the picker.
    pub name: String,
    /// Reply text.
    pub body: String,
    /// Posted as an internal note.
    pub internal: bool,
    /// State to move the ticket to.
    pub state: Option<String>,
    /// On-hold reason (with state `on_hold`).
    pub on_hold_reason: Option<String>,
    /// Offered to agents.
    pub active: bool,
}

/// Outcome of a bulk action on one ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BulkResult {
    /// Ticket number.
    pub number: String,
    /// Whether it was changed.
    pub ok: bool,
    /// Why not.
    pub message: Option<String>,
}
