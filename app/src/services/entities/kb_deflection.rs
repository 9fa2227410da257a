//! `kb_deflection` table: what the portal suggested while a requester wrote a ticket, and whether
//! an article solved it (`deflected`) or the ticket was submitted anyway (`submitted`).

use sea_orm::entity::prelude::*;

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kb_deflection")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub requester_id: i64,
    pub query: String,
    pub suggested: String,
    pub outcome: String,
    pub article_id: Option<i64>,
    pub ticket_id: Option<i64>,
    pub category_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub dedup_key: Option<String>,
}

#[allow(missing_docs)]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
