//! `expiry_notice` table: one notice due before a warranty, lease or licence runs out.

use sea_orm::entity::prelude::*;

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "expiry_notice")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `ci_asset` (subject is the CI id) or `software_licence`.
    pub subject_type: String,
    pub subject_id: i64,
    /// `warranty`, `lease` or `licence`.
    pub kind: String,
    pub ends_on: Date,
    pub due_at: DateTimeUtc,
    pub fired_at: Option<DateTimeUtc>,
}

#[allow(missing_docs)]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
