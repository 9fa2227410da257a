//! `licence_installation` table: a licence installed on a CI (one seat).

use sea_orm::entity::prelude::*;

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "licence_installation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub licence_id: i64,
    pub ci_id: i64,
    pub installed_at: DateTimeUtc,
}

#[allow(missing_docs)]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
