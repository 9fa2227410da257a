//! Knowledge base: articles with revisions and votes, and deflection records from the portal.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Knowledge schema.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000004_knowledge"
    }
}

#[derive(DeriveIden)]
enum KbArticle {
    Table, Id, Title, Body, CategoryId, Tags, Audience, State, OwnerId, ReviewBy, Version, Revision, Helpful,
    NotHelpful, SourceTicketId, CreatedAt, UpdatedAt, PublishedAt,
}

#[derive(DeriveIden)]
enum KbRevision { Table, Id, ArticleId, Revision, Title, Body, CategoryId, Tags, Audience, AuthorId, Note, CreatedAt }

#[derive(DeriveIden)]
enum KbVote { Table, Id, ArticleId, UserId, Helpful, Comment, CreatedAt }

#[derive(DeriveIden)]
enum KbDeflection { Table, Id, RequesterId, Query, Suggested, Outcome, ArticleId, TicketId, CategoryId, CreatedAt }

#[derive(DeriveIden)]
enum AppUser { Table, Id }

#[derive(DeriveIden)]
enum Category { Table, Id }

fn fk(from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).to_owned()
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(KbArticle::Table)
                .col(big_pk_auto(KbArticle::Id))
                .col(string_len(KbArticle::Title, 200))
                .col(text(KbArticle::Body))
                .col(big_integer_null(KbArticle::CategoryId))
                .col(text(KbArticle::Tags))
                .col(string_len(KbArticle::Audience, 16))
                .col(string_len(KbArticle::State, 16))
                .col(big_integer(KbArticle::OwnerId))
                .col(date_null(KbArticle::ReviewBy))
                .col(integer(KbArticle::Version).default(1))
                .col(integer(KbArticle::Revision).default(1))
                .col(integer(KbArticle::Helpful).default(0))
                .col(integer(KbArticle::NotHelpful).default(0))
                .col(big_integer_null(KbArticle::SourceTicketId))
                .col(timestamp_with_time_zone(KbArticle::CreatedAt))
                .col(timestamp_with_time_zone(KbArticle::UpdatedAt))
                .col(timestamp_with_time_zone_null(KbArticle::PublishedAt))
                .foreign_key(&mut fk((KbArticle::Table, KbArticle::OwnerId), (AppUser::Table, AppUser::Id)))
                .foreign_key(&mut fk((KbArticle::Table, KbArticle::CategoryId), (Category::Table, Category::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_kb_article_state").table(KbArticle::Table).col(KbArticle::State).col(KbArticle::UpdatedAt).to_owned()).await?;
        m.create_index(Index::create().name("idx_kb_article_owner").table(KbArticle::Table).col(KbArticle::OwnerId).col(KbArticle::ReviewBy).to_owned()).await?;

        m.create_table(
            Table::create()
                .table(KbRevision::Table)
                .col(big_pk_auto(KbRevision::Id))
                .col(big_integer(KbRevision::ArticleId))
                .col(integer(KbRevision::Revision))
                .col(string_len(KbRevision::Title, 200))
                .col(text(KbRevision::Body))
                .col(big_integer_null(KbRevision::CategoryId))
                .col(text(KbRevision::Tags))
                .col(string_len(KbRevision::Audience, 16))
                .col(big_integer_null(KbRevision::AuthorId))
                .col(text_null(KbRevision::Note))
                .col(timestamp_with_time_zone(KbRevision::CreatedAt))
                .foreign_key(&mut fk((KbRevision::Table, KbRevision::ArticleId), (KbArticle::Table, KbArticle::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("uq_kb_revision").table(KbRevision::Table).col(KbRevision::ArticleId).col(KbRevision::Revision).unique().to_owned()).await?;

        m.create_table(
            Table::create()
                .table(KbVote::Table)
                .col(big_pk_auto(KbVote::Id))
                .col(big_integer(KbVote::ArticleId))
                .col(big_integer(KbVote::UserId))
                .col(boolean(KbVote::Helpful))
                .col(text_null(KbVote::Comment))
                .col(timestamp_with_time_zone(KbVote::CreatedAt))
                .foreign_key(&mut fk((KbVote::Table, KbVote::ArticleId), (KbArticle::Table, KbArticle::Id)))
                .foreign_key(&mut fk((KbVote::Table, KbVote::UserId), (AppUser::Table, AppUser::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("uq_kb_vote").table(KbVote::Table).col(KbVote::ArticleId).col(KbVote::UserId).unique().to_owned()).await?;

        m.create_table(
            Table::create()
                .table(KbDeflection::Table)
                .col(big_pk_auto(KbDeflection::Id))
                .col(big_integer(KbDeflection::RequesterId))
                .col(text(KbDeflection::Query))
                .col(text(KbDeflection::Suggested))
                .col(string_len(KbDeflection::Outcome, 16))
                .col(big_integer_null(KbDeflection::ArticleId))
                .col(big_integer_null(KbDeflection::TicketId))
                .col(big_integer_null(KbDeflection::CategoryId))
                .col(timestamp_with_time_zone(KbDeflection::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_kb_deflection_at").table(KbDeflection::Table).col(KbDeflection::CreatedAt).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [KbDeflection::Table.into_iden(), KbVote::Table.into_iden(), KbRevision::Table.into_iden(), KbArticle::Table.into_iden()] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
