//! `kb_article` table.

use sea_orm::entity::prelude::*;

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kb_article")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub body: String,
    pub category_id: Option<i64>,
    pub tags: String,
    pub audience: String,
    pub state: String,
    pub owner_id: i64,
    pub review_by: Option<Date>,
    pub version: i32,
    pub revision: i32,
    pub helpful: i32,
    pub not_helpful: i32,
    pub source_ticket_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
}

#[allow(missing_docs)]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
