//! The lifecycle of a requested item and of its fulfilment tasks, and how a request rolls up
//! from its items. (The incident lifecycle stays in `ticket.rs`.)
//!
//! An item: submitted → awaiting approval → approved → in fulfilment → fulfilled → closed;
//! rejected (by its approvals); canceled (by the requester before fulfilment starts, or by an
//! agent); incomplete (a fulfilment task was canceled). Tasks with the same order run side by
//! side; the next order opens when every task before it is done.

use super::super::FieldError;

code_enum!(
    /// Where a requested item is.
    ItemState, "state", "state", "State" {
        /// Just ordered.
        Submitted = "submitted", "Submitted";
        /// Its approvers are deciding.
        AwaitingApproval = "awaiting_approval", "Awaiting approval";
        /// Approved; fulfilment not started.
        Approved = "approved", "Approved";
        /// Its tasks are being worked.
        InFulfilment = "in_fulfilment", "In fulfilment";
        /// Every task done.
        Fulfilled = "fulfilled", "Fulfilled";
        /// Final.
        Closed = "closed", "Closed";
        /// Its approvals said no.
        Rejected = "rejected", "Rejected";
        /// Withdrawn.
        Canceled = "canceled", "Canceled";
        /// A task was canceled: closed without everything delivered.
        Incomplete = "incomplete", "Closed incomplete";
    }
);

impl ItemState {
    /// The states an item may move to from this one.
    pub fn next(self) -> &'static [Self] {
        use ItemState::*;
        match self {
            Submitted => &[AwaitingApproval, Approved, Canceled],
            AwaitingApproval => &[Approved, Rejected, Canceled],
            Approved => &[InFulfilment, Fulfilled, Canceled],
            InFulfilment => &[Fulfilled, Incomplete, Canceled],
            Fulfilled => &[Closed],
            Closed | Rejected | Canceled | Incomplete => &[],
        }
    }

    /// Checks a move.
    pub fn check_move(self, to: Self) -> Result<(), FieldError> {
        if self.next().contains(&to) {
            Ok(())
        } else {
            Err(FieldError::new("state", format!("A request item {} cannot become {}", self.label().to_lowercase(), to.label().to_lowercase())))
        }
    }

    /// Whether work or a decision is still ahead.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Fulfilled | Self::Closed | Self::Rejected | Self::Canceled | Self::Incomplete)
    }

    /// Whether the requester may still cancel it (before fulfilment starts).
    pub fn requester_may_cancel(self) -> bool {
        matches!(self, Self::Submitted | Self::AwaitingApproval | Self::Approved)
    }
}

code_enum!(
    /// Where a fulfilment task is.
    TaskState, "state", "state", "State" {
        /// Waits for the tasks ordered before it.
        Waiting = "waiting", "Waiting";
        /// Ready to be worked.
        Open = "open", "Open";
        /// An agent is on it.
        InProgress = "in_progress", "In progress";
        /// Done.
        Completed = "completed", "Completed";
        /// Will not be done.
        Canceled = "canceled", "Canceled";
    }
);

impl TaskState {
    /// Whether the task is finished one way or the other.
    pub fn is_done(self) -> bool {
        matches!(self, Self::Completed | Self::Canceled)
    }
}

/// One task of an item: its place in the order and its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskStep {
    /// Tasks with the same order run side by side; lower orders first.
    pub order: u32,
    /// Where it is.
    pub state: TaskState,
}

/// The indexes of waiting tasks that should open now: those of the lowest order that still has
/// unfinished tasks, once every task of a lower order is completed. Nothing opens after a
/// cancellation (the item is then incomplete).
pub fn tasks_to_open(tasks: &[TaskStep]) -> Vec<usize> {
    if tasks.iter().any(|t| t.state == TaskState::Canceled) {
        return vec![];
    }
    let Some(current) = tasks.iter().filter(|t| !t.state.is_done()).map(|t| t.order).min() else { return vec![] };
    tasks.iter().enumerate().filter(|(_, t)| t.order == current && t.state == TaskState::Waiting).map(|(i, _)| i).collect()
}

/// Where an item in fulfilment stands from its tasks: fulfilled once all completed, incomplete
/// once one is canceled, in fulfilment otherwise. An item without tasks is fulfilled.
pub fn item_from_tasks(tasks: &[TaskStep]) -> ItemState {
    if tasks.iter().any(|t| t.state == TaskState::Canceled) {
        ItemState::Incomplete
    } else if tasks.iter().all(|t| t.state == TaskState::Completed) {
        ItemState::Fulfilled
    } else {
        ItemState::InFulfilment
    }
}

/// A request's state from its items': the least advanced open item leads (awaiting approval
/// before in fulfilment); once every item is finished, rejected or canceled when all were,
/// fulfilled when every item that went ahead was fulfilled, incomplete otherwise.
pub fn request_from_items(items: &[ItemState]) -> ItemState {
    use ItemState::*;
    let open: Vec<ItemState> = items.iter().copied().filter(|s| s.is_open()).collect();
    if let Some(lead) = [Submitted, AwaitingApproval, Approved, InFulfilment].into_iter().find(|s| open.contains(s)) {
        return if lead == Approved && open.contains(&InFulfilment) { InFulfilment } else { lead };
    }
    let went_ahead: Vec<ItemState> = items.iter().copied().filter(|s| !matches!(s, Rejected | Canceled)).collect();
    if went_ahead.is_empty() {
        return if items.iter().all(|s| *s == Canceled) { Canceled } else { Rejected };
    }
    if went_ahead.iter().all(|s| matches!(s, Fulfilled | Closed)) {
        if went_ahead.iter().all(|s| *s == Closed) { Closed } else { Fulfilled }
    } else {
        Incomplete
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ItemState::*;

    fn step(order: u32, state: TaskState) -> TaskStep {
        TaskStep { order, state }
    }

    #[test]
    fn items_move_by_their_lifecycle() {
        assert!(Submitted.check_move(AwaitingApproval).is_ok());
        assert!(Submitted.check_move(Approved).is_ok(), "an item without approvals");
        assert!(AwaitingApproval.check_move(Rejected).is_ok());
        assert!(InFulfilment.check_move(Incomplete).is_ok());
        assert!(Fulfilled.check_move(Closed).is_ok());
        assert_eq!(Submitted.check_move(Fulfilled).unwrap_err().message, "A request item submitted cannot become fulfilled");
        assert!(Rejected.next().is_empty() && Closed.next().is_empty());
        assert!(Approved.requester_may_cancel() && !InFulfilment.requester_may_cancel());
        assert!(AwaitingApproval.is_open() && !Fulfilled.is_open());
        assert_eq!(ItemState::parse("in_fulfilment").unwrap(), InFulfilment);
        assert_eq!(ItemState::parse("done").unwrap_err().field, "state");
        for s in ItemState::ALL {
            assert_eq!(s.next().is_empty(), !s.is_open() && *s != Fulfilled, "{s:?}: only finished items stop moving");
        }
    }

    #[test]
    fn tasks_open_order_by_order() {
        use TaskState::*;
        let onboarding = [step(1, Waiting), step(2, Waiting), step(2, Waiting), step(3, Waiting)];
        assert_eq!(tasks_to_open(&onboarding), vec![0]);
        let after_first = [step(1, Completed), step(2, Waiting), step(2, Waiting), step(3, Waiting)];
        assert_eq!(tasks_to_open(&after_first), vec![1, 2], "same order: side by side");
        let one_left = [step(1, Completed), step(2, Completed), step(2, InProgress), step(3, Waiting)];
        assert!(tasks_to_open(&one_left).is_empty(), "the next order waits for every task before it");
        let last = [step(1, Completed), step(2, Completed), step(2, Completed), step(3, Waiting)];
        assert_eq!(tasks_to_open(&last), vec![3]);
        assert!(tasks_to_open(&[step(1, Canceled), step(2, Waiting)]).is_empty());
    }

    #[test]
    fn items_follow_their_tasks() {
        use TaskState::*;
        assert_eq!(item_from_tasks(&[step(1, Completed), step(1, InProgress)]), InFulfilment);
        assert_eq!(item_from_tasks(&[step(1, Completed), step(2, Completed)]), Fulfilled);
        assert_eq!(item_from_tasks(&[step(1, Completed), step(2, Canceled)]), Incomplete);
        assert_eq!(item_from_tasks(&[]), Fulfilled);
    }

    #[test]
    fn requests_roll_up_from_their_items() {
        assert_eq!(request_from_items(&[AwaitingApproval, InFulfilment]), AwaitingApproval);
        assert_eq!(request_from_items(&[Approved, InFulfilment]), InFulfilment);
        assert_eq!(request_from_items(&[Fulfilled, InFulfilment]), InFulfilment);
        assert_eq!(request_from_items(&[Fulfilled, Canceled]), Fulfilled, "a canceled item does not spoil the rest");
        assert_eq!(request_from_items(&[Fulfilled, Incomplete]), Incomplete);
        assert_eq!(request_from_items(&[Rejected, Canceled]), Rejected);
        assert_eq!(request_from_items(&[Canceled, Canceled]), Canceled);
        assert_eq!(request_from_items(&[Closed, Closed]), Closed);
        assert_eq!(request_from_items(&[Fulfilled, Closed]), Fulfilled);
    }
}
