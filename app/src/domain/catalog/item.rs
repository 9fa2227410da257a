//! A catalog item's definition besides its form: who may order it ([`ItemAudience`]), the
//! approval stages each order goes through ([`StageTemplate`]) and the fulfilment tasks it opens
//! ([`TaskTemplate`]); and how an item's and a task's own lifecycle state shows in the one ticket
//! model's shared state (what queues and SLA clocks read).

use super::super::approval::{ApprovalRule, ExpiryAction};
use super::super::field::bounded_text;
use super::super::{Actor, FieldError, OnHoldReason, Role, TicketState};
use super::request::{ItemState, TaskState};
use serde::{Deserialize, Serialize};

/// Most approval stages an item may have.
pub const MAX_STAGES: usize = 5;
/// Most fulfilment tasks an item may open.
pub const MAX_TASKS: usize = 20;

/// Who may see and order an item: everyone, or only the listed roles and organisations (a user
/// matching either list may).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ItemAudience {
    /// Roles that may order it (`requester`, `agent`, `admin`); empty with no organisations: everyone.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Organisations whose members may order it.
    #[serde(default)]
    pub organisation_ids: Vec<i64>,
}

impl ItemAudience {
    /// Whether the audience is everyone.
    pub fn is_everyone(&self) -> bool {
        self.roles.is_empty() && self.organisation_ids.is_empty()
    }

    /// The search index's audience terms of the item: `public` for everyone, else one
    /// `role:CODE` per role and `org:ID` per organisation.
    pub fn index_terms(&self) -> Vec<String> {
        if self.is_everyone() {
            return vec!["public".into()];
        }
        self.roles.iter().map(|r| format!("role:{}", r.code())).chain(self.organisation_ids.iter().map(|o| format!("org:{o}"))).collect()
    }

    /// The audience terms `actor` is admitted by in the search index (articles: `public`, and
    /// `agents` for staff; catalog items: [`Self::index_terms`]); `None` for admins, who see
    /// everything.
    pub fn reader_terms(actor: &Actor) -> Option<Vec<String>> {
        if actor.is_admin() {
            return None;
        }
        let mut terms = vec!["public".to_string(), format!("role:{}", actor.role.code())];
        if actor.is_staff() {
            terms.push("agents".into());
        }
        terms.extend(actor.organisation_id.map(|o| format!("org:{o}")));
        Some(terms)
    }

    /// Whether `actor` may see and order the item. Admins see every item.
    pub fn admits(&self, actor: &Actor) -> bool {
        self.is_everyone()
            || actor.is_admin()
            || self.roles.contains(&actor.role)
            || actor.organisation_id.is_some_and(|o| self.organisation_ids.contains(&o))
    }
}

/// Who is asked in a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Approvers {
    /// The manager of the person the item is requested for.
    Manager,
    /// These users.
    Users {
        /// User ids.
        user_ids: Vec<i64>,
    },
    /// The members of an assignment group (when the request is made).
    Group {
        /// Assignment group id.
        group_id: i64,
    },
}

/// One approval stage an order goes through.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageTemplate {
    /// What the stage is called, e.g. `Manager approval`.
    pub name: String,
    /// Who is asked.
    pub approvers: Approvers,
    /// How many must approve.
    pub rule: ApprovalRule,
    /// Hours the approvers have (none: no due date).
    #[serde(default)]
    pub due_hours: Option<u32>,
    /// What happens when the due date passes undecided.
    #[serde(default = "default_expiry")]
    pub on_expiry: ExpiryAction,
}

fn default_expiry() -> ExpiryAction {
    ExpiryAction::Escalate
}

/// One fulfilment task an approved order opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaskTemplate {
    /// What to do, e.g. `Image the laptop`.
    pub title: String,
    /// The group that does it (none: the item's fulfilment group).
    #[serde(default)]
    pub group_id: Option<i64>,
    /// Tasks with the same order run side by side; lower orders first (1–99).
    pub order: u32,
}

/// Checks an item's stages: at most [`MAX_STAGES`], each named, with users listed for a users
/// stage and a due date of 1 hour to 90 days when set. Errors name `approvals.N.part`.
pub fn check_stages(stages: &[StageTemplate]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if stages.len() > MAX_STAGES {
        errors.push(FieldError::new("approvals", format!("An item has at most {MAX_STAGES} approval stages")));
    }
    for (i, s) in stages.iter().enumerate() {
        let at = |part: &str| format!("approvals.{i}.{part}");
        if let Err(e) = bounded_text(&at("name"), "Stage name", &s.name, 1, 80) {
            errors.push(e);
        }
        match &s.approvers {
            Approvers::Users { user_ids } if user_ids.is_empty() || user_ids.len() > 50 => {
                errors.push(FieldError::new(at("approvers"), "Name 1 to 50 approvers"))
            }
            _ => {}
        }
        if let Err(e) = ApprovalRule::parse(rule_code(s.rule), rule_n(s.rule)) {
            errors.push(FieldError::new(at("rule"), e.message));
        }
        if s.due_hours.is_some_and(|h| !(1..=24 * 90).contains(&h)) {
            errors.push(FieldError::new(at("due_hours"), "Give the approvers 1 hour to 90 days"));
        }
    }
    errors
}

/// Checks an item's tasks: at most [`MAX_TASKS`], each with a title of 1–200 characters and an
/// order of 1–99. Errors name `tasks.N.part`.
pub fn check_tasks(tasks: &[TaskTemplate]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if tasks.len() > MAX_TASKS {
        errors.push(FieldError::new("tasks", format!("An item opens at most {MAX_TASKS} tasks")));
    }
    for (i, t) in tasks.iter().enumerate() {
        if let Err(e) = bounded_text(&format!("tasks.{i}.title"), "Task title", &t.title, 1, 200) {
            errors.push(e);
        }
        if !(1..=99).contains(&t.order) {
            errors.push(FieldError::new(format!("tasks.{i}.order"), "The order is 1 to 99"));
        }
    }
    errors
}

/// The stored code of a rule (`any`, `all`, `at_least`, `percent`).
pub fn rule_code(rule: ApprovalRule) -> &'static str {
    match rule {
        ApprovalRule::Any => "any",
        ApprovalRule::All => "all",
        ApprovalRule::AtLeast(_) => "at_least",
        ApprovalRule::Percent(_) => "percent",
    }
}

/// The number stored with a rule (N of at least N, the percentage).
pub fn rule_n(rule: ApprovalRule) -> Option<i64> {
    match rule {
        ApprovalRule::AtLeast(n) | ApprovalRule::Percent(n) => Some(n.into()),
        ApprovalRule::Any | ApprovalRule::All => None,
    }
}

/// How an item's state shows in the shared ticket state: waiting on approvers is on hold
/// (awaiting approval, so an SLA policy may pause its clock), fulfilment is in progress, a
/// fulfilled item is resolved, and rejected or incomplete items are closed.
pub fn item_phase(state: ItemState) -> (TicketState, Option<OnHoldReason>) {
    match state {
        ItemState::Submitted => (TicketState::New, None),
        ItemState::AwaitingApproval => (TicketState::OnHold, Some(OnHoldReason::AwaitingApproval)),
        ItemState::Approved | ItemState::InFulfilment => (TicketState::InProgress, None),
        ItemState::Fulfilled => (TicketState::Resolved, None),
        ItemState::Closed | ItemState::Rejected | ItemState::Incomplete => (TicketState::Closed, None),
        ItemState::Canceled => (TicketState::Canceled, None),
    }
}

/// How a task's state shows in the shared ticket state: a task waiting for earlier ones is on
/// hold (awaiting tasks), a completed task is closed.
pub fn task_phase(state: TaskState) -> (TicketState, Option<OnHoldReason>) {
    match state {
        TaskState::Waiting => (TicketState::OnHold, Some(OnHoldReason::AwaitingTasks)),
        TaskState::Open => (TicketState::New, None),
        TaskState::InProgress => (TicketState::InProgress, None),
        TaskState::Completed => (TicketState::Closed, None),
        TaskState::Canceled => (TicketState::Canceled, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, organisation_id: Option<i64>) -> Actor {
        Actor { user_id: 1, username: "u".into(), display_name: "U".into(), role, group_ids: vec![], organisation_id }
    }

    #[test]
    fn search_terms_admit_exactly_whom_the_audience_admits() {
        let audiences = [
            ItemAudience::default(),
            ItemAudience { roles: vec![Role::Agent], organisation_ids: vec![] },
            ItemAudience { roles: vec![Role::Requester], organisation_ids: vec![] },
            ItemAudience { roles: vec![], organisation_ids: vec![3] },
            ItemAudience { roles: vec![Role::Agent, Role::Admin], organisation_ids: vec![4] },
        ];
        for a in &audiences {
            let item_terms = a.index_terms();
            for role in Role::ALL {
                for org in [None, Some(3), Some(4)] {
                    let who = actor(role, org);
                    let found = ItemAudience::reader_terms(&who).is_none_or(|t| t.iter().any(|x| item_terms.contains(x)));
                    assert_eq!(found, a.admits(&who), "{a:?} for {role:?} in {org:?}");
                }
            }
        }
    }

    #[test]
    fn audiences_admit_by_role_or_organisation() {
        let everyone = ItemAudience::default();
        assert!(everyone.admits(&actor(Role::Requester, None)));
        let agents = ItemAudience { roles: vec![Role::Agent], organisation_ids: vec![] };
        assert!(!agents.admits(&actor(Role::Requester, Some(3))));
        assert!(agents.admits(&actor(Role::Agent, None)));
        assert!(agents.admits(&actor(Role::Admin, None)), "admins see every item");
        let acme = ItemAudience { roles: vec![], organisation_ids: vec![3] };
        assert!(acme.admits(&actor(Role::Requester, Some(3))));
        assert!(!acme.admits(&actor(Role::Requester, Some(4))));
        assert!(!acme.admits(&actor(Role::Requester, None)));
    }

    #[test]
    fn stages_and_tasks_are_checked() {
        let good = StageTemplate { name: "Manager".into(), approvers: Approvers::Manager, rule: ApprovalRule::Any, due_hours: Some(48), on_expiry: ExpiryAction::Escalate };
        assert!(check_stages(std::slice::from_ref(&good)).is_empty());
        let nobody = StageTemplate { approvers: Approvers::Users { user_ids: vec![] }, due_hours: Some(0), name: " ".into(), ..good.clone() };
        let fields: Vec<String> = check_stages(&[good.clone(), nobody]).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["approvals.1.name", "approvals.1.approvers", "approvals.1.due_hours"]);
        let bad_rule = StageTemplate { rule: ApprovalRule::Percent(0), ..good };
        assert_eq!(check_stages(&[bad_rule])[0].field, "approvals.0.rule");
        let tasks = [TaskTemplate { title: "Image".into(), group_id: None, order: 1 }, TaskTemplate { title: "".into(), group_id: None, order: 100 }];
        let fields: Vec<String> = check_tasks(&tasks).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["tasks.1.title", "tasks.1.order"]);
    }

    #[test]
    fn lifecycle_states_show_as_shared_phases() {
        assert_eq!(item_phase(ItemState::AwaitingApproval), (TicketState::OnHold, Some(OnHoldReason::AwaitingApproval)));
        assert_eq!(item_phase(ItemState::Fulfilled).0, TicketState::Resolved);
        assert_eq!(item_phase(ItemState::Rejected).0, TicketState::Closed);
        assert_eq!(task_phase(TaskState::Waiting), (TicketState::OnHold, Some(OnHoldReason::AwaitingTasks)));
        assert_eq!(task_phase(TaskState::Completed).0, TicketState::Closed);
        for s in ItemState::ALL {
            assert_eq!(item_phase(*s).0.is_open(), s.is_open(), "{s:?}: open items are open tickets");
        }
        for s in TaskState::ALL {
            assert_eq!(task_phase(*s).0.is_open(), !s.is_done(), "{s:?}");
        }
    }
}
