//! The CMDB becomes a map: typed, directed relationships between configuration items and
//! redundancy sets ("at least k of n must be up") over a CI's relationships.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// `ci_relationship` and `ci_redundancy_set`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000016_ci_relationships"
    }
}

#[derive(DeriveIden)]
enum CiRelationship { Table, Id, FromCiId, ToCiId, Kind, RedundancySetId, CreatedBy, CreatedAt }

#[derive(DeriveIden)]
enum CiRedundancySet { Table, Id, CiId, Name, MinUp, CreatedAt }

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CiRedundancySet::Table)
                .col(big_pk_auto(CiRedundancySet::Id))
                .col(big_integer(CiRedundancySet::CiId))
                .col(string_len(CiRedundancySet::Name, 60))
                .col(integer(CiRedundancySet::MinUp))
                .col(timestamp_with_time_zone(CiRedundancySet::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_ci_redundancy_set_name").table(CiRedundancySet::Table).col(CiRedundancySet::CiId).col(CiRedundancySet::Name).unique().to_owned())
            .await?;
        m.create_table(
            Table::create()
                .table(CiRelationship::Table)
                .col(big_pk_auto(CiRelationship::Id))
                .col(big_integer(CiRelationship::FromCiId))
                .col(big_integer(CiRelationship::ToCiId))
                .col(string_len(CiRelationship::Kind, 32))
                .col(big_integer_null(CiRelationship::RedundancySetId))
                .col(big_integer_null(CiRelationship::CreatedBy))
                .col(timestamp_with_time_zone(CiRelationship::CreatedAt))
                .to_owned(),
        )
        .await?;
        // One relationship of a kind between two CIs; walks down read it by `from`, walks up by `to`.
        m.create_index(
            Index::create()
                .name("idx_ci_relationship_unique")
                .table(CiRelationship::Table)
                .col(CiRelationship::FromCiId)
                .col(CiRelationship::ToCiId)
                .col(CiRelationship::Kind)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_ci_relationship_to").table(CiRelationship::Table).col(CiRelationship::ToCiId).col(CiRelationship::FromCiId).to_owned()).await?;
        m.create_index(Index::create().name("idx_ci_relationship_set").table(CiRelationship::Table).col(CiRelationship::RedundancySetId).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CiRelationship::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(CiRedundancySet::Table).to_owned()).await
    }
}
