//! Configuration items as pages and API clients see them.

use super::TicketRef;
use crate::domain::{CiClass, CiStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The CI a ticket affects, as shown on the ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CiRef {
    /// Id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// Kind of CI.
    pub class: CiClass,
    /// Lifecycle status.
    pub status: CiStatus,
}

/// A configuration item in lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CiView {
    /// Id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// Kind of CI.
    pub class: CiClass,
    /// Lifecycle status.
    pub status: CiStatus,
    /// Business service it supports.
    pub service_id: Option<i64>,
    /// That service's name.
    pub service_name: Option<String>,
    /// Group that supports it (tickets on it can be routed there).
    pub support_group_id: Option<i64>,
    /// That group's name.
    pub support_group_name: Option<String>,
    /// Site, room or rack.
    pub location: Option<String>,
    /// Free text.
    pub description: String,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A configuration item with its history: the tickets raised against it, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CiDetail {
    /// The CI.
    #[serde(flatten)]
    pub ci: CiView,
    /// How many of its tickets are open.
    pub open_tickets: u64,
    /// Its latest tickets (at most 20), open or not.
    pub recent_tickets: Vec<TicketRef>,
    /// Its incidents over the last 90 days.
    #[serde(default)]
    pub stats: CiIncidentStats,
    /// Its asset record, when it has one.
    #[serde(default)]
    pub asset: Option<super::AssetView>,
    /// The licences installed on it.
    #[serde(default)]
    pub licences: Vec<super::LicenceRef>,
}

/// A page of configuration items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CiPage {
    /// The CIs, by name.
    pub items: Vec<CiView>,
    /// How many match, counted up to [`super::COUNT_CAP`].
    pub total: u64,
    /// More than [`super::COUNT_CAP`] match (`total` is then the cap).
    #[serde(default)]
    pub total_capped: bool,
}

/// A redundancy set: relationships of one CI of which at least `min_up` must be up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RedundancyView {
    /// Id.
    pub id: i64,
    /// Name, unique for its CI (e.g. `db-cluster`).
    pub name: String,
    /// Members that must be up for the CI not to be affected.
    pub min_up: u32,
    /// Members (relationships) in the set.
    pub members: u32,
}

/// One relationship as read from the CI whose relationships are listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RelationshipView {
    /// Id (delete with `DELETE /api/v1/cis/{id}/relationships/{relationship_id}`).
    pub id: i64,
    /// Type read from this CI: `depends_on`, `used_by`, `runs_on`, `runs`, `hosted_on`, `hosts`,
    /// `contains`, `part_of`, `connected_to`.
    #[serde(rename = "type")]
    pub rel_type: String,
    /// The type for people ("Used by").
    pub label: String,
    /// The CI at the other end.
    pub other: CiRef,
    /// The redundancy set it belongs to (only on the CI that owns the set).
    pub redundancy: Option<RedundancyView>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

/// A CI's relationships.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RelationshipList {
    /// The CI.
    pub ci: CiRef,
    /// Its version (send it back with a change; every relationship change moves it on).
    pub version: i32,
    /// Its relationships, by type then by the other CI's name.
    pub items: Vec<RelationshipView>,
    /// Its redundancy sets.
    pub redundancy_sets: Vec<RedundancyView>,
}

/// One step on the way from the analysed CI to a reached one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PathStep {
    /// The CI this step arrives at.
    pub ci_id: i64,
    /// Its name.
    pub name: String,
    /// How the CI before relates to it (`used_by`: the CI before is used by this one).
    #[serde(rename = "type")]
    pub rel_type: String,
    /// That for people.
    pub label: String,
}

/// A CI reached by an impact analysis or a map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImpactNode {
    /// The CI.
    pub ci: CiRef,
    /// Hops from the analysed CI.
    pub depth: u8,
    /// The way there, one step per hop.
    pub path: Vec<PathStep>,
    /// Its open incidents.
    pub open_incidents: u64,
    /// Down on its own: an open priority 1–2 incident, or in maintenance.
    pub failed: bool,
}

/// A CI that redundancy kept up: one or more members of its set are reached, enough are up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HeldView {
    /// The CI.
    pub ci: CiRef,
    /// The set that held.
    pub set_name: String,
    /// Members still up.
    pub up: u32,
    /// Members that must be up.
    pub needed: u32,
    /// Members in all.
    pub members: u32,
}

/// What a CI's failure affects (`up`) or what it needs (`down`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImpactReport {
    /// The analysed CI.
    pub ci: CiRef,
    /// `up` or `down`.
    pub direction: crate::domain::cmdb::impact::Direction,
    /// Hops walked at most.
    pub depth: u8,
    /// The CIs reached, nearest first.
    pub nodes: Vec<ImpactNode>,
    /// Of those, the business services.
    pub business_services: Vec<CiRef>,
    /// CIs kept up by redundancy (up only).
    pub held: Vec<HeldView>,
    /// The walk stopped at 2,000 CIs.
    pub truncated: bool,
}

/// A relationship drawn on a map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MapEdge {
    /// Relationship id.
    pub id: i64,
    /// The CI that needs, holds or contains.
    pub from: i64,
    /// The other end.
    pub to: i64,
    /// Its forward type (`depends_on` …).
    #[serde(rename = "type")]
    pub rel_type: String,
    /// For people.
    pub label: String,
}

/// A CI's neighbourhood: the CIs within `depth` hops over any relationship.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CiMap {
    /// The CI at the centre.
    pub root: ImpactNode,
    /// Hops shown.
    pub depth: u8,
    /// The CIs around it, nearest first.
    pub nodes: Vec<ImpactNode>,
    /// The relationships between the CIs shown.
    pub edges: Vec<MapEdge>,
    /// The map stopped at 300 CIs.
    pub truncated: bool,
}

/// A CI's incident record over the last 90 days.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CiIncidentStats {
    /// Incidents raised on it in the last 90 days.
    pub incidents_90d: u64,
    /// Of those, resolved.
    pub resolved_90d: u64,
    /// Mean time from creation to resolution of the resolved ones, in minutes (wall clock).
    pub mean_minutes_to_resolve: Option<i64>,
    /// The most frequent categories, most frequent first (at most 3).
    pub top_categories: Vec<CategoryCount>,
}

/// A category and how many incidents it had.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryCount {
    /// Category name.
    pub name: String,
    /// Incidents.
    pub count: u64,
}

/// What an import does with one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ImportAction {
    /// A new CI or relationship.
    Create,
    /// An existing one changed.
    Update,
    /// Already as the file says.
    Unchanged,
}

/// A row of a CSV file that cannot be imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CsvRowError {
    /// Line in the file (the header is line 1).
    pub line: u64,
    /// Column (empty when the row as a whole is wrong).
    pub column: String,
    /// What is wrong.
    pub message: String,
}

/// One planned change of an import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportPreviewRow {
    /// Line in the file.
    pub line: u64,
    /// The CI's name, or the relationship in words.
    pub key: String,
    /// Create or update.
    pub action: ImportAction,
    /// Fields an update changes.
    pub changes: Vec<String>,
}

/// The outcome (or, on a dry run, the plan) of a CSV import.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TransferReport {
    /// `cis` or `relationships` (empty when the header was not understood).
    pub kind: String,
    /// Data rows read.
    pub rows: u64,
    /// Rows creating a CI or relationship.
    pub created: u64,
    /// Rows changing one.
    pub updated: u64,
    /// Rows already as the file says.
    pub unchanged: u64,
    /// Rows that cannot be imported, by line.
    pub errors: Vec<CsvRowError>,
    /// The first 200 planned creations and updates.
    pub preview: Vec<ImportPreviewRow>,
    /// Whether the good rows were written (false on a dry run, and when `atomic` met a bad row).
    pub applied: bool,
    /// A dry run (nothing written).
    pub dry_run: bool,
}

/// An uploaded CMDB file with its plan (before it is applied) or its outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportView {
    /// Id.
    pub id: i64,
    /// The file's name.
    pub file_name: String,
    /// When it was uploaded.
    pub created_at: DateTime<Utc>,
    /// When it was applied.
    pub applied_at: Option<DateTime<Utc>>,
    /// Whether it was applied.
    pub applied: bool,
    /// The plan, or once applied the outcome.
    pub report: TransferReport,
}
