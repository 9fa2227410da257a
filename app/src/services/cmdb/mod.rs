//! The CMDB: configuration items (admins maintain them; agents look them up) and the link from a
//! ticket to the CI it affects, so a CI's incident history sits beside every ticket on it.
//! [`relationships`] makes the CMDB a map; [`impact`] walks it; [`assets`] and [`licences`] keep
//! the asset record of a CI and the software installed on it.

pub mod assets;
pub mod impact;
pub mod licences;
pub mod relationships;
pub mod transfer;

pub use assets::{fire_due_notices, save_asset, AssetInput};
pub use licences::{add_installation, get_licence, list_licences, remove_installation, save_licence, LicenceInput};

pub use impact::{impact, map};
pub use relationships::{add_relationship, list_relationships, remove_relationship, RelationshipInput};

use super::authz::{require_admin, require_staff};
use super::entities::{assignment_group, configuration_item as ci, service, ticket};
use super::journal::{self, AuditLine};
use super::refs::require_exists;
use super::AppContext;
use crate::domain::field::{bounded_text, Validator};
use crate::domain::{Actor, CiClass, CiName, CiStatus, TicketState};
use crate::dto::{CiDetail, CiPage, CiRef, CiView, COUNT_CAP};
use crate::error::AppError;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, Order};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set};
use std::collections::HashMap;

/// How many of a CI's tickets its detail lists.
const HISTORY: u64 = 20;

/// Raw input for a CI; validated by [`save_ci`].
#[derive(Debug, Clone, Default)]
pub struct CiInput {
    /// Unique name (see [`CiName`]).
    pub name: String,
    /// Class code or label.
    pub class: String,
    /// Status code or label; empty means in service.
    pub status: String,
    /// Business service it supports.
    pub service_id: Option<i64>,
    /// Group that supports it.
    pub support_group_id: Option<i64>,
    /// Site, room or rack.
    pub location: Option<String>,
    /// Free text.
    pub description: String,
    /// Refuse the change if the CI's version is no longer this one.
    pub expected_version: Option<i32>,
}

/// Which CIs to list.
#[derive(Debug, Clone, Default)]
pub struct CiFilter {
    /// Part of the name (case ignored).
    pub q: Option<String>,
    /// Class code.
    pub class: Option<String>,
    /// Status code.
    pub status: Option<String>,
    /// Page size (default 50, at most 200).
    pub limit: Option<u64>,
    /// Rows to skip.
    pub offset: Option<u64>,
}

/// The CI named `name` (case ignored), if any: a lookup of the unique `name_key`.
pub async fn find_by_name(db: &impl ConnectionTrait, name: &str) -> Result<Option<ci::Model>, AppError> {
    Ok(ci::Entity::find().filter(ci::Column::NameKey.eq(CiName::key_of(name))).one(db).await?)
}

/// CIs whose name contains `part` (case ignored), through the trigram index of the name keys
/// (SQLite `ci_name_fts`, FTS5 `trigram`; PostgreSQL `pg_trgm`) once `part` has the three
/// characters a trigram needs. `instr` keeps the SQLite match exact, since `_` in a name would
/// be a wildcard to `LIKE`.
fn name_contains(backend: DbBackend, part: &str) -> Expr {
    let key = CiName::key_of(part);
    match backend {
        DbBackend::Postgres => {
            let pattern = format!("%{}%", key.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
            Expr::col((ci::Entity, ci::Column::NameKey)).like(LikeExpr::new(pattern).escape('\\'))
        }
        _ if key.chars().count() >= 3 => Expr::cust_with_values(
            "configuration_item.id IN (SELECT rowid FROM ci_name_fts WHERE name_key LIKE ?) AND instr(configuration_item.name_key, ?) > 0",
            [format!("%{key}%"), key],
        ),
        _ => Expr::cust_with_values("instr(configuration_item.name_key, ?) > 0", [key]),
    }
}

/// The CI a ticket may be linked to: it must exist and not be retired. Fails on `field`.
pub async fn ticket_ci(db: &impl ConnectionTrait, field: &str, name: &str) -> Result<ci::Model, AppError> {
    let found = find_by_name(db, name).await?.ok_or_else(|| AppError::field(field, format!("Unknown configuration item '{}'", name.trim())))?;
    match CiStatus::parse(&found.status) {
        Ok(status) if !status.accepts_tickets() => Err(AppError::field(field, format!("{} is retired", found.name))),
        _ => Ok(found),
    }
}

/// The short form of CI `id` shown on a ticket.
pub async fn ci_ref(db: &impl ConnectionTrait, id: Option<i64>) -> Result<Option<CiRef>, AppError> {
    Ok(match id {
        Some(id) => ci::Entity::find_by_id(id).one(db).await?.and_then(|c| to_ref(&c)),
        None => None,
    })
}

/// The short form of a CI row.
pub fn to_ref(c: &ci::Model) -> Option<CiRef> {
    Some(CiRef { id: c.id, name: c.name.clone(), class: CiClass::parse(&c.class).ok()?, status: CiStatus::parse(&c.status).ok()? })
}

async fn views(db: &impl ConnectionTrait, rows: Vec<ci::Model>) -> Result<Vec<CiView>, AppError> {
    let services: HashMap<i64, String> = service::Entity::find().all(db).await?.into_iter().map(|s| (s.id, s.name)).collect();
    let groups: HashMap<i64, String> = assignment_group::Entity::find().all(db).await?.into_iter().map(|g| (g.id, g.name)).collect();
    Ok(rows
        .into_iter()
        .filter_map(|c| {
            Some(CiView {
                class: CiClass::parse(&c.class).ok()?,
                status: CiStatus::parse(&c.status).ok()?,
                service_name: c.service_id.and_then(|s| services.get(&s).cloned()),
                support_group_name: c.support_group_id.and_then(|g| groups.get(&g).cloned()),
                id: c.id,
                name: c.name,
                service_id: c.service_id,
                support_group_id: c.support_group_id,
                location: c.location,
                description: c.description,
                version: c.version,
                updated_at: c.updated_at,
            })
        })
        .collect())
}

/// CIs matching `filter`, by name (agents and admins).
pub async fn list_cis(ctx: &AppContext, actor: &Actor, filter: &CiFilter) -> Result<CiPage, AppError> {
    require_staff(actor)?;
    let backend = ctx.db.get_database_backend();
    let mut query = ci::Entity::find();
    let mut by_name = Expr::col((ci::Entity, ci::Column::NameKey));
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        query = query.filter(name_contains(backend, q));
        if backend == DbBackend::Postgres {
            // Sorts the matches the trigram index found. Ordered by the column itself, the planner
            // walks the name index instead and reads every CI when the part is rare.
            by_name = Func::lower(by_name).into();
        }
    }
    if let Some(class) = filter.class.as_deref().filter(|c| !c.trim().is_empty()) {
        query = query.filter(ci::Column::Class.eq(CiClass::parse(class)?.code()));
    }
    if let Some(status) = filter.status.as_deref().filter(|s| !s.trim().is_empty()) {
        query = query.filter(ci::Column::Status.eq(CiStatus::parse(status)?.code()));
    }
    let crate::domain::field::Page { limit, offset } = crate::domain::field::Page::parse(filter.limit, filter.offset, 50, 200)?;
    let rows = query.clone().order_by(by_name, Order::Asc).limit(limit).offset(offset).all(&ctx.db).await?;
    // A page that is not full tells the total by itself (a lookup by most of a name, typically).
    let (total, total_capped) = if (rows.len() as u64) < limit && (offset == 0 || !rows.is_empty()) {
        let n = offset + rows.len() as u64;
        (Ord::min(n, COUNT_CAP), n > COUNT_CAP)
    } else {
        let counted = query.select_only().column(ci::Column::Id).limit(COUNT_CAP + 1).into_query();
        super::tickets::queue::count_rows(&ctx.db, counted, COUNT_CAP).await?
    };
    Ok(CiPage { items: views(&ctx.db, rows).await?, total, total_capped })
}

/// One CI by id (`42`) or name, with its ticket history (agents and admins).
pub async fn get_ci(ctx: &AppContext, actor: &Actor, key: &str) -> Result<CiDetail, AppError> {
    require_staff(actor)?;
    detail(&ctx.db, relationships::find_ci(&ctx.db, key).await?).await
}

async fn detail(db: &impl ConnectionTrait, c: ci::Model) -> Result<CiDetail, AppError> {
    let open: Vec<&str> = TicketState::ALL.into_iter().filter(|s| s.is_open()).map(TicketState::code).collect();
    let open_tickets = ticket::Entity::find().filter(ticket::Column::CiId.eq(c.id)).filter(ticket::Column::State.is_in(open)).count(db).await?;
    let recent = ticket::Entity::find()
        .filter(ticket::Column::CiId.eq(c.id))
        .order_by_desc(ticket::Column::UpdatedAt)
        .limit(HISTORY)
        .all(db)
        .await?
        .into_iter()
        .filter_map(super::tickets::ticket_ref)
        .collect();
    let stats = impact::incident_stats(db, c.id).await?;
    let asset = assets::asset_view(db, c.id).await?;
    let licences = licences::installed_on(db, c.id).await?;
    let ci = views(db, vec![c]).await?.pop().ok_or(AppError::Internal)?;
    Ok(CiDetail { ci, open_tickets, recent_tickets: recent, stats, asset, licences })
}

/// Creates (`id = None`) or changes a CI (admins only). Names are unique, ignoring case. Every
/// changed field is audited on the CI.
pub async fn save_ci(ctx: &AppContext, actor: &Actor, id: Option<i64>, input: CiInput) -> Result<CiDetail, AppError> {
    require_admin(actor)?;
    let mut v = Validator::new();
    let name = v.check(CiName::parse(&input.name));
    let class = v.check(CiClass::parse(&input.class));
    let status = if input.status.trim().is_empty() { Some(CiStatus::InService) } else { v.check(CiStatus::parse(&input.status)) };
    let location = match input.location.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        Some(l) => v.check(bounded_text("location", "Location", l, 1, 120)).map(Some),
        None => Some(None),
    };
    let description = v.check(bounded_text("description", "Description", &input.description, 0, 5_000));
    v.finish()?;
    let (Some(name), Some(class), Some(status), Some(location), Some(description)) = (name, class, status, location, description) else {
        return Err(AppError::Internal);
    };
    let (_w, txn) = ctx.begin_write().await?;
    require_exists::<service::Entity>(&txn, "service_id", "service", input.service_id).await?;
    require_exists::<assignment_group::Entity>(&txn, "support_group_id", "assignment group", input.support_group_id).await?;
    if let Some(other) = find_by_name(&txn, name.as_str()).await?.filter(|o| Some(o.id) != id) {
        return Err(AppError::field("name", format!("A configuration item named '{}' already exists", other.name)));
    }
    let now = Utc::now();
    let fields = [
        ("name", Some(name.as_str().to_string())),
        ("class", Some(class.code().to_string())),
        ("status", Some(status.code().to_string())),
        ("service_id", input.service_id.map(|s| s.to_string())),
        ("support_group_id", input.support_group_id.map(|g| g.to_string())),
        ("location", location.clone()),
        ("description", Some(description.clone())),
    ];
    let values = ci::ActiveModel {
        name: Set(name.as_str().into()),
        name_key: Set(name.key()),
        class: Set(class.code().into()),
        status: Set(status.code().into()),
        service_id: Set(input.service_id),
        support_group_id: Set(input.support_group_id),
        location: Set(location.clone()),
        description: Set(description.clone()),
        updated_at: Set(now),
        ..Default::default()
    };
    let (row, changes): (ci::Model, Vec<(&str, Option<String>, Option<String>)>) = match id {
        Some(id) => {
            let current = ci::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| AppError::NotFound("Configuration item".into()))?;
            let stale = || AppError::Conflict(format!("{} was changed by someone else since you opened it — reload to see the latest version", current.name));
            if input.expected_version.is_some_and(|v| v != current.version) {
                return Err(stale());
            }
            let old = [
                Some(current.name.clone()),
                Some(current.class.clone()),
                Some(current.status.clone()),
                current.service_id.map(|s| s.to_string()),
                current.support_group_id.map(|g| g.to_string()),
                current.location.clone(),
                Some(current.description.clone()),
            ];
            let changes: Vec<_> = fields.iter().zip(old).filter(|((_, new), old)| new != old).map(|((f, new), old)| (*f, old, new.clone())).collect();
            if changes.is_empty() {
                return detail(&txn, current).await;
            }
            let result = ci::Entity::update_many()
                .set(ci::ActiveModel { version: Set(current.version + 1), ..values })
                .filter(ci::Column::Id.eq(id))
                .filter(ci::Column::Version.eq(current.version))
                .exec(&txn)
                .await?;
            if result.rows_affected != 1 {
                return Err(stale());
            }
            (ci::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::Internal)?, changes)
        }
        None => {
            let row = ci::Entity::insert(ci::ActiveModel { version: Set(1), created_at: Set(now), ..values }).exec_with_returning(&txn).await?;
            (row, vec![])
        }
    };
    let created = id.is_none();
    if created {
        journal::audit(&txn, audit(&row, actor, "created", None, None, Some(row.name.clone()), now)).await?;
    }
    for (field, old, new) in &changes {
        journal::audit(&txn, audit(&row, actor, "field_changed", Some(field), old.clone(), new.clone(), now)).await?;
    }
    let seq = journal::append_event(&txn, "ci.saved", "configuration_item", row.id, serde_json::json!({ "name": row.name, "created": created, "ci_ids": [row.id], "actor": actor.display_name, "actor_id": actor.user_id })).await?;
    let out = detail(&txn, row).await?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    Ok(out)
}

fn audit<'a>(
    row: &ci::Model,
    actor: &Actor,
    action: &'a str,
    field: Option<&'a str>,
    old_value: Option<String>,
    new_value: Option<String>,
    at: chrono::DateTime<Utc>,
) -> AuditLine<'a> {
    AuditLine { entity_type: "configuration_item", entity_id: row.id, actor_id: Some(actor.user_id), action, field, old_value, new_value, at }
}
