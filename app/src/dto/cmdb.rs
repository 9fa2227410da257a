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
