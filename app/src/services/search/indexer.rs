//! The search indexer: an outbox consumer. It reads events after the index's cursor, reloads the
//! articles, catalog items (active ones, searchable by their audience) and tickets they name, and applies them in one commit whose payload is the new
//! cursor — so after a crash the index simply catches up from where its last commit stopped.
//! `rebuild` (the `oxidesk reindex` command, and the first run on an empty index) recreates the
//! index from the tables.

use super::{DocKind, IndexDoc, IndexOp};
use crate::domain::{ArticleNumber, ArticleState};
use crate::error::AppError;
use crate::services::entities::{catalog_item, kb_article, outbox_event, service, ticket};
use crate::services::{knowledge, markdown, AppContext};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

const EVENT_BATCH: u64 = 5_000;
const DOC_BATCH: usize = 500;
/// Commit at least every this many documents (size cap) while catching up.
const COMMIT_EVERY_DOCS: usize = 20_000;
/// Events touching no document are skipped without a commit until this many pile up.
const SKIP_WITHOUT_COMMIT: i64 = 10_000;

async fn head(db: &impl ConnectionTrait) -> Result<i64, AppError> {
    let max: Option<Option<i64>> = outbox_event::Entity::find()
        .select_only()
        .column_as(outbox_event::Column::Seq.max(), "m")
        .into_tuple()
        .one(db)
        .await?;
    Ok(max.flatten().unwrap_or(0))
}

fn article_doc(a: kb_article::Model, categories: &HashMap<i64, String>) -> IndexOp {
    if a.state != ArticleState::Published.code() {
        return IndexOp::Remove(DocKind::Article, a.id);
    }
    IndexOp::Upsert(IndexDoc {
        kind: DocKind::Article,
        id: a.id,
        number: ArticleNumber(a.id).to_string(),
        body: markdown::plain_text(&a.body),
        title: a.title,
        tags: a.tags.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect(),
        audience: a.audience,
        category: a.category_id.and_then(|id| categories.get(&id).cloned()),
        icon: String::new(),
    })
}

fn catalog_doc(i: catalog_item::Model, categories: &HashMap<i64, String>, services: &HashMap<i64, String>) -> IndexOp {
    if !i.active {
        return IndexOp::Remove(DocKind::Catalog, i.id);
    }
    let audience = crate::services::catalog::audience_of(&i);
    IndexOp::Upsert(IndexDoc {
        kind: DocKind::Catalog,
        id: i.id,
        number: i.id.to_string(),
        title: i.name,
        body: format!("{}\n{}", i.summary, markdown::plain_text(&i.description)),
        tags: i.service_id.and_then(|id| services.get(&id).cloned()).into_iter().collect(),
        audience: audience.index_terms().join(" "),
        category: i.category_id.and_then(|id| categories.get(&id).cloned()),
        icon: i.icon,
    })
}

fn ticket_doc(t: ticket::Model, services: &HashMap<i64, String>) -> IndexOp {
    let mut body = t.description;
    if let Some(note) = t.resolution_note.filter(|n| !n.trim().is_empty()) {
        body.push_str("\n");
        body.push_str(&note);
    }
    IndexOp::Upsert(IndexDoc {
        kind: DocKind::Ticket,
        id: t.id,
        number: t.number,
        title: t.title,
        body,
        tags: Vec::new(),
        audience: "agents".into(),
        category: t.service_id.and_then(|id| services.get(&id).cloned()),
        icon: String::new(),
    })
}

async fn service_names(db: &impl ConnectionTrait) -> Result<HashMap<i64, String>, AppError> {
    Ok(service::Entity::find().all(db).await?.into_iter().map(|s| (s.id, s.name)).collect())
}

async fn ticket_ops(db: &impl ConnectionTrait, ids: &BTreeSet<i64>) -> Result<Vec<IndexOp>, AppError> {
    let services = service_names(db).await?;
    let mut ops = Vec::with_capacity(ids.len());
    let ids: Vec<i64> = ids.iter().copied().collect();
    for chunk in ids.chunks(DOC_BATCH) {
        let rows = ticket::Entity::find().filter(ticket::Column::Id.is_in(chunk.to_vec())).all(db).await?;
        let found: BTreeSet<i64> = rows.iter().map(|t| t.id).collect();
        ops.extend(rows.into_iter().map(|t| ticket_doc(t, &services)));
        ops.extend(chunk.iter().filter(|id| !found.contains(id)).map(|id| IndexOp::Remove(DocKind::Ticket, *id)));
    }
    Ok(ops)
}

async fn article_ops(db: &impl ConnectionTrait, ids: &BTreeSet<i64>) -> Result<Vec<IndexOp>, AppError> {
    let categories = knowledge::category_names(db).await?;
    let mut ops = Vec::with_capacity(ids.len());
    let ids: Vec<i64> = ids.iter().copied().collect();
    for chunk in ids.chunks(DOC_BATCH) {
        let rows = kb_article::Entity::find().filter(kb_article::Column::Id.is_in(chunk.to_vec())).all(db).await?;
        let found: BTreeSet<i64> = rows.iter().map(|a| a.id).collect();
        ops.extend(rows.into_iter().map(|a| article_doc(a, &categories)));
        ops.extend(chunk.iter().filter(|id| !found.contains(id)).map(|id| IndexOp::Remove(DocKind::Article, *id)));
    }
    Ok(ops)
}

async fn catalog_ops(db: &impl ConnectionTrait, ids: &BTreeSet<i64>) -> Result<Vec<IndexOp>, AppError> {
    let (categories, services) = (knowledge::category_names(db).await?, service_names(db).await?);
    let rows = catalog_item::Entity::find().filter(catalog_item::Column::Id.is_in(ids.iter().copied())).all(db).await?;
    let found: BTreeSet<i64> = rows.iter().map(|i| i.id).collect();
    let mut ops: Vec<IndexOp> = rows.into_iter().map(|i| catalog_doc(i, &categories, &services)).collect();
    ops.extend(ids.iter().filter(|id| !found.contains(id)).map(|id| IndexOp::Remove(DocKind::Catalog, *id)));
    Ok(ops)
}

/// Brings the index up to the outbox head: reads events after the committed cursor in batches,
/// applies the documents they touch, commits with the new cursor. Returns documents applied.
/// Idempotent, so replaying after a crash is harmless.
pub async fn catch_up(ctx: &AppContext) -> Result<usize, AppError> {
    let index = ctx.search.clone();
    let mut cursor = index.cursor();
    let target = head(&ctx.db).await?;
    let mut applied = 0;
    let mut pending: Vec<IndexOp> = Vec::new();
    while cursor < target {
        let upper = (cursor + EVENT_BATCH as i64).min(target);
        let events = outbox_event::Entity::find()
            .filter(outbox_event::Column::Seq.gt(cursor))
            .filter(outbox_event::Column::Seq.lte(upper))
            .filter(outbox_event::Column::EntityType.is_in([knowledge::ENTITY, "catalog_item", "ticket"]))
            .order_by_asc(outbox_event::Column::Seq)
            .all(&ctx.db)
            .await?;
        let (mut articles, mut services, mut tickets) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
        for e in &events {
            match e.entity_type.as_str() {
                knowledge::ENTITY => articles.insert(e.entity_id),
                "catalog_item" => services.insert(e.entity_id),
                _ => tickets.insert(e.entity_id),
            };
        }
        if !articles.is_empty() {
            pending.extend(article_ops(&ctx.db, &articles).await?);
        }
        if !services.is_empty() {
            pending.extend(catalog_ops(&ctx.db, &services).await?);
        }
        if !tickets.is_empty() {
            pending.extend(ticket_ops(&ctx.db, &tickets).await?);
        }
        cursor = upper;
        if pending.is_empty() && cursor == target && cursor - index.committed_cursor() < SKIP_WITHOUT_COMMIT {
            index.skip_to(cursor);
        } else if pending.len() >= COMMIT_EVERY_DOCS || cursor == target {
            applied += pending.len();
            let ops = std::mem::take(&mut pending);
            let idx = index.clone();
            tokio::task::spawn_blocking(move || idx.apply(&ops, cursor)).await.map_err(|_| AppError::Internal)??;
        }
    }
    Ok(applied)
}

/// Runs the indexer until the process ends: woken by local commits (and a `tick` for other
/// nodes' writes), it waits `commit_delay` to gather a batch, then catches up. An index that
/// never committed (new, or recreated for a new schema) is first built from the tables, which is
/// much faster than replaying the whole outbox.
pub async fn run(ctx: AppContext, tick: Duration, commit_delay: Duration) {
    let mut events = ctx.subscribe_events();
    if ctx.search.committed_cursor() == 0 {
        let started = std::time::Instant::now();
        match rebuild(&ctx, |_, _| {}).await {
            Ok(documents) => tracing::info!(documents, s = started.elapsed().as_secs_f64(), "search index built from the tables"),
            Err(e) => tracing::error!(error = %e, "building the search index failed; replaying the outbox instead"),
        }
    }
    loop {
        if let Err(e) = catch_up(&ctx).await {
            tracing::error!(error = %e, "search indexer failed to catch up; retrying");
        }
        tokio::select! {
            changed = events.changed() => {
                if changed.is_err() {
                    return;
                }
            }
            _ = tokio::time::sleep(tick) => {}
        }
        tokio::time::sleep(commit_delay).await;
    }
}

/// Adds the upserts among `ops` without committing; returns how many.
async fn add_upserts(index: &std::sync::Arc<super::SearchIndex>, ops: impl Iterator<Item = IndexOp>) -> Result<u64, AppError> {
    let docs: Vec<IndexDoc> = ops
        .filter_map(|op| match op {
            IndexOp::Upsert(d) => Some(d),
            IndexOp::Remove(..) => None,
        })
        .collect();
    let n = docs.len() as u64;
    let idx = index.clone();
    tokio::task::spawn_blocking(move || idx.add_uncommitted(&docs)).await.map_err(|_| AppError::Internal)??;
    Ok(n)
}

/// Recreates the index from the tables (published articles, catalog items, tickets), committing with
/// the outbox head as cursor. `progress(done, total)` is called after each batch.
pub async fn rebuild(ctx: &AppContext, mut progress: impl FnMut(u64, u64)) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    let index = ctx.search.clone();
    let target = head(&ctx.db).await?;
    let published = kb_article::Column::State.eq(ArticleState::Published.code());
    let total_articles = kb_article::Entity::find().filter(published.clone()).count(&ctx.db).await?;
    let items = catalog_item::Entity::find().filter(catalog_item::Column::Active.eq(true)).all(&ctx.db).await?;
    let total_tickets = ticket::Entity::find().count(&ctx.db).await?;
    let total = total_articles + items.len() as u64 + total_tickets;
    let categories = knowledge::category_names(&ctx.db).await?;
    index.clear()?;
    let mut done = 0u64;
    let mut last_id = 0i64;
    loop {
        let rows = kb_article::Entity::find()
            .filter(published.clone())
            .filter(kb_article::Column::Id.gt(last_id))
            .order_by_asc(kb_article::Column::Id)
            .limit(DOC_BATCH as u64 * 4)
            .all(&ctx.db)
            .await?;
        let Some(last) = rows.last() else { break };
        last_id = last.id;
        done += add_upserts(&index, rows.into_iter().map(|a| article_doc(a, &categories))).await?;
        progress(done, total);
    }
    let names = service_names(&ctx.db).await?;
    let mut last_id = 0i64;
    loop {
        let rows = ticket::Entity::find()
            .filter(ticket::Column::Id.gt(last_id))
            .order_by_asc(ticket::Column::Id)
            .limit(DOC_BATCH as u64 * 4)
            .all(&ctx.db)
            .await?;
        let Some(last) = rows.last() else { break };
        last_id = last.id;
        done += add_upserts(&index, rows.into_iter().map(|t| ticket_doc(t, &names))).await?;
        progress(done, total);
    }
    let ops: Vec<IndexOp> = items.into_iter().map(|i| catalog_doc(i, &categories, &names)).collect();
    done += ops.len() as u64;
    let idx = index.clone();
    tokio::task::spawn_blocking(move || idx.apply(&ops, target)).await.map_err(|_| AppError::Internal)??;
    progress(done, total);
    Ok(done)
}
