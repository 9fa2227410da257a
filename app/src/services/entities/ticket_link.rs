//! `ticket_link` table.

use sea_orm::entity::prelude::*;

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ticket_link")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub from_ticket_id: i64,
    pub to_ticket_id: i64,
    pub kind: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[allow(missing_docs)]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
