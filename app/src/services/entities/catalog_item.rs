//! `catalog_item` table: what requesters may order.

use sea_orm::entity::prelude::*;

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "catalog_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub name_key: String,
    pub summary: String,
    pub description: String,
    pub icon: String,
    pub service_id: Option<i64>,
    pub category_id: Option<i64>,
    pub audience: String,
    pub sla_policy_id: Option<i64>,
    pub group_id: Option<i64>,
    pub active: bool,
    pub current_version_id: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[allow(missing_docs)]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
