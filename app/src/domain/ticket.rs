//! The one ticket model's value types: type, public number, state machine, text fields.

use super::field::bounded_text;
use super::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The ITSM record kinds sharing the ticket table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum TicketType {
    /// Unplanned interruption or degradation of a service.
    Incident,
    /// A request from the service catalog: one order of one or more items.
    ServiceRequest,
    /// One item of a service request, with its own approvals, tasks and delivery target.
    RequestItem,
    /// A fulfilment task of a requested item.
    Task,
    /// The unknown cause of one or more incidents.
    Problem,
    /// A change to a service or configuration item.
    Change,
}

impl TicketType {
    /// All types.
    pub const ALL: [Self; 6] = [Self::Incident, Self::ServiceRequest, Self::RequestItem, Self::Task, Self::Problem, Self::Change];

    /// Prefix of the public number, e.g. `INC`.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Incident => "INC",
            Self::ServiceRequest => "REQ",
            Self::RequestItem => "RITM",
            Self::Task => "TASK",
            Self::Problem => "PRB",
            Self::Change => "CHG",
        }
    }

    /// Stable storage/API code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Incident => "incident",
            Self::ServiceRequest => "service_request",
            Self::RequestItem => "request_item",
            Self::Task => "task",
            Self::Problem => "problem",
            Self::Change => "change",
        }
    }

    /// Parses a storage code.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|t| t.code() == raw.trim())
            .ok_or_else(|| FieldError::new("type", format!("Unknown ticket type '{raw}'")))
    }

    /// Whether records of this type move by the service catalog's lifecycles (requests, items
    /// and tasks) rather than by agents setting the state.
    pub fn is_catalog(self) -> bool {
        matches!(self, Self::ServiceRequest | Self::RequestItem | Self::Task)
    }

    /// Label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Incident => "Incident",
            Self::ServiceRequest => "Service request",
            Self::RequestItem => "Requested item",
            Self::Task => "Fulfilment task",
            Self::Problem => "Problem",
            Self::Change => "Change",
        }
    }
}

/// Public, stable ticket number such as `INC-000042`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TicketNumber {
    ticket_type: TicketType,
    seq: u64,
}

impl TicketNumber {
    /// The number a ticket of this type gets for its `seq`-th record.
    pub fn new(ticket_type: TicketType, seq: u64) -> Self {
        Self { ticket_type, seq }
    }

    /// Parses `INC-000042` (prefix case-insensitive, at least one digit).
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let bad = || FieldError::new("number", format!("'{raw}' is not a ticket number like INC-000042"));
        let (prefix, digits) = raw.trim().split_once('-').ok_or_else(bad)?;
        let ticket_type = TicketType::ALL
            .into_iter()
            .find(|t| t.prefix().eq_ignore_ascii_case(prefix))
            .ok_or_else(bad)?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let seq = digits.parse::<u64>().map_err(|_| bad())?;
        Ok(Self { ticket_type, seq })
    }

    /// Which kind of record it numbers.
    pub fn ticket_type(&self) -> TicketType {
        self.ticket_type
    }

    /// Per-type sequence value.
    pub fn seq(&self) -> u64 {
        self.seq
    }
}

impl fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:06}", self.ticket_type.prefix(), self.seq)
    }
}

/// ITIL lifecycle states shared by all ticket types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum TicketState {
    /// Logged, not yet worked on.
    New,
    /// An agent is working on it.
    InProgress,
    /// Waiting on the caller, a change, a problem or a vendor.
    OnHold,
    /// A fix was provided; the requester may reopen.
    Resolved,
    /// Final.
    Closed,
    /// Withdrawn; final.
    Canceled,
}

impl TicketState {
    /// All states in lifecycle order.
    pub const ALL: [Self; 6] =
        [Self::New, Self::InProgress, Self::OnHold, Self::Resolved, Self::Closed, Self::Canceled];

    /// Stable storage/API code.
    pub fn code(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::InProgress => "in_progress",
            Self::OnHold => "on_hold",
            Self::Resolved => "resolved",
            Self::Closed => "closed",
            Self::Canceled => "canceled",
        }
    }

    /// Parses a storage/API code.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL.into_iter().find(|s| s.code() == raw.trim()).ok_or_else(|| {
            FieldError::new(
                "state",
                format!("Unknown state '{raw}': use new, in_progress, on_hold, resolved, closed or canceled"),
            )
        })
    }

    /// Label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::New => "New",
            Self::InProgress => "In progress",
            Self::OnHold => "On hold",
            Self::Resolved => "Resolved",
            Self::Closed => "Closed",
            Self::Canceled => "Canceled",
        }
    }

    /// Whether the ticket still needs work (counts in queues and SLAs).
    pub fn is_open(self) -> bool {
        matches!(self, Self::New | Self::InProgress | Self::OnHold)
    }

    /// Whether `self → to` is an allowed lifecycle step.
    pub fn can_transition_to(self, to: Self) -> bool {
        use TicketState::*;
        matches!(
            (self, to),
            (New, InProgress | OnHold | Resolved | Canceled)
                | (InProgress, OnHold | Resolved | Canceled)
                | (OnHold, InProgress | Resolved | Canceled)
                | (Resolved, InProgress | Closed)
        )
    }

    /// Checks a transition, with a message naming both states when refused.
    pub fn transition_to(self, to: Self) -> Result<Self, FieldError> {
        if self.can_transition_to(to) {
            Ok(to)
        } else {
            Err(FieldError::new(
                "state",
                format!("A ticket cannot go from {} to {}", self.label(), to.label()),
            ))
        }
    }
}

impl fmt::Display for TicketState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How a ticket was resolved: a code from the admin-maintained list (e.g. `solved_permanently`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ResolutionCode(String);

impl ResolutionCode {
    /// The codes every new desk starts with (code, label).
    pub const DEFAULTS: [(&'static str, &'static str); 5] = [
        ("solved_permanently", "Solved (permanently)"),
        ("solved_workaround", "Solved (workaround)"),
        ("not_reproducible", "Not reproducible"),
        ("duplicate", "Duplicate"),
        ("canceled_by_caller", "Canceled by caller"),
    ];

    /// Checks the shape of a code: 2–32 of `a-z 0-9 _`. Whether it exists is the service's job.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let code = raw.trim();
        if code.is_empty() {
            return Err(FieldError::new("resolution_code", "Resolution code is required"));
        }
        let ok = (2..=32).contains(&code.len())
            && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !ok {
            return Err(FieldError::new(
                "resolution_code",
                format!("'{code}' is not a resolution code (2–32 of a-z, 0-9, _)"),
            ));
        }
        Ok(Self(code.to_string()))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A ticket's one-line summary: 1–200 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Title(String);

impl Title {
    /// Maximum length in characters.
    pub const MAX: usize = 200;

    /// Validates a title.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        bounded_text("title", "Title", raw, 1, Self::MAX).map(Self)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A ticket's long description: up to 20,000 characters, may be empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Description(String);

impl Description {
    /// Maximum length in characters.
    pub const MAX: usize = 20_000;

    /// Validates a description.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        bounded_text("description", "Description", raw, 0, Self::MAX).map(Self)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A reply or internal note: 1–20,000 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentBody(String);

impl CommentBody {
    /// Validates a comment body.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        bounded_text("body", "Message", raw, 1, 20_000).map(Self)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats_and_parses_round_trip() {
        let n = TicketNumber::new(TicketType::Incident, 42);
        assert_eq!(n.to_string(), "INC-000042");
        assert_eq!(TicketNumber::parse("inc-000042").unwrap(), n);
        assert_eq!(TicketNumber::parse("REQ-1234567").unwrap().to_string(), "REQ-1234567");
        for bad in ["", "INC", "INC-", "XYZ-000001", "INC-12a", "INC--1", "42"] {
            assert!(TicketNumber::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lifecycle_allows_itil_steps_only() {
        use TicketState::*;
        let allowed = [
            (New, InProgress), (New, OnHold), (New, Resolved), (New, Canceled),
            (InProgress, OnHold), (InProgress, Resolved), (InProgress, Canceled),
            (OnHold, InProgress), (OnHold, Resolved), (OnHold, Canceled),
            (Resolved, InProgress), (Resolved, Closed),
        ];
        for from in TicketState::ALL {
            for to in TicketState::ALL {
                assert_eq!(from.can_transition_to(to), allowed.contains(&(from, to)), "{from:?}->{to:?}");
            }
        }
        let e = Closed.transition_to(InProgress).unwrap_err();
        assert_eq!(e.message, "A ticket cannot go from Closed to In progress");
    }

    #[test]
    fn codes_round_trip() {
        for s in TicketState::ALL {
            assert_eq!(TicketState::parse(s.code()).unwrap(), s);
        }
        for t in TicketType::ALL {
            assert_eq!(TicketType::parse(t.code()).unwrap(), t);
        }
        for (c, _) in ResolutionCode::DEFAULTS {
            assert_eq!(ResolutionCode::parse(c).unwrap().as_str(), c);
        }
        assert!(ResolutionCode::parse("").unwrap_err().message.contains("required"));
        assert!(ResolutionCode::parse("Fixed It").is_err());
        assert!(ResolutionCode::parse("x").is_err());
    }

    #[test]
    fn text_fields_validate() {
        assert!(Title::parse("   ").is_err());
        assert!(Title::parse(&"x".repeat(201)).is_err());
        assert_eq!(Title::parse(" Printer on fire ").unwrap().as_str(), "Printer on fire");
        assert!(Description::parse("").is_ok());
        assert!(CommentBody::parse("").is_err());
    }
}
