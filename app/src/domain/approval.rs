//! The approvals engine shared by catalog requests and changes: ordered stages, each with its
//! approvers and a rule (any, all, N of M, a percentage), decided as approvers answer. A stage is
//! approved once enough approvers approved and rejected once enough rejected that the rule can no
//! longer be met; either way the approvals still pending are no longer required (they leave the
//! approvers' lists). A stage past its due date takes its expiry action: approve, reject, or
//! escalate (the stage closes and the next one decides; escalating the last stage rejects, so an
//! unanswered request never passes by default). Stages run one after another: the first not yet
//! approved is the current one; one rejected stage rejects the whole.

use super::FieldError;
use serde::{Deserialize, Serialize};

/// How many of a stage's approvers must approve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", content = "n", rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ApprovalRule {
    /// One approval is enough.
    Any,
    /// Every approver must approve.
    All,
    /// At least N approvers (all of them when there are fewer).
    AtLeast(u32),
    /// At least this percentage of the approvers, rounded up (1–100).
    Percent(u32),
}

impl ApprovalRule {
    /// Parses `any`, `all`, `at_least` with `n` ≥ 1, or `percent` with `n` in 1–100.
    pub fn parse(rule: &str, n: Option<i64>) -> Result<Self, FieldError> {
        let count = |max: i64, what: &str| {
            n.filter(|n| (1..=max).contains(n)).map(|n| n as u32).ok_or_else(|| FieldError::new("n", format!("{what} needs a number from 1 to {max}")))
        };
        match rule.trim().to_ascii_lowercase().replace([' ', '-'], "_").as_str() {
            "any" => Ok(Self::Any),
            "all" => Ok(Self::All),
            "at_least" | "n_of_m" => Ok(Self::AtLeast(count(1_000, "At least N")?)),
            "percent" => Ok(Self::Percent(count(100, "A percentage")?)),
            other => Err(FieldError::new("rule", format!("Unknown approval rule '{other}': use any, all, at_least or percent"))),
        }
    }

    /// Approvals needed out of `approvers` (at least 1 when there is anyone to ask).
    pub fn needed(self, approvers: u32) -> u32 {
        let n = match self {
            Self::Any => 1,
            Self::All => approvers,
            Self::AtLeast(n) => n.min(approvers),
            Self::Percent(p) => (approvers * p).div_ceil(100),
        };
        n.clamp(u32::from(approvers > 0), approvers.max(1))
    }

    /// Words for people: `any one`, `all 3`, `2 of 3`, `50 % (2 of 3)`.
    pub fn describe(self, approvers: u32) -> String {
        match self {
            Self::Any => "any one".into(),
            Self::All => format!("all {approvers}"),
            Self::AtLeast(_) => format!("{} of {approvers}", self.needed(approvers)),
            Self::Percent(p) => format!("{p} % ({} of {approvers})", self.needed(approvers)),
        }
    }
}

/// One approver's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Decision {
    /// Not answered yet.
    Pending,
    /// Approved.
    Approved,
    /// Rejected.
    Rejected,
    /// The stage was decided without this answer.
    NotRequired,
}

impl Decision {
    /// Stable storage/API code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::NotRequired => "not_required",
        }
    }

    /// Parses a stored code.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        [Self::Pending, Self::Approved, Self::Rejected, Self::NotRequired]
            .into_iter()
            .find(|d| d.code() == raw.trim())
            .ok_or_else(|| FieldError::new("decision", format!("Unknown decision '{raw}': use approved or rejected")))
    }
}

/// What a stage's past-due date does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ExpiryAction {
    /// Approve the stage.
    Approve,
    /// Reject the stage.
    Reject,
    /// Close the stage and let the next one decide (the last one rejects).
    Escalate,
}

/// Where a stage stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum StageOutcome {
    /// Waiting for answers.
    Pending,
    /// Enough approved.
    Approved,
    /// The rule can no longer be met.
    Rejected,
    /// Closed by its expiry; the next stage decides.
    Escalated,
}

impl StageOutcome {
    /// Whether the stage is decided (no answer is asked for any more).
    pub fn is_final(self) -> bool {
        self != Self::Pending
    }
}

/// Judges a stage from its approvers' answers.
pub fn judge(rule: ApprovalRule, decisions: &[Decision]) -> StageOutcome {
    let approvers = decisions.len() as u32;
    let approved = decisions.iter().filter(|d| **d == Decision::Approved).count() as u32;
    let rejected = decisions.iter().filter(|d| **d == Decision::Rejected).count() as u32;
    let needed = rule.needed(approvers);
    if approvers == 0 {
        // Nobody to ask (an empty group, a requester without a manager): nothing can approve.
        return StageOutcome::Rejected;
    }
    if approved >= needed {
        StageOutcome::Approved
    } else if approvers - rejected < needed {
        StageOutcome::Rejected
    } else {
        StageOutcome::Pending
    }
}

/// The answers after a stage is decided: those still pending become not required.
pub fn settle(decisions: &[Decision], outcome: StageOutcome) -> Vec<Decision> {
    decisions.iter().map(|d| if outcome.is_final() && *d == Decision::Pending { Decision::NotRequired } else { *d }).collect()
}

/// A stage's outcome when its due date passes while it is still pending.
pub fn expire(action: ExpiryAction) -> StageOutcome {
    match action {
        ExpiryAction::Approve => StageOutcome::Approved,
        ExpiryAction::Reject => StageOutcome::Rejected,
        ExpiryAction::Escalate => StageOutcome::Escalated,
    }
}

/// Where a sequence of stages stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", content = "stage", rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Approval {
    /// Stage `n` (0-based) is asking its approvers.
    AtStage(usize),
    /// Every stage approved (or there were none).
    Approved,
    /// A stage rejected, or the last stage escalated.
    Rejected,
}

/// Where stages with these outcomes stand, in order.
pub fn overall(outcomes: &[StageOutcome]) -> Approval {
    for (i, o) in outcomes.iter().enumerate() {
        match o {
            StageOutcome::Pending => return Approval::AtStage(i),
            StageOutcome::Rejected => return Approval::Rejected,
            StageOutcome::Escalated if i + 1 == outcomes.len() => return Approval::Rejected,
            StageOutcome::Approved | StageOutcome::Escalated => {}
        }
    }
    Approval::Approved
}

#[cfg(test)]
mod tests {
    use super::*;
    use Decision::{Approved as A, NotRequired as X, Pending as P, Rejected as R};

    #[test]
    fn rules_need_their_share_of_approvers() {
        assert_eq!(ApprovalRule::Any.needed(3), 1);
        assert_eq!(ApprovalRule::All.needed(3), 3);
        assert_eq!(ApprovalRule::AtLeast(2).needed(3), 2);
        assert_eq!(ApprovalRule::AtLeast(5).needed(3), 3, "never more than there are");
        assert_eq!(ApprovalRule::Percent(50).needed(3), 2, "rounded up");
        assert_eq!(ApprovalRule::Percent(50).needed(4), 2);
        assert_eq!(ApprovalRule::Percent(1).needed(3), 1, "at least one");
        assert_eq!(ApprovalRule::Percent(100).needed(7), 7);
        assert_eq!(ApprovalRule::AtLeast(2).describe(3), "2 of 3");
        assert_eq!(ApprovalRule::Percent(60).describe(5), "60 % (3 of 5)");
    }

    #[test]
    fn rules_parse_with_their_number() {
        assert_eq!(ApprovalRule::parse("any", None).unwrap(), ApprovalRule::Any);
        assert_eq!(ApprovalRule::parse("N of M", Some(2)).unwrap(), ApprovalRule::AtLeast(2));
        assert_eq!(ApprovalRule::parse("percent", Some(60)).unwrap(), ApprovalRule::Percent(60));
        assert_eq!(ApprovalRule::parse("percent", Some(0)).unwrap_err().field, "n");
        assert_eq!(ApprovalRule::parse("percent", Some(101)).unwrap_err().field, "n");
        assert_eq!(ApprovalRule::parse("at_least", None).unwrap_err().message, "At least N needs a number from 1 to 1000");
        assert_eq!(ApprovalRule::parse("majority", None).unwrap_err().field, "rule");
    }

    #[test]
    fn any_approves_on_the_first_yes_and_rejects_only_when_everyone_said_no() {
        assert_eq!(judge(ApprovalRule::Any, &[P, P]), StageOutcome::Pending);
        assert_eq!(judge(ApprovalRule::Any, &[R, A]), StageOutcome::Approved);
        assert_eq!(judge(ApprovalRule::Any, &[R, P]), StageOutcome::Pending);
        assert_eq!(judge(ApprovalRule::Any, &[R, R]), StageOutcome::Rejected);
    }

    #[test]
    fn all_rejects_on_the_first_no() {
        assert_eq!(judge(ApprovalRule::All, &[A, P, P]), StageOutcome::Pending);
        assert_eq!(judge(ApprovalRule::All, &[A, R, P]), StageOutcome::Rejected);
        assert_eq!(judge(ApprovalRule::All, &[A, A, A]), StageOutcome::Approved);
    }

    #[test]
    fn n_of_m_and_percent_decide_as_soon_as_the_outcome_is_certain() {
        // A CAB of three, two needed.
        let cab = ApprovalRule::AtLeast(2);
        assert_eq!(judge(cab, &[A, P, P]), StageOutcome::Pending);
        assert_eq!(judge(cab, &[A, A, P]), StageOutcome::Approved, "the third answer is no longer needed");
        assert_eq!(judge(cab, &[R, A, P]), StageOutcome::Pending);
        assert_eq!(judge(cab, &[R, R, P]), StageOutcome::Rejected, "two can no longer approve");
        let half = ApprovalRule::Percent(50);
        assert_eq!(judge(half, &[A, A, P, P]), StageOutcome::Approved);
        assert_eq!(judge(half, &[R, R, R, P]), StageOutcome::Rejected);
        assert_eq!(judge(half, &[R, R, P, P]), StageOutcome::Pending);
    }

    #[test]
    fn nobody_to_ask_cannot_approve() {
        assert_eq!(judge(ApprovalRule::Any, &[]), StageOutcome::Rejected);
        assert_eq!(judge(ApprovalRule::All, &[]), StageOutcome::Rejected);
    }

    #[test]
    fn answers_still_pending_are_no_longer_required_once_decided() {
        let decided = judge(ApprovalRule::AtLeast(2), &[A, A, P]);
        assert_eq!(settle(&[A, A, P], decided), vec![A, A, X]);
        assert_eq!(settle(&[A, P, P], StageOutcome::Pending), vec![A, P, P], "undecided: everyone still asked");
        assert_eq!(settle(&[R, P], StageOutcome::Escalated), vec![R, X]);
    }

    #[test]
    fn stages_run_in_order_and_expiry_acts() {
        use StageOutcome::*;
        assert_eq!(overall(&[]), Approval::Approved);
        assert_eq!(overall(&[Pending, Pending]), Approval::AtStage(0));
        assert_eq!(overall(&[Approved, Pending]), Approval::AtStage(1));
        assert_eq!(overall(&[Approved, Approved]), Approval::Approved);
        assert_eq!(overall(&[Approved, Rejected]), Approval::Rejected);
        assert_eq!(overall(&[expire(ExpiryAction::Escalate), Pending]), Approval::AtStage(1), "escalated: the next stage decides");
        assert_eq!(overall(&[Approved, expire(ExpiryAction::Escalate)]), Approval::Rejected, "the last stage escalating rejects");
        assert_eq!(overall(&[expire(ExpiryAction::Approve)]), Approval::Approved);
        assert_eq!(overall(&[expire(ExpiryAction::Reject), Pending]), Approval::Rejected);
        assert_eq!(Decision::parse("approved").unwrap(), A);
        assert_eq!(Decision::parse("maybe").unwrap_err().field, "decision");
    }
}
