//! Knowledge base, search and deflection shapes.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A knowledge article as read in the portal and edited in the console.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ArticleView {
    /// Row id.
    pub id: i64,
    /// Public number, `KB-000042`.
    pub number: String,
    /// Title.
    pub title: String,
    /// Markdown source (staff only; empty for requesters, who get `body_html`).
    pub body: String,
    /// Sanitised HTML rendering of the body.
    pub body_html: String,
    /// Category id.
    pub category_id: Option<i64>,
    /// Category name.
    pub category: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// `public` or `agents`.
    pub audience: String,
    /// `draft`, `in_review`, `published`, `retired`.
    pub state: String,
    /// State label.
    pub state_label: String,
    /// Owner's id.
    pub owner_id: i64,
    /// Owner's name.
    pub owner: String,
    /// Date by which the owner should review the article.
    pub review_by: Option<NaiveDate>,
    /// Published and past its review date.
    pub stale: bool,
    /// Optimistic-concurrency version (send it back when saving).
    pub version: i32,
    /// Content revision number.
    pub revision: i32,
    /// "Helpful" votes.
    pub helpful: i32,
    /// "Not helpful" votes.
    pub not_helpful: i32,
    /// The signed-in user's vote, if any.
    pub my_vote: Option<bool>,
    /// Ticket the article was written from.
    pub source_ticket: Option<String>,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
    /// When (last) published.
    pub published_at: Option<DateTime<Utc>>,
}

/// An article in lists (console knowledge page, stale list).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ArticleSummary {
    /// Public number.
    pub number: String,
    /// Title.
    pub title: String,
    /// State code.
    pub state: String,
    /// State label.
    pub state_label: String,
    /// `public` or `agents`.
    pub audience: String,
    /// Category name.
    pub category: Option<String>,
    /// Owner's name.
    pub owner: String,
    /// Review date.
    pub review_by: Option<NaiveDate>,
    /// Published and past its review date.
    pub stale: bool,
    /// "Helpful" votes.
    pub helpful: i32,
    /// "Not helpful" votes.
    pub not_helpful: i32,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

/// One saved version of an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RevisionView {
    /// Revision number (1 = first save).
    pub revision: i32,
    /// Title at that revision.
    pub title: String,
    /// Who saved it.
    pub author: Option<String>,
    /// Why (optional note).
    pub note: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// One line of a revision diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DiffLine {
    /// `same`, `added` or `removed`.
    pub kind: String,
    /// The line (without its newline).
    pub text: String,
}

/// A vote's comment as seen by the article's owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VoteCommentView {
    /// Helpful or not.
    pub helpful: bool,
    /// The comment.
    pub comment: String,
    /// Who voted.
    pub user: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchHit {
    /// `article`, `catalog` or `ticket`.
    pub kind: String,
    /// Row id.
    pub id: i64,
    /// `KB-000042` for articles, the item id for catalog items.
    pub number: String,
    /// Plain title.
    pub title: String,
    /// Title with matches wrapped in `<b>` (HTML-escaped).
    pub title_html: String,
    /// Body excerpt with matches wrapped in `<b>` (HTML-escaped).
    pub snippet_html: String,
    /// Category name.
    pub category: Option<String>,
    /// `public` or `agents` (a restricted catalog item: its first audience term).
    pub audience: String,
    /// A catalog item's icon code.
    pub icon: Option<String>,
    /// Where to open it.
    pub url: String,
    /// Relevance score.
    pub score: f32,
}

/// Number of matches in one category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FacetCount {
    /// Category name (`Uncategorised` when none).
    pub category: String,
    /// Matches.
    pub count: u64,
}

/// A page of search results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchResults {
    /// The query as typed.
    pub query: String,
    /// Best matches first.
    pub hits: Vec<SearchHit>,
    /// How many documents matched in all.
    pub total: u64,
    /// Matches per category.
    pub facets: Vec<FacetCount>,
}

/// Deflection figures for one category over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeflectionRow {
    /// Category (`All categories` for the total row, `Uncategorised`).
    pub category: String,
    /// Ticket attempts where articles were suggested.
    pub attempts: u64,
    /// Attempts an article solved ("this solved it").
    pub deflected: u64,
    /// Tickets submitted after seeing suggestions.
    pub submitted: u64,
    /// deflected / attempts.
    pub rate: Option<f64>,
}

/// Outcome of an article import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// Articles created.
    pub imported: u64,
    /// Lines refused, with the reason.
    pub errors: Vec<ImportLineError>,
}

/// A refused import line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportLineError {
    /// 1-based line number.
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

/// What an agent sees beside a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TicketContextView {
    /// The requester's other recent tickets.
    pub requester_recent: Vec<super::TicketRef>,
    /// Recent incidents on the same service (30 days).
    pub service_recent: Vec<super::TicketRef>,
    /// The affected CI's latest other tickets (its history).
    #[serde(default)]
    pub ci_recent: Vec<super::TicketRef>,
    /// Similar tickets (full-text match).
    pub similar: Vec<super::TicketRef>,
    /// Matching knowledge articles (internal ones included).
    pub articles: Vec<SearchHit>,
    /// The business services a failure of the affected CI reaches.
    #[serde(default)]
    pub impacted_services: Vec<super::CiRef>,
    /// Open incidents on CIs within two hops of the affected CI (a likely major incident).
    #[serde(default)]
    pub nearby_incidents: Vec<NearbyIncident>,
}

/// An open incident on a CI near the one a ticket names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NearbyIncident {
    /// The incident.
    pub ticket: super::TicketRef,
    /// The CI it names.
    pub ci: super::CiRef,
}
