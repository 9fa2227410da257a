//! `priority_matrix_cell` table.

use sea_orm::entity::prelude::*;

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "priority_matrix_cell")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub impact: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub urgency: String,
    pub priority: i16,
}

#[allow(missing_docs)]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
