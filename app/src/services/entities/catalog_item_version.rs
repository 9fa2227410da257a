//! `catalog_item_version` table: one definition of an item (form, stages, tasks), never changed once a request uses it.

use sea_orm::entity::prelude::*;

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "catalog_item_version")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub item_id: i64,
    pub number: i32,
    pub form: String,
    pub approvals: String,
    pub tasks: String,
    pub created_at: DateTimeUtc,
    pub created_by_id: Option<i64>,
}

#[allow(missing_docs)]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
