//! `approval_stage` table: one stage of a record's approvals.

use sea_orm::entity::prelude::*;

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "approval_stage")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub ticket_id: i64,
    pub position: i32,
    pub name: String,
    pub rule: String,
    pub rule_n: Option<i32>,
    pub due_hours: Option<i32>,
    pub due_at: Option<DateTimeUtc>,
    pub on_expiry: String,
    pub outcome: String,
    pub fired_at: Option<DateTimeUtc>,
}

#[allow(missing_docs)]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
