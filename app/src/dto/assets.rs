//! Assets and software licences as pages and API clients see them.

use super::CiRef;
use crate::domain::cmdb::{AssetLifecycle, ExpiryKind};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The asset record of a CI: where it is in its life, how it is identified, who has it, what it
/// cost and when its warranty and lease end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AssetView {
    /// The CI it belongs to.
    pub ci_id: i64,
    /// Lifecycle stage.
    pub lifecycle: AssetLifecycle,
    /// Asset tag on the label (unique).
    pub asset_tag: Option<String>,
    /// Manufacturer's serial number.
    pub serial_number: Option<String>,
    /// The user who has it.
    pub owner_id: Option<i64>,
    /// That user's name.
    pub owner_name: Option<String>,
    /// That user's email (what the form takes).
    pub owner_email: Option<String>,
    /// Who sold or leases it.
    pub vendor: Option<String>,
    /// Day bought.
    pub purchase_date: Option<NaiveDate>,
    /// Price paid in the desk's currency, e.g. `1299.50`.
    pub cost: Option<String>,
    /// Last day of the warranty.
    pub warranty_end: Option<NaiveDate>,
    /// Last day of the lease.
    pub lease_end: Option<NaiveDate>,
    /// Days before an end that the support group is told.
    pub notice_days: u32,
    /// Optimistic-concurrency version of the asset record.
    pub version: i32,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A licence in short, as listed on a CI it is installed on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LicenceRef {
    /// Id.
    pub id: i64,
    /// Product.
    pub product: String,
}

/// A software licence with its use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LicenceView {
    /// Id.
    pub id: i64,
    /// Product and edition, e.g. `Office 365 E3` (unique).
    pub product: String,
    /// Publisher or reseller.
    pub vendor: Option<String>,
    /// Seats bought.
    pub seats: u32,
    /// CIs it is installed on.
    pub installed: u64,
    /// Installations beyond the seats (0 within them).
    pub over_use: u64,
    /// Last day it is valid (none: perpetual).
    pub expires_on: Option<NaiveDate>,
    /// Days from today to the expiry (negative once passed).
    pub days_left: Option<i64>,
    /// Group told before it expires.
    pub support_group_id: Option<i64>,
    /// That group's name.
    pub support_group_name: Option<String>,
    /// Days before the expiry that the group is told.
    pub notice_days: u32,
    /// Free text (contract number, key location).
    pub notes: String,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// One installation of a licence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InstallationView {
    /// The CI it is installed on.
    pub ci: CiRef,
    /// When it was recorded.
    pub installed_at: DateTime<Utc>,
}

/// A licence with where it is installed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LicenceDetail {
    /// The licence.
    #[serde(flatten)]
    pub licence: LicenceView,
    /// Its installations, by CI name.
    pub installations: Vec<InstallationView>,
}

/// Every licence, by product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LicenceList {
    /// The licences.
    pub items: Vec<LicenceView>,
}

/// An asset whose warranty or lease ends soon (or has ended).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExpiringAsset {
    /// The CI.
    pub ci: CiRef,
    /// Its asset tag.
    pub asset_tag: Option<String>,
    /// Warranty or lease.
    pub kind: ExpiryKind,
    /// The last day.
    pub ends_on: NaiveDate,
    /// Days from today (negative once passed).
    pub days_left: i64,
    /// The CI's support group (who is told).
    pub support_group_name: Option<String>,
}

/// What needs an admin's attention: warranties, leases and licences ending within `days` (or
/// already ended, for assets and licences still in use), and licences installed on more CIs than
/// they have seats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AssetReport {
    /// The window looked at, in days from today.
    pub days: u32,
    /// Assets whose warranty or lease ends within the window, soonest first.
    pub expiring_assets: Vec<ExpiringAsset>,
    /// Licences expiring within the window, soonest first.
    pub expiring_licences: Vec<LicenceView>,
    /// Licences with more installations than seats, most over first.
    pub over_used_licences: Vec<LicenceView>,
}
