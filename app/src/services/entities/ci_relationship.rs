//! `ci_relationship` table: `from` depends on / runs on / is hosted on / contains / is connected
//! to `to`.

use sea_orm::entity::prelude::*;

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ci_relationship")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub from_ci_id: i64,
    pub to_ci_id: i64,
    pub kind: String,
    pub redundancy_set_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[allow(missing_docs)]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
