//! `configuration_item` table (the CMDB).

use sea_orm::entity::prelude::*;

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "configuration_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub name: String,
    /// The name lower-cased: unique, and what lookups and searches compare.
    #[sea_orm(unique)]
    pub name_key: String,
    pub class: String,
    pub status: String,
    pub service_id: Option<i64>,
    pub support_group_id: Option<i64>,
    pub location: Option<String>,
    pub description: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[allow(missing_docs)]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
