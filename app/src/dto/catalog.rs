//! The service catalog as pages and API clients see it: items, their forms, requests with their
//! items' approvals and tasks, and approvers' lists.

use crate::domain::approval::{Decision, StageOutcome};
use crate::domain::catalog::{Answer, FormDefinition, ItemAudience, ItemState, StageTemplate, TaskState, TaskTemplate};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A catalog item in the portal's lists and search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CatalogItemCard {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// One line on what it is.
    pub summary: String,
    /// Icon code (e.g. `laptop`).
    pub icon: String,
    /// Its category, if any.
    pub category_id: Option<i64>,
    /// The category's name.
    pub category_name: Option<String>,
    /// Its business service's name.
    pub service_name: Option<String>,
    /// Whether ordering it asks for approval.
    pub needs_approval: bool,
    /// The delivery target, e.g. `3 business days` (from its SLA policy).
    pub delivery: Option<String>,
}

/// The portal's catalog: items grouped by category (items without one last, as "Other").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CatalogBrowse {
    /// Categories in name order, each with its items.
    pub categories: Vec<CatalogCategory>,
}

/// One category of the catalog with its items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CatalogCategory {
    /// Category id (none: "Other").
    pub id: Option<i64>,
    /// Its name.
    pub name: String,
    /// Its items by name.
    pub items: Vec<CatalogItemCard>,
}

/// An item as a requester orders it: its description and current form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CatalogItemForm {
    /// The card.
    pub item: CatalogItemCard,
    /// Description, as sanitised HTML from markdown.
    pub description_html: String,
    /// The form version orders are made with now.
    pub form_version: i32,
    /// Its fields.
    pub form: FormDefinition,
    /// The approval stages an order goes through, by name.
    pub stages: Vec<String>,
}

/// An item as an admin edits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CatalogItemAdmin {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// One line on what it is.
    pub summary: String,
    /// Markdown description.
    pub description: String,
    /// Icon code.
    pub icon: String,
    /// Business service.
    pub service_id: Option<i64>,
    /// Category.
    pub category_id: Option<i64>,
    /// Who may order it.
    pub audience: ItemAudience,
    /// The SLA policy its requested items run under (delivery target).
    pub sla_policy_id: Option<i64>,
    /// The group that fulfils it (tasks without a group of their own, and the item itself).
    pub group_id: Option<i64>,
    /// Orderable (false: retired).
    pub active: bool,
    /// The current definition's number (1, 2, …).
    pub form_version: i32,
    /// The form's fields in order (the same shape a change sends).
    pub form: Vec<crate::domain::catalog::FormField>,
    /// Approval stages in order.
    pub approvals: Vec<StageTemplate>,
    /// Fulfilment tasks.
    pub tasks: Vec<TaskTemplate>,
    /// Requests made with any version.
    pub requested: u64,
    /// Row version for optimistic concurrency.
    pub version: i32,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// One answer of an order as people read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AnswerView {
    /// The field's key.
    pub key: String,
    /// Its label (in the version ordered).
    pub label: String,
    /// The answer.
    pub value: Answer,
    /// The answer as text (`Yes`, choices joined with `, `).
    pub text: String,
}

/// One approver's answer in a stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApproverView {
    /// Approval id (what an approver decides on).
    pub id: i64,
    /// The approver.
    pub approver_id: i64,
    /// Their name.
    pub approver_name: String,
    /// Their answer.
    pub decision: Decision,
    /// Their comment.
    pub comment: Option<String>,
    /// When they answered.
    pub decided_at: Option<DateTime<Utc>>,
}

/// One approval stage of a requested item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageView {
    /// Name.
    pub name: String,
    /// The rule in words, e.g. `2 of 3`.
    pub rule: String,
    /// Where it stands.
    pub outcome: StageOutcome,
    /// When it expires, if it does.
    pub due_at: Option<DateTime<Utc>>,
    /// Its approvers.
    pub approvers: Vec<ApproverView>,
}

/// A fulfilment task as shown on its item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaskView {
    /// Ticket id.
    pub ticket_id: i64,
    /// `TASK-000001`.
    pub number: String,
    /// What to do.
    pub title: String,
    /// Its order (same order: side by side).
    pub order: i32,
    /// Where it is.
    pub state: TaskState,
    /// Its group's name.
    pub group_name: Option<String>,
    /// Its assignee's name.
    pub assignee_name: Option<String>,
}

/// One requested item with its approvals and tasks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RequestItemView {
    /// Ticket id.
    pub ticket_id: i64,
    /// `RITM-000001`.
    pub number: String,
    /// The catalog item.
    pub catalog_item_id: i64,
    /// Its name.
    pub item_name: String,
    /// The item definition's version it was ordered with.
    pub form_version: i32,
    /// Who it is for.
    pub requested_for_id: i64,
    /// Their name.
    pub requested_for_name: String,
    /// Where it is.
    pub state: ItemState,
    /// Whether the viewer may cancel it now.
    pub may_cancel: bool,
    /// The answers kept, in form order.
    pub answers: Vec<AnswerView>,
    /// Approval stages in order.
    pub stages: Vec<StageView>,
    /// Fulfilment tasks in order.
    pub tasks: Vec<TaskView>,
    /// The delivery due instant (its SLA's resolution target), when one runs.
    pub due_at: Option<DateTime<Utc>>,
}

/// A service request (REQ) with its items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RequestView {
    /// Ticket id.
    pub ticket_id: i64,
    /// `REQ-000001`.
    pub number: String,
    /// Title (the items ordered).
    pub title: String,
    /// Rolled up from its items.
    pub state: ItemState,
    /// Who ordered it.
    pub requester_id: i64,
    /// Their name.
    pub requester_name: String,
    /// When it was ordered.
    pub created_at: DateTime<Utc>,
    /// The items.
    pub items: Vec<RequestItemView>,
}

/// A requester's requests, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RequestList {
    /// The requests.
    pub items: Vec<RequestView>,
}

/// An approval waiting for the viewer, with what they need to decide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PendingApproval {
    /// Approval id (what to decide on).
    pub id: i64,
    /// The stage's name.
    pub stage: String,
    /// The stage's rule in words.
    pub rule: String,
    /// When the stage expires.
    pub due_at: Option<DateTime<Utc>>,
    /// The requested item's number.
    pub number: String,
    /// The request's number.
    pub request_number: String,
    /// The catalog item's name.
    pub item_name: String,
    /// Who ordered it.
    pub requester_name: String,
    /// Who it is for.
    pub requested_for_name: String,
    /// The answers.
    pub answers: Vec<AnswerView>,
    /// When it was ordered.
    pub ordered_at: DateTime<Utc>,
}

/// The viewer's approvals waiting for an answer, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApprovalList {
    /// The approvals.
    pub items: Vec<PendingApproval>,
}
