//! Knowledge articles: numbers, lifecycle, audience, tags, and the deflection rate.

use super::field::{bounded_text, FieldError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A knowledge article's public number, `KB-000042`, derived from its row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ArticleNumber(pub i64);

impl ArticleNumber {
    /// Parses `KB-000042` (case-insensitive) or a bare id.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        let digits = raw
            .get(..3)
            .filter(|p| p.eq_ignore_ascii_case("KB-"))
            .map(|_| &raw[3..])
            .unwrap_or(raw);
        match digits.parse::<i64>() {
            Ok(id) if id > 0 && !digits.starts_with('+') => Ok(Self(id)),
            _ => Err(FieldError::new("number", "Not a knowledge article number (KB-000042)")),
        }
    }

    /// Row id.
    pub fn id(self) -> i64 {
        self.0
    }
}

impl fmt::Display for ArticleNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KB-{:06}", self.0)
    }
}

/// Where an article is in its lifecycle: draft → in review → published → retired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ArticleState {
    /// Being written; visible to staff only.
    Draft,
    /// Submitted for a knowledge manager's approval.
    InReview,
    /// Live: searchable, suggested, shown to its audience.
    Published,
    /// Withdrawn; kept for history.
    Retired,
}

impl ArticleState {
    /// Every state, in lifecycle order.
    pub const ALL: [ArticleState; 4] = [Self::Draft, Self::InReview, Self::Published, Self::Retired];

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::InReview => "in_review",
            Self::Published => "published",
            Self::Retired => "retired",
        }
    }

    /// Label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::InReview => "In review",
            Self::Published => "Published",
            Self::Retired => "Retired",
        }
    }

    /// Parses a stored code.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == raw.trim())
            .ok_or_else(|| FieldError::new("state", "Unknown article state"))
    }

    /// Checks a lifecycle step. Staff submit drafts for review and withdraw them; publishing,
    /// sending back, retiring and reviving are a knowledge manager's (admin's) decisions.
    pub fn transition_to(self, target: ArticleState, knowledge_manager: bool) -> Result<ArticleState, FieldError> {
        use ArticleState::*;
        let allowed = match (self, target) {
            (Draft, InReview) | (InReview, Draft) => true,
            (Draft | InReview, Published) | (Published, Retired) | (Retired, Draft) | (Published, Draft) => {
                knowledge_manager
            }
            _ => false,
        };
        if allowed {
            Ok(target)
        } else if matches!(
            (self, target),
            (Draft | InReview, Published) | (Published, Retired) | (Retired, Draft) | (Published, Draft)
        ) {
            Err(FieldError::new("state", "Only a knowledge manager can make this change"))
        } else {
            Err(FieldError::new("state", format!("An article cannot go from {} to {}", self.label(), target.label())))
        }
    }

    /// Whether the article's content may still be edited by its author without review.
    pub fn editable_by_author(self) -> bool {
        matches!(self, Self::Draft | Self::InReview)
    }
}

/// Who may read a published article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Audience {
    /// Requesters in the portal and agents.
    Public,
    /// Agents only (internal procedures); never shown to requesters.
    Agents,
}

impl Audience {
    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Agents => "agents",
        }
    }

    /// Label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Public => "Everyone",
            Self::Agents => "Agents only",
        }
    }

    /// Parses a code.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw.trim() {
            "public" => Ok(Self::Public),
            "agents" => Ok(Self::Agents),
            _ => Err(FieldError::new("audience", "Choose Everyone or Agents only")),
        }
    }
}

/// An article title: 3–200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleTitle(String);

impl ArticleTitle {
    /// Validates a title.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        bounded_text("title", "Title", raw, 3, 200).map(Self)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An article body in markdown: required, up to 100,000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleBody(String);

impl ArticleBody {
    /// Maximum length in characters.
    pub const MAX: usize = 100_000;

    /// Validates a body.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        bounded_text("body", "Body", raw, 1, Self::MAX).map(Self)
    }

    /// The markdown.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Up to 10 tags, lower case, letters/digits/`-`, 1–32 characters each, no duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tags(Vec<String>);

impl Tags {
    /// Parses a comma- or space-separated list.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let mut tags: Vec<String> = Vec::new();
        for tag in raw.split(|c: char| c == ',' || c.is_whitespace()).map(str::trim).filter(|t| !t.is_empty()) {
            let tag = tag.to_lowercase();
            if tag.chars().count() > 32 || !tag.chars().all(|c| c.is_alphanumeric() || c == '-') {
                return Err(FieldError::new("tags", format!("Tag \"{tag}\" may use letters, digits and - (at most 32)")));
            }
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        if tags.len() > 10 {
            return Err(FieldError::new("tags", "At most 10 tags"));
        }
        Ok(Self(tags))
    }

    /// The tags.
    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    /// Stored form: comma-separated.
    pub fn joined(&self) -> String {
        self.0.join(",")
    }
}

/// A comment left with a vote: optional, up to 1,000 characters.
pub fn vote_comment(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    match raw.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) => bounded_text("comment", "Comment", c, 1, 1000).map(Some),
    }
}

/// Share of ticket attempts an article solved: deflected / (deflected + submitted after seeing
/// suggestions). `None` when nothing was suggested in the period.
pub fn deflection_rate(deflected: u64, submitted_with_suggestions: u64) -> Option<f64> {
    let attempts = deflected + submitted_with_suggestions;
    (attempts > 0).then(|| deflected as f64 / attempts as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        assert_eq!(ArticleNumber(42).to_string(), "KB-000042");
        assert_eq!(ArticleNumber::parse("kb-000042").unwrap(), ArticleNumber(42));
        assert_eq!(ArticleNumber::parse("7").unwrap(), ArticleNumber(7));
        for bad in ["", "KB-", "KB-0", "INC-000001", "KB--5", "KB-+5", "abc"] {
            assert!(ArticleNumber::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lifecycle_rules() {
        use ArticleState::*;
        assert_eq!(Draft.transition_to(InReview, false).unwrap(), InReview);
        assert_eq!(InReview.transition_to(Draft, false).unwrap(), Draft);
        assert!(InReview.transition_to(Published, false).unwrap_err().message.contains("knowledge manager"));
        assert_eq!(InReview.transition_to(Published, true).unwrap(), Published);
        assert_eq!(Published.transition_to(Retired, true).unwrap(), Retired);
        assert!(Published.transition_to(Retired, false).is_err());
        assert_eq!(Retired.transition_to(Draft, true).unwrap(), Draft);
        assert!(Retired.transition_to(Published, true).unwrap_err().message.contains("cannot go from Retired"));
        assert!(Draft.transition_to(Retired, true).is_err());
        assert!(Draft.transition_to(Draft, true).is_err());
        for s in ArticleState::ALL {
            assert_eq!(ArticleState::parse(s.code()).unwrap(), s);
        }
        assert!(ArticleState::parse("live").is_err());
    }

    #[test]
    fn tags_are_normalised() {
        assert_eq!(Tags::parse("VPN, password  vpn,reset").unwrap().joined(), "vpn,password,reset");
        assert_eq!(Tags::parse("  ").unwrap().as_slice().len(), 0);
        assert!(Tags::parse("a;b").is_err());
        assert!(Tags::parse(&"x".repeat(33)).is_err());
        let eleven = (0..11).map(|i| format!("t{i}")).collect::<Vec<_>>().join(",");
        assert_eq!(Tags::parse(&eleven).unwrap_err().message, "At most 10 tags");
        assert_eq!(Tags::parse("zürich").unwrap().joined(), "zürich");
    }

    #[test]
    fn titles_bodies_audiences_comments() {
        assert!(ArticleTitle::parse("ab").is_err());
        assert_eq!(ArticleTitle::parse("  Reset VPN ").unwrap().as_str(), "Reset VPN");
        assert!(ArticleBody::parse(" ").is_err());
        assert!(ArticleBody::parse(&"x".repeat(ArticleBody::MAX + 1)).is_err());
        assert_eq!(Audience::parse("agents").unwrap(), Audience::Agents);
        assert!(Audience::parse("everyone").is_err());
        assert_eq!(vote_comment(Some("  ")).unwrap(), None);
        assert!(vote_comment(Some(&"x".repeat(1001))).is_err());
    }

    #[test]
    fn deflection_rate_counts_only_attempts_with_suggestions() {
        assert_eq!(deflection_rate(0, 0), None);
        assert_eq!(deflection_rate(1, 3), Some(0.25));
        assert_eq!(deflection_rate(2, 0), Some(1.0));
    }
}
