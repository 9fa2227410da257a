//! `software_licence` table: a product's licence, its seats and expiry.

use sea_orm::entity::prelude::*;

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "software_licence")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub product: String,
    /// The product lower-cased: unique.
    #[sea_orm(unique)]
    pub product_key: String,
    pub vendor: Option<String>,
    pub seats: i32,
    pub expires_on: Option<Date>,
    pub support_group_id: Option<i64>,
    pub notice_days: i32,
    pub notes: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[allow(missing_docs)]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
