//! Knowledge articles: write, review, publish, retire, vote; revisions with diffs; articles from
//! resolved tickets; bulk import; deflection records. Every change is one transaction with audit
//! rows and an outbox event, which the search indexer consumes.

use super::authz::{require_admin, require_staff};
use super::entities::{category, kb_article, kb_deflection, kb_revision, kb_vote, ticket};
use super::refs::require_exists;
use super::journal::{self, AuditLine};
use super::search::{DocKind, SearchQuery};
use super::tickets::user_names as names;
use super::{markdown, AppContext};
use crate::domain::field::Validator;
use crate::domain::knowledge::{deflection_rate, vote_comment};
use crate::domain::{Actor, ArticleBody, ArticleNumber, ArticleState, ArticleTitle, Audience, Tags};
use crate::dto::{
    ArticleSummary, ArticleView, DeflectionRow, DiffLine, ImportLineError, ImportReport, RevisionView, SearchHit,
    SearchResults, VoteCommentView,
};
use crate::error::AppError;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use sea_orm::sea_query::OnConflict;
use std::collections::{BTreeMap, HashMap};

/// Entity type of articles in the audit trail and the outbox.
pub const ENTITY: &str = "kb_article";

/// Raw article fields from a form, the API or an import line.
#[derive(Debug, Clone, Default)]
pub struct ArticleInput {
    /// Title.
    pub title: String,
    /// Markdown body.
    pub body: String,
    /// Category.
    pub category_id: Option<i64>,
    /// Comma- or space-separated tags.
    pub tags: String,
    /// `public` or `agents`.
    pub audience: String,
    /// `YYYY-MM-DD`, empty for none.
    pub review_by: Option<String>,
    /// Why this revision (optional).
    pub note: Option<String>,
    /// Refuse the save when the article changed since this version.
    pub expected_version: Option<i32>,
}

struct ValidArticle {
    title: ArticleTitle,
    body: ArticleBody,
    tags: Tags,
    audience: Audience,
    review_by: Option<NaiveDate>,
}

fn validate(input: &ArticleInput) -> Result<ValidArticle, AppError> {
    let mut v = Validator::new();
    let title = v.check(ArticleTitle::parse(&input.title));
    let body = v.check(ArticleBody::parse(&input.body));
    let tags = v.check(Tags::parse(&input.tags));
    let audience = v.check(Audience::parse(if input.audience.trim().is_empty() { "public" } else { &input.audience }));
    let review_by = v.check(parse_review_by(input.review_by.as_deref()));
    v.finish()?;
    match (title, body, tags, audience, review_by) {
        (Some(title), Some(body), Some(tags), Some(audience), Some(review_by)) => {
            Ok(ValidArticle { title, body, tags, audience, review_by })
        }
        _ => Err(AppError::Internal),
    }
}

fn parse_review_by(raw: Option<&str>) -> Result<Option<NaiveDate>, crate::domain::FieldError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| crate::domain::FieldError::new("review_by", "Use a date like 2027-01-31")),
    }
}

async fn check_category(db: &impl ConnectionTrait, id: Option<i64>) -> Result<(), AppError> {
    require_exists::<category::Entity>(db, "category_id", "category", id).await
}

fn not_found() -> AppError {
    AppError::NotFound("Article".into())
}

/// Whether `actor` may read `a`: staff read everything; requesters read published public articles.
pub fn may_read(actor: &Actor, a: &kb_article::Model) -> bool {
    actor.is_staff() || (a.state == ArticleState::Published.code() && a.audience == Audience::Public.code())
}

async fn find_readable(db: &impl ConnectionTrait, actor: &Actor, key: &str) -> Result<kb_article::Model, AppError> {
    let number = ArticleNumber::parse(key).map_err(|_| not_found())?;
    match kb_article::Entity::find_by_id(number.id()).one(db).await? {
        Some(a) if may_read(actor, &a) => Ok(a),
        _ => Err(not_found()),
    }
}

fn state_of(a: &kb_article::Model) -> ArticleState {
    ArticleState::parse(&a.state).unwrap_or(ArticleState::Draft)
}

fn is_stale(a: &kb_article::Model, today: NaiveDate) -> bool {
    a.state == ArticleState::Published.code() && a.review_by.is_some_and(|d| d < today)
}

fn audit_line<'a>(a: &kb_article::Model, actor: Option<&Actor>, action: &'a str, at: DateTime<Utc>) -> AuditLine<'a> {
    AuditLine {
        entity_type: ENTITY,
        entity_id: a.id,
        actor_id: actor.map(|x| x.user_id),
        action,
        field: None,
        old_value: None,
        new_value: None,
        at,
    }
}

async fn append_article_event(
    txn: &DatabaseTransaction,
    kind: &str,
    a: &kb_article::Model,
    actor: Option<&Actor>,
) -> Result<i64, AppError> {
    Ok(journal::append_event(
        txn,
        kind,
        ENTITY,
        a.id,
        serde_json::json!({
            "number": ArticleNumber(a.id).to_string(),
            "title": a.title,
            "state": a.state,
            "actor_id": actor.map(|x| x.user_id),
            "actor": actor.map(|x| x.display_name.clone()),
        }),
    )
    .await?)
}

async fn insert_revision(
    txn: &DatabaseTransaction,
    a: &kb_article::Model,
    author: Option<i64>,
    note: Option<String>,
) -> Result<(), AppError> {
    kb_revision::ActiveModel {
        article_id: Set(a.id),
        revision: Set(a.revision),
        title: Set(a.title.clone()),
        body: Set(a.body.clone()),
        category_id: Set(a.category_id),
        tags: Set(a.tags.clone()),
        audience: Set(a.audience.clone()),
        author_id: Set(author),
        note: Set(note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty())),
        created_at: Set(a.updated_at),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

async fn insert_article(
    txn: &DatabaseTransaction,
    actor: &Actor,
    valid: ValidArticle,
    category_id: Option<i64>,
    state: ArticleState,
    source_ticket_id: Option<i64>,
    note: Option<String>,
) -> Result<(kb_article::Model, i64), AppError> {
    let now = Utc::now();
    let row = kb_article::ActiveModel {
        title: Set(valid.title.as_str().to_string()),
        body: Set(valid.body.as_str().to_string()),
        category_id: Set(category_id),
        tags: Set(valid.tags.joined()),
        audience: Set(valid.audience.code().to_string()),
        state: Set(state.code().to_string()),
        owner_id: Set(actor.user_id),
        review_by: Set(valid.review_by),
        version: Set(1),
        revision: Set(1),
        helpful: Set(0),
        not_helpful: Set(0),
        source_ticket_id: Set(source_ticket_id),
        created_at: Set(now),
        updated_at: Set(now),
        published_at: Set((state == ArticleState::Published).then_some(now)),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    insert_revision(txn, &row, Some(actor.user_id), note).await?;
    journal::audit(
        txn,
        AuditLine { new_value: Some(ArticleNumber(row.id).to_string()), ..audit_line(&row, Some(actor), "created", now) },
    )
    .await?;
    let seq = append_article_event(txn, "article.created", &row, Some(actor)).await?;
    Ok((row, seq))
}

/// Writes a new draft article owned by the actor (staff only).
pub async fn create_article(ctx: &AppContext, actor: &Actor, input: ArticleInput) -> Result<ArticleView, AppError> {
    require_staff(actor)?;
    let valid = validate(&input)?;
    let (_w, txn) = ctx.begin_write().await?;
    check_category(&txn, input.category_id).await?;
    let (row, seq) = insert_article(&txn, actor, valid, input.category_id, ArticleState::Draft, None, input.note).await?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    view(&ctx.db, actor, row).await
}

/// One step from a resolved ticket to a draft article: title, symptoms, resolution and category
/// prefilled; the article remembers the ticket it came from.
pub async fn create_from_ticket(ctx: &AppContext, actor: &Actor, ticket_key: &str) -> Result<ArticleView, AppError> {
    require_staff(actor)?;
    let t = super::tickets::find_visible(&ctx.db, actor, ticket_key).await?;
    if !matches!(t.state.as_str(), "resolved" | "closed") {
        return Err(AppError::field("ticket", "Only resolved or closed tickets can become articles"));
    }
    let mut body = String::from("## Symptoms\n\n");
    body.push_str(if t.description.trim().is_empty() { &t.title } else { t.description.trim() });
    body.push_str("\n\n## Resolution\n\n");
    body.push_str(t.resolution_note.as_deref().map(str::trim).filter(|n| !n.is_empty()).unwrap_or("Describe the fix."));
    body.push('\n');
    let title = if t.title.chars().count() < 3 { format!("How to fix: {}", t.title) } else { t.title.clone() };
    let valid = validate(&ArticleInput { title, body, audience: "agents".into(), ..Default::default() })?;
    let (_w, txn) = ctx.begin_write().await?;
    let note = Some(format!("Written from {}", t.number));
    let (row, seq) = insert_article(&txn, actor, valid, t.category_id, ArticleState::Draft, Some(t.id), note).await?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    view(&ctx.db, actor, row).await
}

async fn load_for_change(
    txn: &DatabaseTransaction,
    key: &str,
    expected_version: Option<i32>,
) -> Result<kb_article::Model, AppError> {
    let number = ArticleNumber::parse(key).map_err(|_| not_found())?;
    let a = kb_article::Entity::find_by_id(number.id()).one(txn).await?.ok_or_else(not_found)?;
    if let Some(v) = expected_version {
        if v != a.version {
            return Err(AppError::Conflict(format!(
                "{} was changed by someone else since you opened it — reload to see the latest version",
                ArticleNumber(a.id)
            )));
        }
    }
    Ok(a)
}

/// Writes `changed` over `before` with the version check, audits the listed fields and appends
/// the event: the one place an article row changes.
async fn save_change(
    txn: &DatabaseTransaction,
    actor: &Actor,
    before: &kb_article::Model,
    mut changed: kb_article::ActiveModel,
    kind: &str,
    fields: &[(&str, String, String)],
) -> Result<(kb_article::Model, i64), AppError> {
    let now = Utc::now();
    changed.version = Set(before.version + 1);
    changed.updated_at = Set(now);
    let updated = kb_article::Entity::update_many()
        .set(changed)
        .filter(kb_article::Column::Id.eq(before.id))
        .filter(kb_article::Column::Version.eq(before.version))
        .exec(txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AppError::Conflict(format!(
            "{} was changed by someone else since you opened it — reload to see the latest version",
            ArticleNumber(before.id)
        )));
    }
    let after = kb_article::Entity::find_by_id(before.id).one(txn).await?.ok_or_else(not_found)?;
    for (field, old, new) in fields.iter().filter(|(_, o, n)| o != n) {
        journal::audit(
            txn,
            AuditLine {
                field: Some(field),
                old_value: Some(old.clone()),
                new_value: Some(new.clone()),
                ..audit_line(&after, Some(actor), "field_changed", now)
            },
        )
        .await?;
    }
    let seq = append_article_event(txn, kind, &after, Some(actor)).await?;
    Ok((after, seq))
}

/// Saves new content. Drafts and articles in review may be edited by any agent; a published
/// article by its owner or a knowledge manager (admin). Each content change is a new revision.
pub async fn update_article(
    ctx: &AppContext,
    actor: &Actor,
    key: &str,
    input: ArticleInput,
) -> Result<ArticleView, AppError> {
    require_staff(actor)?;
    let valid = validate(&input)?;
    let (_w, txn) = ctx.begin_write().await?;
    let before = load_for_change(&txn, key, input.expected_version).await?;
    let state = state_of(&before);
    if !(state.editable_by_author() || (state == ArticleState::Published && (actor.is_admin() || before.owner_id == actor.user_id))) {
        return Err(AppError::Forbidden);
    }
    check_category(&txn, input.category_id).await?;
    let content_changed = before.title != valid.title.as_str()
        || before.body != valid.body.as_str()
        || before.category_id != input.category_id
        || before.tags != valid.tags.joined()
        || before.audience != valid.audience.code();
    let revision = if content_changed { before.revision + 1 } else { before.revision };
    let changed = kb_article::ActiveModel {
        title: Set(valid.title.as_str().to_string()),
        body: Set(valid.body.as_str().to_string()),
        category_id: Set(input.category_id),
        tags: Set(valid.tags.joined()),
        audience: Set(valid.audience.code().to_string()),
        review_by: Set(valid.review_by),
        revision: Set(revision),
        ..Default::default()
    };
    let fields = [
        ("title", before.title.clone(), valid.title.as_str().to_string()),
        ("body", format!("revision {}", before.revision), format!("revision {revision}")),
        ("category", opt(before.category_id), opt(input.category_id)),
        ("tags", before.tags.clone(), valid.tags.joined()),
        ("audience", before.audience.clone(), valid.audience.code().to_string()),
        ("review_by", opt(before.review_by), opt(valid.review_by)),
    ];
    let (after, seq) = save_change(&txn, actor, &before, changed, "article.updated", &fields).await?;
    if content_changed {
        insert_revision(&txn, &after, Some(actor.user_id), input.note).await?;
    }
    txn.commit().await?;
    ctx.notify_committed(seq);
    view(&ctx.db, actor, after).await
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Moves an article through its lifecycle (see [`ArticleState::transition_to`]).
pub async fn change_state(
    ctx: &AppContext,
    actor: &Actor,
    key: &str,
    target: &str,
    expected_version: Option<i32>,
) -> Result<ArticleView, AppError> {
    require_staff(actor)?;
    let target = ArticleState::parse(target)?;
    let (_w, txn) = ctx.begin_write().await?;
    let before = load_for_change(&txn, key, expected_version).await?;
    let from = state_of(&before);
    from.transition_to(target, actor.is_admin()).map_err(|e| {
        if e.message.contains("knowledge manager") {
            AppError::Forbidden
        } else {
            AppError::from(e)
        }
    })?;
    let mut changed = kb_article::ActiveModel { state: Set(target.code().to_string()), ..Default::default() };
    if target == ArticleState::Published {
        changed.published_at = Set(Some(Utc::now()));
    }
    let fields = [("state", from.code().to_string(), target.code().to_string())];
    let (after, seq) = save_change(&txn, actor, &before, changed, "article.state_changed", &fields).await?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    view(&ctx.db, actor, after).await
}

/// Reads one article the actor may see.
pub async fn get_article(ctx: &AppContext, actor: &Actor, key: &str) -> Result<ArticleView, AppError> {
    let a = find_readable(&ctx.db, actor, key).await?;
    view(&ctx.db, actor, a).await
}

/// Which articles the console lists.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    /// State code; empty for all.
    pub state: Option<String>,
    /// Only the actor's own articles.
    pub mine: bool,
    /// Only published articles past their review date.
    pub stale: bool,
    /// Words in the title.
    pub q: Option<String>,
}

/// Lists articles for staff (newest change first, at most 200).
pub async fn list_articles(ctx: &AppContext, actor: &Actor, filter: ArticleFilter) -> Result<Vec<ArticleSummary>, AppError> {
    require_staff(actor)?;
    let today = Utc::now().date_naive();
    let mut cond = Condition::all();
    if let Some(state) = filter.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        cond = cond.add(kb_article::Column::State.eq(ArticleState::parse(state)?.code()));
    }
    if filter.mine {
        cond = cond.add(kb_article::Column::OwnerId.eq(actor.user_id));
    }
    if filter.stale {
        cond = cond
            .add(kb_article::Column::State.eq(ArticleState::Published.code()))
            .add(kb_article::Column::ReviewBy.lt(today));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        cond = cond.add(kb_article::Column::Title.contains(q));
    }
    let rows = kb_article::Entity::find()
        .filter(cond)
        .order_by_desc(kb_article::Column::UpdatedAt)
        .limit(200)
        .all(&ctx.db)
        .await?;
    summaries(&ctx.db, rows, today).await
}

/// Category names by id.
pub async fn category_names(db: &impl ConnectionTrait) -> Result<HashMap<i64, String>, AppError> {
    Ok(category::Entity::find().all(db).await?.into_iter().map(|c| (c.id, c.name)).collect())
}

async fn summaries(db: &impl ConnectionTrait, rows: Vec<kb_article::Model>, today: NaiveDate) -> Result<Vec<ArticleSummary>, AppError> {
    let owners = names(db, rows.iter().map(|a| a.owner_id)).await?;
    let categories = category_names(db).await?;
    Ok(rows
        .into_iter()
        .map(|a| {
            let state = state_of(&a);
            ArticleSummary {
                number: ArticleNumber(a.id).to_string(),
                stale: is_stale(&a, today),
                title: a.title,
                state: state.code().into(),
                state_label: state.label().into(),
                audience: a.audience,
                category: a.category_id.and_then(|id| categories.get(&id).cloned()),
                owner: owners.get(&a.owner_id).cloned().unwrap_or_default(),
                review_by: a.review_by,
                helpful: a.helpful,
                not_helpful: a.not_helpful,
                updated_at: a.updated_at,
            }
        })
        .collect())
}

async fn view(db: &impl ConnectionTrait, actor: &Actor, a: kb_article::Model) -> Result<ArticleView, AppError> {
    let owner = names(db, [a.owner_id].into_iter()).await?.remove(&a.owner_id).unwrap_or_default();
    let category = match a.category_id {
        Some(id) => category::Entity::find_by_id(id).one(db).await?.map(|c| c.name),
        None => None,
    };
    let my_vote = kb_vote::Entity::find()
        .filter(kb_vote::Column::ArticleId.eq(a.id))
        .filter(kb_vote::Column::UserId.eq(actor.user_id))
        .one(db)
        .await?
        .map(|v| v.helpful);
    let source_ticket = match a.source_ticket_id.filter(|_| actor.is_staff()) {
        Some(id) => ticket::Entity::find_by_id(id).one(db).await?.map(|t| t.number),
        None => None,
    };
    let state = state_of(&a);
    Ok(ArticleView {
        id: a.id,
        number: ArticleNumber(a.id).to_string(),
        stale: is_stale(&a, Utc::now().date_naive()),
        body_html: markdown::render(&a.body),
        title: a.title,
        body: if actor.is_staff() { a.body } else { String::new() },
        category_id: a.category_id,
        category,
        tags: a.tags.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect(),
        audience: a.audience,
        state: state.code().into(),
        state_label: state.label().into(),
        owner_id: a.owner_id,
        owner,
        review_by: a.review_by,
        version: a.version,
        revision: a.revision,
        helpful: a.helpful,
        not_helpful: a.not_helpful,
        my_vote,
        source_ticket,
        created_at: a.created_at,
        updated_at: a.updated_at,
        published_at: a.published_at,
    })
}

/// An article's revisions, newest first (staff only).
pub async fn revisions(ctx: &AppContext, actor: &Actor, key: &str) -> Result<Vec<RevisionView>, AppError> {
    require_staff(actor)?;
    let a = find_readable(&ctx.db, actor, key).await?;
    let rows = kb_revision::Entity::find()
        .filter(kb_revision::Column::ArticleId.eq(a.id))
        .order_by_desc(kb_revision::Column::Revision)
        .all(&ctx.db)
        .await?;
    let authors = names(&ctx.db, rows.iter().filter_map(|r| r.author_id)).await?;
    Ok(rows
        .into_iter()
        .map(|r| RevisionView {
            revision: r.revision,
            author: r.author_id.and_then(|id| authors.get(&id).cloned()),
            title: r.title,
            note: r.note,
            created_at: r.created_at,
        })
        .collect())
}

/// Line diff of the title and body between two revisions (staff only).
pub async fn diff(ctx: &AppContext, actor: &Actor, key: &str, from: i32, to: i32) -> Result<Vec<DiffLine>, AppError> {
    require_staff(actor)?;
    let a = find_readable(&ctx.db, actor, key).await?;
    let load = |rev: i32, field: &'static str| {
        let db = ctx.db.clone();
        async move {
            kb_revision::Entity::find()
                .filter(kb_revision::Column::ArticleId.eq(a.id))
                .filter(kb_revision::Column::Revision.eq(rev))
                .one(&db)
                .await?
                .ok_or_else(|| AppError::field(field, format!("No revision {rev}")))
        }
    };
    let old = load(from, "from").await?;
    let new = load(to, "to").await?;
    Ok(diff_lines(&format!("# {}\n\n{}", old.title, old.body), &format!("# {}\n\n{}", new.title, new.body)))
}

/// Line-by-line difference between two texts.
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    similar::TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|c| DiffLine {
            kind: match c.tag() {
                similar::ChangeTag::Equal => "same",
                similar::ChangeTag::Insert => "added",
                similar::ChangeTag::Delete => "removed",
            }
            .into(),
            text: c.value().trim_end_matches('\n').to_string(),
        })
        .collect()
}

/// Records (or changes) the actor's helpful / not helpful vote with an optional comment.
pub async fn vote(ctx: &AppContext, actor: &Actor, key: &str, helpful: bool, comment: Option<&str>) -> Result<ArticleView, AppError> {
    let comment = vote_comment(comment)?;
    let (_w, txn) = ctx.begin_write().await?;
    let a = find_readable(&txn, actor, key).await?;
    if a.state != ArticleState::Published.code() {
        return Err(AppError::field("helpful", "Only published articles take votes"));
    }
    let existing = kb_vote::Entity::find()
        .filter(kb_vote::Column::ArticleId.eq(a.id))
        .filter(kb_vote::Column::UserId.eq(actor.user_id))
        .one(&txn)
        .await?;
    let now = Utc::now();
    match existing {
        Some(v) => {
            let mut m: kb_vote::ActiveModel = v.into();
            m.helpful = Set(helpful);
            m.comment = Set(comment);
            m.created_at = Set(now);
            m.update(&txn).await?;
        }
        None => {
            kb_vote::ActiveModel {
                article_id: Set(a.id),
                user_id: Set(actor.user_id),
                helpful: Set(helpful),
                comment: Set(comment),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    let votes = |helpful: bool| {
        kb_vote::Entity::find().filter(kb_vote::Column::ArticleId.eq(a.id)).filter(kb_vote::Column::Helpful.eq(helpful)).count(&txn)
    };
    let (yes, no) = (votes(true).await? as i32, votes(false).await? as i32);
    kb_article::Entity::update_many()
        .col_expr(kb_article::Column::Helpful, sea_orm::sea_query::Expr::value(yes))
        .col_expr(kb_article::Column::NotHelpful, sea_orm::sea_query::Expr::value(no))
        .filter(kb_article::Column::Id.eq(a.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    let a = kb_article::Entity::find_by_id(a.id).one(&ctx.db).await?.ok_or_else(not_found)?;
    view(&ctx.db, actor, a).await
}

/// Comments left with votes, newest first (staff only: feedback for the owner).
pub async fn vote_comments(ctx: &AppContext, actor: &Actor, key: &str) -> Result<Vec<VoteCommentView>, AppError> {
    require_staff(actor)?;
    let a = find_readable(&ctx.db, actor, key).await?;
    let rows = kb_vote::Entity::find()
        .filter(kb_vote::Column::ArticleId.eq(a.id))
        .filter(kb_vote::Column::Comment.is_not_null())
        .order_by_desc(kb_vote::Column::CreatedAt)
        .all(&ctx.db)
        .await?;
    let who = names(&ctx.db, rows.iter().map(|v| v.user_id)).await?;
    Ok(rows
        .into_iter()
        .filter_map(|v| {
            Some(VoteCommentView {
                helpful: v.helpful,
                user: who.get(&v.user_id).cloned().unwrap_or_default(),
                comment: v.comment?,
                created_at: v.created_at,
            })
        })
        .collect())
}

/// One line of an import file.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportLine {
    title: String,
    body: String,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    tags: Option<Vec<String>>,
    #[serde(default)]
    audience: Option<String>,
}

/// Imports JSON lines (`{title, body, category?, tags?, audience?}`) as articles owned by the
/// actor (admins only), `publish`ed or as drafts. Unknown categories are created. Bad lines are
/// reported with their number and skipped; the rest are written in transactions of 500.
/// `progress` is called with the number of lines handled so far.
pub async fn import_articles(
    ctx: &AppContext,
    actor: &Actor,
    text: &str,
    publish: bool,
    mut progress: impl FnMut(u64),
) -> Result<ImportReport, AppError> {
    require_admin(actor)?;
    let mut report = ImportReport::default();
    let mut categories: HashMap<String, i64> =
        category::Entity::find().all(&ctx.db).await?.into_iter().map(|c| (c.name.to_lowercase(), c.id)).collect();
    let state = if publish { ArticleState::Published } else { ArticleState::Draft };
    let lines: Vec<(u64, &str)> =
        text.lines().enumerate().map(|(i, l)| (i as u64 + 1, l)).filter(|(_, l)| !l.trim().is_empty()).collect();
    for chunk in lines.chunks(500) {
        let (_w, txn) = ctx.begin_write().await?;
        let mut last_seq = 0;
        for &(n, line) in chunk {
            let parsed: ImportLine = match serde_json::from_str(line) {
                Ok(p) => p,
                Err(e) => {
                    report.errors.push(ImportLineError { line: n, message: format!("Not a valid article line: {e}") });
                    continue;
                }
            };
            let input = ArticleInput {
                title: parsed.title,
                body: parsed.body,
                tags: parsed.tags.unwrap_or_default().join(","),
                audience: parsed.audience.unwrap_or_default(),
                ..Default::default()
            };
            let valid = match validate(&input) {
                Ok(v) => v,
                Err(AppError::Validation(errs)) => {
                    let message = errs.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ");
                    report.errors.push(ImportLineError { line: n, message });
                    continue;
                }
                Err(e) => return Err(e),
            };
            let category_id = match parsed.category.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                None => None,
                Some(name) if name.chars().count() > 100 => {
                    report.errors.push(ImportLineError { line: n, message: "category: at most 100 characters".into() });
                    continue;
                }
                Some(name) => Some(match categories.get(&name.to_lowercase()) {
                    Some(id) => *id,
                    None => {
                        let c = category::ActiveModel { name: Set(name.to_string()), service_id: Set(None), ..Default::default() }
                            .insert(&txn)
                            .await?;
                        categories.insert(name.to_lowercase(), c.id);
                        c.id
                    }
                }),
            };
            let (_, seq) = insert_article(&txn, actor, valid, category_id, state, None, Some("Imported".into())).await?;
            last_seq = seq;
            report.imported += 1;
        }
        txn.commit().await?;
        ctx.notify_committed(last_seq);
        progress(chunk.last().map(|(n, _)| *n).unwrap_or(0));
    }
    Ok(report)
}

/// What a requester saw while writing a ticket and what they did.
#[derive(Debug, Clone, Default)]
pub struct DeflectionInput {
    /// Title and description typed so far.
    pub query: String,
    /// Article numbers or ids suggested.
    pub suggested: Vec<String>,
    /// The article that solved it (a deflection); `None` when the ticket was submitted anyway.
    pub solved_by: Option<String>,
    /// Ticket submitted anyway.
    pub ticket_id: Option<i64>,
    /// Ticket category, if chosen.
    pub category_id: Option<i64>,
}

/// Records one deflection outcome. Only published articles count as suggestions; nothing is
/// recorded for a submission that was shown no suggestion. An outcome counts once: "this solved
/// it" once per requester, article and (UTC) day, "submitted anyway" once per ticket; a repeat
/// records nothing and answers `false`.
pub async fn record_deflection(ctx: &AppContext, actor: &Actor, input: DeflectionInput) -> Result<bool, AppError> {
    let mut ids: Vec<i64> = input.suggested.iter().filter_map(|s| ArticleNumber::parse(s).ok()).map(ArticleNumber::id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.truncate(20);
    let solved = match input.solved_by.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(key) => Some(find_readable(&ctx.db, actor, key).await?),
        None => None,
    };
    if let Some(a) = &solved {
        if !ids.contains(&a.id) {
            ids.push(a.id);
        }
    }
    let known: Vec<kb_article::Model> = if ids.is_empty() {
        Vec::new()
    } else {
        kb_article::Entity::find().filter(kb_article::Column::Id.is_in(ids.clone())).all(&ctx.db).await?
    };
    let shown: Vec<i64> = known.iter().filter(|a| may_read(actor, a)).map(|a| a.id).collect();
    if shown.is_empty() {
        return Ok(false);
    }
    let category_id = input.category_id.or_else(|| solved.as_ref().and_then(|a| a.category_id)).or_else(|| {
        let mut cats = known.iter().filter_map(|a| a.category_id);
        cats.next()
    });
    let query: String = input.query.trim().chars().take(2000).collect();
    let now = Utc::now();
    let dedup_key = match (&solved, input.ticket_id) {
        (Some(a), _) => Some(format!("deflected:{}:{}:{}", actor.user_id, a.id, now.format("%Y-%m-%d"))),
        (None, Some(ticket)) => Some(format!("submitted:{ticket}")),
        (None, None) => None,
    };
    let row = kb_deflection::ActiveModel {
        requester_id: Set(actor.user_id),
        query: Set(query),
        suggested: Set(serde_json::to_string(&shown).unwrap_or_else(|_| "[]".into())),
        outcome: Set(if solved.is_some() { "deflected" } else { "submitted" }.to_string()),
        article_id: Set(solved.map(|a| a.id)),
        ticket_id: Set(input.ticket_id),
        category_id: Set(category_id),
        created_at: Set(now),
        dedup_key: Set(dedup_key),
        ..Default::default()
    };
    let w = ctx.write_turn().await;
    let inserted = kb_deflection::Entity::insert(row)
        .on_conflict(OnConflict::column(kb_deflection::Column::DedupKey).do_nothing().to_owned())
        .exec_without_returning(ctx.writer(&w))
        .await?;
    Ok(inserted > 0)
}

/// A reporting period from optional `YYYY-MM-DD` dates (end exclusive); by default the 30 days
/// up to and including today.
pub fn period(from: Option<&str>, to: Option<&str>) -> Result<(DateTime<Utc>, DateTime<Utc>), AppError> {
    let day = |field: &str, raw: Option<&str>| -> Result<Option<NaiveDate>, AppError> {
        Ok(raw.map(|s| crate::domain::field::parse_day(field, s)).transpose()?)
    };
    let today = Utc::now().date_naive();
    let to = day("to", to)?.unwrap_or(today + chrono::Duration::days(1));
    let from = day("from", from)?.unwrap_or(to - chrono::Duration::days(30));
    let start = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).ok_or(AppError::Internal);
    Ok((start(from)?, start(to)?))
}

/// Deflection per category (and a total row first) for `[from, to)` (staff only).
pub async fn deflection_report(
    ctx: &AppContext,
    actor: &Actor,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<DeflectionRow>, AppError> {
    require_staff(actor)?;
    if to <= from {
        return Err(AppError::field("to", "The end must be after the start"));
    }
    let counts: Vec<(Option<i64>, String, i64)> = kb_deflection::Entity::find()
        .select_only()
        .column(kb_deflection::Column::CategoryId)
        .column(kb_deflection::Column::Outcome)
        .column_as(kb_deflection::Column::Id.count(), "n")
        .filter(kb_deflection::Column::CreatedAt.gte(from))
        .filter(kb_deflection::Column::CreatedAt.lt(to))
        .group_by(kb_deflection::Column::CategoryId)
        .group_by(kb_deflection::Column::Outcome)
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let categories = category_names(&ctx.db).await?;
    let mut per: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut total = (0u64, 0u64);
    for (category_id, outcome, n) in counts {
        let name = category_id.and_then(|id| categories.get(&id).cloned()).unwrap_or_else(|| "Uncategorised".into());
        let slot = per.entry(name).or_default();
        let n = n.max(0) as u64;
        if outcome == "deflected" {
            slot.0 += n;
            total.0 += n;
        } else {
            slot.1 += n;
            total.1 += n;
        }
    }
    let row = |category: String, (deflected, submitted): (u64, u64)| DeflectionRow {
        category,
        attempts: deflected + submitted,
        deflected,
        submitted,
        rate: deflection_rate(deflected, submitted),
    };
    let mut out = vec![row("All categories".into(), total)];
    out.extend(per.into_iter().map(|(c, v)| row(c, v)));
    Ok(out)
}

/// Searches knowledge and the catalog for the actor: requesters only ever get public documents.
pub fn search(ctx: &AppContext, actor: &Actor, text: &str, category: Option<String>, limit: usize) -> Result<SearchResults, AppError> {
    ctx.search.search(&SearchQuery {
        text: text.chars().take(500).collect(),
        admitted: crate::domain::catalog::ItemAudience::reader_terms(actor),
        kind: None,
        category,
        limit,
        ..Default::default()
    })
}

/// Articles to suggest while `text` (a new ticket's title and description) is being typed.
pub fn suggest(ctx: &AppContext, actor: &Actor, text: &str, limit: usize) -> Result<Vec<SearchHit>, AppError> {
    let text: String = text.chars().take(4000).collect();
    ctx.search.suggest(&text, !actor.is_staff(), limit.clamp(1, 10))
}

/// Articles related to article `key` that the actor may read.
pub async fn related(ctx: &AppContext, actor: &Actor, key: &str, limit: usize) -> Result<Vec<SearchHit>, AppError> {
    let a = find_readable(&ctx.db, actor, key).await?;
    ctx.search.related(DocKind::Article, a.id, !actor.is_staff(), limit.clamp(1, 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_added_and_removed_lines() {
        let d = diff_lines("a\nb\nc\n", "a\nB\nc\nd\n");
        let marks: Vec<(&str, &str)> = d.iter().map(|l| (l.kind.as_str(), l.text.as_str())).collect();
        assert_eq!(marks, [("same", "a"), ("removed", "b"), ("added", "B"), ("same", "c"), ("added", "d")]);
    }

    #[test]
    fn review_dates() {
        assert_eq!(parse_review_by(Some(" ")).unwrap(), None);
        assert_eq!(parse_review_by(Some("2027-01-31")).unwrap(), NaiveDate::from_ymd_opt(2027, 1, 31));
        assert!(parse_review_by(Some("31/01/2027")).is_err());
    }
}
