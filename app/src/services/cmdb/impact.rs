//! Impact analysis, the map around a CI and a CI's incident record. The relationships are read
//! level by level from the database (walking up by `idx_ci_relationship_to`, down by the unique
//! index on `from`), then walked by [`ImpactGraph`] in memory.
//!
//! "Failed" — a CI down on its own, which counts against its redundancy sets — means: status
//! maintenance, or an open incident of priority 1 or 2 on it.

use super::super::authz::require_staff;
use super::super::entities::{category, ci_redundancy_set as set, ci_relationship as rel, configuration_item as ci, ticket};
use super::super::AppContext;
use super::relationships::find_ci;
use super::to_ref;
use crate::domain::cmdb::impact::{parse_depth, Direction, Reached, DEFAULT_DEPTH};
use crate::domain::cmdb::{Edge, ImpactGraph, RelationshipKind, RelationshipType};
use crate::domain::{Actor, CiClass, CiStatus, TicketState, TicketType};
use crate::dto::{CategoryCount, CiIncidentStats, CiMap, CiRef, HeldView, ImpactNode, ImpactReport, MapEdge, PathStep};
use crate::error::AppError;
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{HashMap, HashSet};

/// Most CIs an impact analysis reports.
pub const IMPACT_LIMIT: usize = 2_000;
/// Most CIs a map shows.
pub const MAP_LIMIT: usize = 300;
/// Default depth of a map.
pub const MAP_DEPTH: u8 = 2;
/// Ids per `IN (…)` list.
const CHUNK: usize = 500;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Relationships arriving at the frontier that carry failure (walking up).
    To,
    /// Relationships leaving the frontier that carry failure (walking down).
    From,
    /// Every relationship touching the frontier (the map).
    Both,
}

/// The relationships `query` selects, reading only the columns a walk needs.
async fn edges_of(db: &impl ConnectionTrait, query: sea_orm::Select<rel::Entity>) -> Result<Vec<Edge>, AppError> {
    let rows: Vec<(i64, i64, i64, String, Option<i64>)> = query
        .select_only()
        .column(rel::Column::Id)
        .column(rel::Column::FromCiId)
        .column(rel::Column::ToCiId)
        .column(rel::Column::Kind)
        .column(rel::Column::RedundancySetId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(|(id, from, to, kind, redundancy)| Some(Edge { id, from, to, kind: RelationshipKind::from_code(&kind)?, redundancy })).collect())
}

async fn edges_at(db: &impl ConnectionTrait, frontier: &[i64], side: Side) -> Result<Vec<Edge>, AppError> {
    let mut out = Vec::new();
    let carrying: Vec<&str> = RelationshipKind::ALL.into_iter().filter(|k| k.carries_failure()).map(RelationshipKind::code).collect();
    for ids in frontier.chunks(CHUNK) {
        let mut q = rel::Entity::find();
        q = match side {
            Side::To => q.filter(rel::Column::ToCiId.is_in(ids.to_vec())).filter(rel::Column::Kind.is_in(carrying.clone())),
            Side::From => q.filter(rel::Column::FromCiId.is_in(ids.to_vec())).filter(rel::Column::Kind.is_in(carrying.clone())),
            Side::Both => q.filter(Condition::any().add(rel::Column::FromCiId.is_in(ids.to_vec())).add(rel::Column::ToCiId.is_in(ids.to_vec()))),
        };
        out.extend(edges_of(db, q).await?);
    }
    Ok(out)
}

/// Loads the relationships a walk of `depth` hops from `root` can take, level by level, until
/// more than `limit` CIs are seen; also says whether it stopped there with levels left.
async fn load(db: &impl ConnectionTrait, root: i64, side: Side, depth: u8, limit: usize) -> Result<(Vec<Edge>, bool), AppError> {
    let mut seen: HashSet<i64> = HashSet::from([root]);
    let mut frontier = vec![root];
    let mut edges = Vec::new();
    for _ in 0..depth {
        if frontier.is_empty() {
            break;
        }
        if seen.len() > limit {
            return Ok((edges, true));
        }
        let level = edges_at(db, &frontier, side).await?;
        frontier = Vec::new();
        for e in &level {
            let next = match side {
                Side::To => [Some(e.from), None],
                Side::From => [Some(e.to), None],
                Side::Both => [Some(e.from), Some(e.to)],
            };
            for n in next.into_iter().flatten() {
                if seen.insert(n) {
                    frontier.push(n);
                }
            }
        }
        edges.extend(level);
    }
    Ok((edges, false))
}

/// Per CI: its open incidents and whether it is down on its own.
struct Health {
    open: HashMap<i64, u64>,
    failed: HashSet<i64>,
}

async fn health(db: &impl ConnectionTrait, ids: &[i64], rows: &HashMap<i64, CiRef>) -> Result<Health, AppError> {
    let open_states: Vec<&str> = TicketState::ALL.into_iter().filter(|s| s.is_open()).map(TicketState::code).collect();
    let mut open = HashMap::new();
    let mut failed: HashSet<i64> = ids.iter().copied().filter(|id| rows.get(id).is_some_and(|c| c.status == CiStatus::Maintenance)).collect();
    for chunk in ids.chunks(CHUNK) {
        let counted: Vec<(Option<i64>, i64, Option<i16>)> = ticket::Entity::find()
            .select_only()
            .column(ticket::Column::CiId)
            .column_as(ticket::Column::Id.count(), "n")
            .column_as(ticket::Column::Priority.min(), "top")
            .filter(ticket::Column::CiId.is_in(chunk.to_vec()))
            .filter(ticket::Column::TicketType.eq(TicketType::Incident.code()))
            .filter(ticket::Column::State.is_in(open_states.clone()))
            .group_by(ticket::Column::CiId)
            .into_tuple()
            .all(db)
            .await?;
        for (id, n, top) in counted {
            let Some(id) = id else { continue };
            open.insert(id, n.max(0) as u64);
            if top.is_some_and(|p| p <= 2) {
                failed.insert(id);
            }
        }
    }
    Ok(Health { open, failed })
}

/// The short form of CIs `ids` (only the columns it shows are read).
async fn rows_of(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, CiRef>, AppError> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<(i64, String, String, String)> = ci::Entity::find()
            .select_only()
            .column(ci::Column::Id)
            .column(ci::Column::Name)
            .column(ci::Column::Class)
            .column(ci::Column::Status)
            .filter(ci::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows.into_iter().filter_map(|(id, name, class, status)| {
            Some((id, CiRef { id, name, class: CiClass::parse(&class).ok()?, status: CiStatus::parse(&status).ok()? }))
        }));
    }
    Ok(out)
}

fn node(r: &Reached, rows: &HashMap<i64, CiRef>, h: &Health) -> Option<ImpactNode> {
    let path = r
        .path
        .iter()
        .map(|s| Some(PathStep { ci_id: s.ci, name: rows.get(&s.ci)?.name.clone(), rel_type: s.via.code().into(), label: s.via.label().into() }))
        .collect::<Option<Vec<_>>>()?;
    Some(ImpactNode { ci: rows.get(&r.ci)?.clone(), depth: r.depth, path, open_incidents: h.open.get(&r.ci).copied().unwrap_or(0), failed: h.failed.contains(&r.ci) })
}

fn root_node(c: &ci::Model, h: &Health) -> Option<ImpactNode> {
    Some(ImpactNode { ci: to_ref(c)?, depth: 0, path: vec![], open_incidents: h.open.get(&c.id).copied().unwrap_or(0), failed: h.failed.contains(&c.id) })
}

/// What CI `key` affects if it fails (`up`, the default) or needs (`down`), to `depth` hops
/// (default 5, at most 10), with each CI's path, status and open incidents (agents and admins).
pub async fn impact(ctx: &AppContext, actor: &Actor, key: &str, direction: Option<&str>, depth: Option<i64>) -> Result<ImpactReport, AppError> {
    require_staff(actor)?;
    let (direction, depth) = match (Direction::parse(direction), parse_depth(depth, DEFAULT_DEPTH)) {
        (Ok(d), Ok(n)) => (d, n),
        (d, n) => return Err(AppError::Validation([d.err(), n.err()].into_iter().flatten().collect())),
    };
    let db = &ctx.db;
    let root = find_ci(db, key).await?;
    impact_of(db, &root, direction, depth, IMPACT_LIMIT).await
}

/// The impact report of `root` (no authorization: callers check).
pub(crate) async fn impact_of(db: &impl ConnectionTrait, root: &ci::Model, direction: Direction, depth: u8, limit: usize) -> Result<ImpactReport, AppError> {
    let (reached, held, truncated, rows, h) = match direction {
        Direction::Up => {
            let (mut edges, cut) = load(db, root.id, Side::To, depth, limit).await?;
            // A redundancy set is judged on all its members, loaded or not.
            let set_ids: Vec<i64> = edges.iter().filter_map(|e| e.redundancy).collect::<HashSet<_>>().into_iter().collect();
            let mut min_up = HashMap::new();
            for chunk in set_ids.chunks(CHUNK) {
                for s in set::Entity::find().filter(set::Column::Id.is_in(chunk.to_vec())).all(db).await? {
                    min_up.insert(s.id, s.min_up.max(1) as u32);
                }
                edges.extend(edges_of(db, rel::Entity::find().filter(rel::Column::RedundancySetId.is_in(chunk.to_vec()))).await?);
            }
            let members: Vec<i64> = edges.iter().filter(|e| e.redundancy.is_some()).map(|e| e.to).collect::<HashSet<_>>().into_iter().collect();
            let member_rows = rows_of(db, &members).await?;
            let member_health = health(db, &members, &member_rows).await?;
            let graph = ImpactGraph::new(edges, &min_up);
            let found = graph.failing_upward(root.id, &member_health.failed, depth, limit);
            let mut ids: Vec<i64> = found.reached.iter().flat_map(|r| r.path.iter().map(|s| s.ci)).chain(found.held.iter().map(|h| h.ci)).collect();
            ids.push(root.id);
            ids.sort_unstable();
            ids.dedup();
            let rows = rows_of(db, &ids).await?;
            let h = health(db, &ids, &rows).await?;
            let names: HashMap<i64, String> = set::Entity::find().filter(set::Column::Id.is_in(found.held.iter().map(|h| h.set).collect::<Vec<_>>())).all(db).await?.into_iter().map(|s| (s.id, s.name)).collect();
            let held = found
                .held
                .iter()
                .filter_map(|x| Some(HeldView { ci: rows.get(&x.ci)?.clone(), set_name: names.get(&x.set)?.clone(), up: x.up, needed: x.needed, members: x.members }))
                .collect();
            (found.reached, held, found.truncated || cut, rows, h)
        }
        Direction::Down => {
            let (edges, cut) = load(db, root.id, Side::From, depth, limit).await?;
            let graph = ImpactGraph::new(edges, &HashMap::new());
            let (reached, truncated) = graph.needs(root.id, depth, limit);
            let truncated = truncated || cut;
            let mut ids: Vec<i64> = reached.iter().map(|r| r.ci).collect();
            ids.push(root.id);
            let rows = rows_of(db, &ids).await?;
            let h = health(db, &ids, &rows).await?;
            (reached, vec![], truncated, rows, h)
        }
    };
    let nodes: Vec<ImpactNode> = reached.iter().filter_map(|r| node(r, &rows, &h)).collect();
    let business_services = nodes.iter().filter(|n| n.ci.class == CiClass::BusinessService).map(|n| n.ci.clone()).collect();
    let ci = to_ref(root).ok_or(AppError::Internal)?;
    Ok(ImpactReport { ci, direction, depth, nodes, business_services, held, truncated })
}

/// The CIs within `depth` hops of CI `key` (default 2, at most 10) over any relationship, and the
/// relationships between them, for the map (agents and admins).
pub async fn map(ctx: &AppContext, actor: &Actor, key: &str, depth: Option<i64>) -> Result<CiMap, AppError> {
    require_staff(actor)?;
    let depth = parse_depth(depth, MAP_DEPTH)?;
    let db = &ctx.db;
    let root = find_ci(db, key).await?;
    let (edges, cut) = load(db, root.id, Side::Both, depth, MAP_LIMIT).await?;
    let graph = ImpactGraph::new(edges, &HashMap::new());
    let (reached, truncated) = graph.neighbourhood(root.id, depth, MAP_LIMIT);
    let truncated = truncated || cut;
    let mut ids: Vec<i64> = reached.iter().map(|r| r.ci).collect();
    ids.push(root.id);
    let shown: HashSet<i64> = ids.iter().copied().collect();
    // Relationships among the outermost CIs were not loaded by the walk.
    let mut between: Vec<Edge> = graph.edges().to_vec();
    let outer: Vec<i64> = reached.iter().filter(|r| r.depth == depth).map(|r| r.ci).collect();
    for chunk in outer.chunks(CHUNK) {
        between.extend(edges_of(db, rel::Entity::find().filter(rel::Column::FromCiId.is_in(chunk.to_vec()))).await?);
    }
    between.sort_by_key(|e| e.id);
    between.dedup_by_key(|e| e.id);
    let edges = between
        .into_iter()
        .filter(|e| e.from != e.to && shown.contains(&e.from) && shown.contains(&e.to))
        .map(|e| {
            let t = RelationshipType { kind: e.kind, inverse: false };
            MapEdge { id: e.id, from: e.from, to: e.to, rel_type: t.code().into(), label: t.label().into() }
        })
        .collect();
    let rows = rows_of(db, &ids).await?;
    let h = health(db, &ids, &rows).await?;
    let nodes = reached.iter().filter_map(|r| node(r, &rows, &h)).collect();
    Ok(CiMap { root: root_node(&root, &h).ok_or(AppError::Internal)?, depth, nodes, edges, truncated })
}

/// The business services a failure of CI `ci_id` reaches, and the open incidents on the CIs
/// within two hops of it (either way, any relationship), for a ticket's context.
pub(crate) async fn ticket_neighbourhood(db: &impl ConnectionTrait, ci_id: i64) -> Result<(Vec<CiRef>, Vec<(CiRef, i64)>), AppError> {
    let Some(root) = ci::Entity::find_by_id(ci_id).one(db).await? else { return Ok((vec![], vec![])) };
    let services = impact_of(db, &root, Direction::Up, DEFAULT_DEPTH, IMPACT_LIMIT).await?.business_services;
    let graph = ImpactGraph::new(load(db, root.id, Side::Both, 2, MAP_LIMIT).await?.0, &HashMap::new());
    let (near, _) = graph.neighbourhood(root.id, 2, MAP_LIMIT);
    let ids: Vec<i64> = near.iter().map(|r| r.ci).collect();
    let rows = rows_of(db, &ids).await?;
    let open_states: Vec<&str> = TicketState::ALL.into_iter().filter(|s| s.is_open()).map(TicketState::code).collect();
    let mut tickets = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let found: Vec<(i64, Option<i64>)> = ticket::Entity::find()
            .select_only()
            .column(ticket::Column::Id)
            .column(ticket::Column::CiId)
            .filter(ticket::Column::CiId.is_in(chunk.to_vec()))
            .filter(ticket::Column::TicketType.eq(TicketType::Incident.code()))
            .filter(ticket::Column::State.is_in(open_states.clone()))
            .limit(50)
            .into_tuple()
            .all(db)
            .await?;
        tickets.extend(found.into_iter().filter_map(|(t, c)| Some((rows.get(&c?)?.clone(), t))));
    }
    Ok((services, tickets))
}

/// CI `ci_id`'s incidents over the last 90 days: how many, how fast they were resolved, and
/// their most frequent categories.
pub(crate) async fn incident_stats(db: &impl ConnectionTrait, ci_id: i64) -> Result<CiIncidentStats, AppError> {
    let since = Utc::now() - Duration::days(90);
    let rows: Vec<(chrono::DateTime<Utc>, Option<chrono::DateTime<Utc>>, Option<i64>)> = ticket::Entity::find()
        .select_only()
        .column(ticket::Column::CreatedAt)
        .column(ticket::Column::ResolvedAt)
        .column(ticket::Column::CategoryId)
        .filter(ticket::Column::CiId.eq(ci_id))
        .filter(ticket::Column::TicketType.eq(TicketType::Incident.code()))
        .filter(ticket::Column::CreatedAt.gte(since))
        .into_tuple()
        .all(db)
        .await?;
    let resolved: Vec<i64> = rows.iter().filter_map(|(c, r, _)| r.map(|r| (r - *c).num_minutes().max(0))).collect();
    let mut by_category: HashMap<i64, u64> = HashMap::new();
    for (_, _, c) in &rows {
        if let Some(c) = c {
            *by_category.entry(*c).or_default() += 1;
        }
    }
    let names: HashMap<i64, String> = category::Entity::find().filter(category::Column::Id.is_in(by_category.keys().copied().collect::<Vec<_>>())).all(db).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let mut top: Vec<CategoryCount> = by_category.into_iter().filter_map(|(id, count)| Some(CategoryCount { name: names.get(&id)?.clone(), count })).collect();
    top.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    top.truncate(3);
    Ok(CiIncidentStats {
        incidents_90d: rows.len() as u64,
        resolved_90d: resolved.len() as u64,
        mean_minutes_to_resolve: (!resolved.is_empty()).then(|| resolved.iter().sum::<i64>() / resolved.len() as i64),
        top_categories: top,
    })
}
