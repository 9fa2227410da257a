//! `sla_policy` table.

use sea_orm::entity::prelude::*;

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sla_policy")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub name: String,
    pub position: i32,
    pub ticket_type: Option<String>,
    pub priority: Option<i16>,
    pub service_id: Option<i64>,
    pub group_id: Option<i64>,
    pub response_minutes: i32,
    pub resolution_minutes: i32,
    pub calendar_id: i64,
    pub warn_percent: i16,
    pub pause_reasons: String,
    pub raise_priority: bool,
    pub escalate: bool,
    pub organisation_id: Option<i64>,
    pub category_id: Option<i64>,
}

#[allow(missing_docs)]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
