//! Typed, directed relationships between configuration items, each with its inverse name.
//!
//! A relationship is stored once, from the CI that needs (or holds, or contains) to the other:
//! `APP-01 runs on SRV-01` is stored `APP-01 → SRV-01`, and SRV-01 reads it as `runs APP-01`.
//! Failure travels against that arrow: when SRV-01 fails, APP-01 is affected. `connected to` is
//! symmetric and carries no failure (a link between peers says nothing about which one needs the
//! other); it is drawn on the map.

use super::super::FieldError;
use serde::{Deserialize, Serialize};

/// The stored kind of a relationship (its forward name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum RelationshipKind {
    /// Needs the other to work (an application depends on its database).
    DependsOn,
    /// Software running on a server or platform.
    RunsOn,
    /// A virtual machine or container hosted on a host.
    HostedOn,
    /// A whole made of parts (a cluster contains its nodes): a part's failure reaches the whole.
    Contains,
    /// A network or peer link; symmetric, carries no failure.
    ConnectedTo,
}

impl RelationshipKind {
    /// Every kind, in display order.
    pub const ALL: [Self; 5] = [Self::DependsOn, Self::RunsOn, Self::HostedOn, Self::Contains, Self::ConnectedTo];

    /// Storage code (the forward name).
    pub fn code(self) -> &'static str {
        match self {
            Self::DependsOn => "depends_on",
            Self::RunsOn => "runs_on",
            Self::HostedOn => "hosted_on",
            Self::Contains => "contains",
            Self::ConnectedTo => "connected_to",
        }
    }

    /// Parses a storage code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The code read from the other end (`used_by` for `depends_on`).
    pub fn inverse_code(self) -> &'static str {
        match self {
            Self::DependsOn => "used_by",
            Self::RunsOn => "runs",
            Self::HostedOn => "hosts",
            Self::Contains => "part_of",
            Self::ConnectedTo => "connected_to",
        }
    }

    /// Whether the relationship reads the same from both ends.
    pub fn is_symmetric(self) -> bool {
        self == Self::ConnectedTo
    }

    /// Whether a failure of the `to` end reaches the `from` end.
    pub fn carries_failure(self) -> bool {
        !self.is_symmetric()
    }
}

/// A relationship kind as read from one of its ends: `depends_on` from the CI that depends,
/// `used_by` from the CI it depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RelationshipType {
    /// The stored kind.
    pub kind: RelationshipKind,
    /// Read from the `to` end (the inverse name).
    pub inverse: bool,
}

impl RelationshipType {
    /// Every type a CI page offers, forward then inverse names (`connected_to` once).
    pub fn all() -> Vec<Self> {
        let mut all: Vec<Self> = RelationshipKind::ALL.into_iter().map(|kind| Self { kind, inverse: false }).collect();
        all.extend(RelationshipKind::ALL.into_iter().filter(|k| !k.is_symmetric()).map(|kind| Self { kind, inverse: true }));
        all
    }

    /// Parses a code (`used_by`) or label (`Used by`), ignoring case. Fails on `type`.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let key = raw.trim().to_lowercase().replace([' ', '-'], "_");
        if key.is_empty() {
            return Err(FieldError::new("type", "Relationship type is required"));
        }
        Self::all().into_iter().find(|t| t.code() == key).ok_or_else(|| {
            let codes: Vec<&str> = Self::all().into_iter().map(Self::code).collect();
            FieldError::new("type", format!("Unknown relationship type '{}': use {}", raw.trim(), codes.join(", ")))
        })
    }

    /// The code of this reading.
    pub fn code(self) -> &'static str {
        if self.inverse { self.kind.inverse_code() } else { self.kind.code() }
    }

    /// Label for people ("Depends on", "Used by").
    pub fn label(self) -> &'static str {
        match self.code() {
            "depends_on" => "Depends on",
            "used_by" => "Used by",
            "runs_on" => "Runs on",
            "runs" => "Runs",
            "hosted_on" => "Hosted on",
            "hosts" => "Hosts",
            "contains" => "Contains",
            "part_of" => "Part of",
            _ => "Connected to",
        }
    }

    /// The same relationship read from its other end.
    pub fn flipped(self) -> Self {
        if self.kind.is_symmetric() { self } else { Self { kind: self.kind, inverse: !self.inverse } }
    }

    /// How `this` CI and `other` are stored for this reading: `(from, to)`. A symmetric link is
    /// stored lowest id first, so the same link typed from either end is the same row.
    pub fn stored_ends(self, this: i64, other: i64) -> (i64, i64) {
        if self.kind.is_symmetric() {
            (this.min(other), this.max(other))
        } else if self.inverse {
            (other, this)
        } else {
            (this, other)
        }
    }

    /// The type a stored relationship `from → to` reads as from CI `this`.
    pub fn seen_from(kind: RelationshipKind, from: i64, this: i64) -> Self {
        Self { kind, inverse: !kind.is_symmetric() && from != this }
    }
}

/// "At least k of n must be up" for a redundancy set: parses `k` against the set's members.
/// Fails on `min_up`.
pub fn parse_min_up(raw: i64, members: usize) -> Result<u32, FieldError> {
    if raw < 1 {
        return Err(FieldError::new("min_up", "At least one member must be required to be up"));
    }
    if raw as u64 > members as u64 {
        return Err(FieldError::new("min_up", format!("The set has {members} member(s): at most {members} can be required to be up")));
    }
    Ok(raw as u32)
}

/// A redundancy set's name ("db-cluster"): 1–60 characters. Fails on `redundancy_set`.
pub fn parse_set_name(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(FieldError::new("redundancy_set", "Redundancy set name must be 1 to 60 characters"));
    }
    if name.chars().any(char::is_control) {
        return Err(FieldError::new("redundancy_set", "Redundancy set name may not contain control characters"));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_parse_codes_and_labels_both_ways() {
        let used_by = RelationshipType::parse("Used by").unwrap();
        assert_eq!(used_by, RelationshipType { kind: RelationshipKind::DependsOn, inverse: true });
        assert_eq!(RelationshipType::parse("used-by").unwrap(), used_by);
        assert_eq!(RelationshipType::parse(" RUNS_ON ").unwrap().code(), "runs_on");
        for t in RelationshipType::all() {
            assert_eq!(RelationshipType::parse(t.code()).unwrap(), t);
            assert_eq!(RelationshipType::parse(t.label()).unwrap(), t);
            assert_eq!(t.flipped().flipped(), t);
        }
        assert_eq!(RelationshipType::all().len(), 9, "five kinds, four with an inverse name");
        let err = RelationshipType::parse("likes").unwrap_err();
        assert_eq!(err.field, "type");
        assert!(err.message.starts_with("Unknown relationship type 'likes': use depends_on, runs_on"), "{}", err.message);
        assert_eq!(RelationshipType::parse("").unwrap_err().message, "Relationship type is required");
    }

    #[test]
    fn stored_ends_follow_the_reading() {
        let depends = RelationshipType::parse("depends_on").unwrap();
        assert_eq!(depends.stored_ends(1, 2), (1, 2));
        assert_eq!(depends.flipped().stored_ends(2, 1), (1, 2), "'2 used by 1' is '1 depends on 2'");
        let link = RelationshipType::parse("connected_to").unwrap();
        assert_eq!(link.stored_ends(9, 3), (3, 9));
        assert_eq!(link.stored_ends(3, 9), (3, 9));
        assert_eq!(link.flipped(), link);
        assert_eq!(RelationshipType::seen_from(RelationshipKind::HostedOn, 5, 7).code(), "hosts");
        assert_eq!(RelationshipType::seen_from(RelationshipKind::HostedOn, 5, 5).code(), "hosted_on");
        assert_eq!(RelationshipType::seen_from(RelationshipKind::ConnectedTo, 5, 7).code(), "connected_to");
        assert!(RelationshipKind::Contains.carries_failure());
        assert!(!RelationshipKind::ConnectedTo.carries_failure());
    }

    #[test]
    fn min_up_is_between_one_and_the_members() {
        assert_eq!(parse_min_up(1, 2), Ok(1));
        assert_eq!(parse_min_up(2, 2), Ok(2));
        assert_eq!(parse_min_up(3, 2).unwrap_err().field, "min_up");
        assert_eq!(parse_min_up(0, 2).unwrap_err().field, "min_up");
        assert_eq!(parse_set_name("  db-cluster ").unwrap(), "db-cluster");
        assert_eq!(parse_set_name(" ").unwrap_err().field, "redundancy_set");
        assert!(parse_set_name(&"x".repeat(61)).is_err());
    }
}
