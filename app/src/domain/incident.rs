//! Incident-management rules: on-hold reasons, ticket links, desk settings, time entries and
//! what a requester's reply does to a ticket.

use super::field::FieldError;
use super::TicketState;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Why a ticket is on hold. The SLA clock pauses for these (configurable later).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum OnHoldReason {
    /// Waiting for the requester to answer; their reply resumes work.
    AwaitingCaller,
    /// Waiting for a change to be implemented.
    AwaitingChange,
    /// Waiting for a problem investigation.
    AwaitingProblem,
    /// Waiting for a third-party vendor.
    AwaitingVendor,
    /// A requested item waiting for its approvers (set by the catalog, not by hand).
    AwaitingApproval,
    /// A fulfilment task waiting for the tasks ordered before it (set by the catalog).
    AwaitingTasks,
}

impl OnHoldReason {
    /// All reasons.
    pub const ALL: [Self; 6] =
        [Self::AwaitingCaller, Self::AwaitingChange, Self::AwaitingProblem, Self::AwaitingVendor, Self::AwaitingApproval, Self::AwaitingTasks];

    /// The reasons an agent may choose (the others are set by the catalog's lifecycles).
    pub const MANUAL: [Self; 4] = [Self::AwaitingCaller, Self::AwaitingChange, Self::AwaitingProblem, Self::AwaitingVendor];

    /// Stable storage/API code.
    pub fn code(self) -> &'static str {
        match self {
            Self::AwaitingCaller => "awaiting_caller",
            Self::AwaitingChange => "awaiting_change",
            Self::AwaitingProblem => "awaiting_problem",
            Self::AwaitingVendor => "awaiting_vendor",
            Self::AwaitingApproval => "awaiting_approval",
            Self::AwaitingTasks => "awaiting_tasks",
        }
    }

    /// Label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::AwaitingCaller => "Awaiting caller",
            Self::AwaitingChange => "Awaiting change",
            Self::AwaitingProblem => "Awaiting problem",
            Self::AwaitingVendor => "Awaiting vendor",
            Self::AwaitingApproval => "Awaiting approval",
            Self::AwaitingTasks => "Awaiting earlier tasks",
        }
    }

    /// Parses a code; an empty one is reported as missing.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldError::new("on_hold_reason", "Choose why the ticket is on hold"));
        }
        Self::ALL.into_iter().find(|r| r.code() == raw).ok_or_else(|| {
            FieldError::new(
                "on_hold_reason",
                format!("Unknown on-hold reason '{raw}': use awaiting_caller, awaiting_change, awaiting_problem, awaiting_vendor, awaiting_approval or awaiting_tasks"),
            )
        })
    }
}

/// How two tickets are linked. Stored from → to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum LinkKind {
    /// `from` is a child incident of the major incident `to`.
    ChildOf,
    /// `from` duplicates `to`.
    DuplicateOf,
}

impl LinkKind {
    /// Stable storage/API code.
    pub fn code(self) -> &'static str {
        match self {
            Self::ChildOf => "child_of",
            Self::DuplicateOf => "duplicate_of",
        }
    }

    /// Parses a code.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw.trim() {
            "child_of" => Ok(Self::ChildOf),
            "duplicate_of" => Ok(Self::DuplicateOf),
            other => Err(FieldError::new("kind", format!("Unknown link kind '{other}': use child_of or duplicate_of"))),
        }
    }
}

/// Desk-wide rules an admin configures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeskSettings {
    /// A requester reply within this many days of resolution reopens the ticket.
    pub reopen_window_days: u32,
    /// Resolved tickets close automatically after this many days.
    pub auto_close_days: u32,
}

impl Default for DeskSettings {
    fn default() -> Self {
        Self { reopen_window_days: 7, auto_close_days: 3 }
    }
}

impl DeskSettings {
    /// Validates both values (0–365 days for reopening, 1–365 for auto-close).
    pub fn parse(reopen_window_days: &str, auto_close_days: &str) -> Result<Self, Vec<FieldError>> {
        let reopen = reopen_window_days.trim().parse::<u32>().ok().filter(|d| *d <= 365);
        let close = auto_close_days.trim().parse::<u32>().ok().filter(|d| (1..=365).contains(d));
        let mut errors = Vec::new();
        if reopen.is_none() {
            errors.push(FieldError::new("reopen_window_days", "Reopen window must be a whole number of days from 0 to 365"));
        }
        if close.is_none() {
            errors.push(FieldError::new("auto_close_days", "Auto-close must be a whole number of days from 1 to 365"));
        }
        match (reopen, close) {
            (Some(reopen_window_days), Some(auto_close_days)) => Ok(Self { reopen_window_days, auto_close_days }),
            _ => Err(errors),
        }
    }

    /// Whether a ticket resolved at `resolved_at` should be closed at `now`.
    pub fn due_for_auto_close(&self, resolved_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now - resolved_at >= Duration::days(self.auto_close_days as i64)
    }
}

/// What a requester's public reply does to their ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyEffect {
    /// Nothing besides the comment.
    None,
    /// On hold awaiting the caller → back to In progress.
    Resume,
    /// Resolved within the reopen window → In progress, counted as a reopen.
    Reopen,
}

/// Decides the effect of a requester reply, refusing replies to closed tickets or to tickets
/// resolved longer ago than the reopen window.
pub fn requester_reply_effect(
    state: TicketState,
    on_hold_reason: Option<OnHoldReason>,
    resolved_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    settings: &DeskSettings,
) -> Result<ReplyEffect, FieldError> {
    match state {
        TicketState::OnHold if on_hold_reason == Some(OnHoldReason::AwaitingCaller) => Ok(ReplyEffect::Resume),
        TicketState::Resolved => {
            let within = resolved_at.is_none_or(|at| now - at <= Duration::days(settings.reopen_window_days as i64));
            if within {
                Ok(ReplyEffect::Reopen)
            } else {
                Err(FieldError::new(
                    "body",
                    format!(
                        "This ticket was resolved more than {} days ago and can no longer be reopened; please raise a new one",
                        settings.reopen_window_days
                    ),
                ))
            }
        }
        TicketState::Closed | TicketState::Canceled => Err(FieldError::new(
            "body",
            format!("This ticket is {} and takes no more replies; please raise a new one", state.label().to_lowercase()),
        )),
        _ => Ok(ReplyEffect::None),
    }
}

/// Minutes of work logged on a ticket: 1 to 1440 (one day) per entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Minutes(u32);

impl Minutes {
    /// Validates a duration in minutes.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        raw.trim()
            .parse::<u32>()
            .ok()
            .filter(|m| (1..=1440).contains(m))
            .map(Self)
            .ok_or_else(|| FieldError::new("minutes", "Time spent must be a whole number of minutes from 1 to 1440"))
    }

    /// The number of minutes.
    pub fn get(self) -> u32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap()
    }

    #[test]
    fn on_hold_reasons_parse() {
        for r in OnHoldReason::ALL {
            assert_eq!(OnHoldReason::parse(r.code()).unwrap(), r);
        }
        assert_eq!(OnHoldReason::parse("").unwrap_err().message, "Choose why the ticket is on hold");
        assert!(OnHoldReason::parse("lunch").is_err());
    }

    #[test]
    fn requester_reply_rules() {
        let s = DeskSettings { reopen_window_days: 7, auto_close_days: 3 };
        use TicketState::*;
        assert_eq!(requester_reply_effect(OnHold, Some(OnHoldReason::AwaitingCaller), None, at(1), &s).unwrap(), ReplyEffect::Resume);
        assert_eq!(requester_reply_effect(OnHold, Some(OnHoldReason::AwaitingVendor), None, at(1), &s).unwrap(), ReplyEffect::None);
        assert_eq!(requester_reply_effect(New, None, None, at(1), &s).unwrap(), ReplyEffect::None);
        assert_eq!(requester_reply_effect(InProgress, None, None, at(1), &s).unwrap(), ReplyEffect::None);
        assert_eq!(requester_reply_effect(Resolved, None, Some(at(1)), at(8), &s).unwrap(), ReplyEffect::Reopen, "exactly 7 days is inside");
        let late = requester_reply_effect(Resolved, None, Some(at(1)), at(9), &s).unwrap_err();
        assert!(late.message.contains("more than 7 days"));
        assert!(requester_reply_effect(Closed, None, Some(at(1)), at(2), &s).is_err());
        assert!(requester_reply_effect(Canceled, None, None, at(2), &s).is_err());
    }

    #[test]
    fn settings_validate_and_auto_close() {
        assert_eq!(DeskSettings::parse("7", "3").unwrap(), DeskSettings { reopen_window_days: 7, auto_close_days: 3 });
        let errs = DeskSettings::parse("-1", "0").unwrap_err();
        assert_eq!(errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["reopen_window_days", "auto_close_days"]);
        let s = DeskSettings { reopen_window_days: 7, auto_close_days: 3 };
        assert!(!s.due_for_auto_close(at(1), at(3)));
        assert!(s.due_for_auto_close(at(1), at(4)));
    }

    #[test]
    fn minutes_bounds() {
        assert!(Minutes::parse("0").is_err());
        assert!(Minutes::parse("1441").is_err());
        assert!(Minutes::parse("abc").is_err());
        assert_eq!(Minutes::parse(" 90 ").unwrap().get(), 90);
    }

    #[test]
    fn link_kinds() {
        assert_eq!(LinkKind::parse("child_of").unwrap(), LinkKind::ChildOf);
        assert!(LinkKind::parse("sibling").is_err());
    }
}
