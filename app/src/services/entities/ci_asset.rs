//! `ci_asset` table: the asset record of a configuration item.

use sea_orm::entity::prelude::*;

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ci_asset")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub ci_id: i64,
    pub lifecycle: String,
    pub asset_tag: Option<String>,
    /// The tag upper-cased: unique.
    #[sea_orm(unique)]
    pub asset_tag_key: Option<String>,
    pub serial_number: Option<String>,
    pub owner_id: Option<i64>,
    pub vendor: Option<String>,
    pub purchase_date: Option<Date>,
    pub cost_cents: Option<i64>,
    pub warranty_end: Option<Date>,
    pub lease_end: Option<Date>,
    pub notice_days: i32,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

#[allow(missing_docs)]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
