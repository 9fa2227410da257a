//! Relationships between CIs and redundancy sets: listed for staff, added and removed by admins.
//! Every change is version-checked on the CI it is made from, moves both CIs' versions on, is
//! audited on both and sends one `ci.related` / `ci.unrelated` event naming both.

use super::super::authz::{require_admin, require_staff};
use super::super::entities::{ci_redundancy_set as set, ci_relationship as rel, configuration_item as ci};
use super::super::journal::{self, AuditLine};
use super::super::AppContext;
use super::{find_by_name, to_ref};
use crate::domain::cmdb::relationship::{parse_min_up, parse_set_name};
use crate::domain::cmdb::{RelationshipKind, RelationshipType};
use crate::domain::field::Validator;
use crate::domain::{Actor, CiStatus};
use crate::dto::{CiRef, RedundancyView, RelationshipList, RelationshipView};
use crate::error::AppError;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set};
use std::collections::HashMap;

/// Raw input for a new relationship; validated by [`add_relationship`].
#[derive(Debug, Clone, Default)]
pub struct RelationshipInput {
    /// Type read from the CI it is added to: `depends_on`, `used_by`, `runs_on`, `runs`, …
    pub rel_type: String,
    /// The other CI, by id or name.
    pub target: String,
    /// Puts the relationship in this redundancy set of the CI that depends (created if new).
    pub redundancy_set: Option<String>,
    /// The set's "at least k up" (default: kept, or 1 for a new set).
    pub min_up: Option<i64>,
    /// Refuse the change if the CI's version is no longer this one.
    pub expected_version: Option<i32>,
}

/// The CI named `key` (case ignored) or, when no CI has that name, with id `key`.
pub(super) async fn lookup(db: &impl ConnectionTrait, key: &str) -> Result<Option<ci::Model>, AppError> {
    let key = key.trim();
    if let Some(found) = find_by_name(db, key).await? {
        return Ok(Some(found));
    }
    Ok(match key.parse::<i64>() {
        Ok(id) => ci::Entity::find_by_id(id).one(db).await?,
        Err(_) => None,
    })
}

/// The CI named (or with id) `key`, or a 404.
pub(super) async fn find_ci(db: &impl ConnectionTrait, key: &str) -> Result<ci::Model, AppError> {
    lookup(db, key).await?.ok_or_else(|| AppError::NotFound("Configuration item".into()))
}

/// A CI's relationships and redundancy sets (agents and admins).
pub async fn list_relationships(ctx: &AppContext, actor: &Actor, key: &str) -> Result<RelationshipList, AppError> {
    require_staff(actor)?;
    let c = find_ci(&ctx.db, key).await?;
    listing(&ctx.db, c).await
}

async fn listing(db: &impl ConnectionTrait, c: ci::Model) -> Result<RelationshipList, AppError> {
    let rows = rel::Entity::find().filter(Condition::any().add(rel::Column::FromCiId.eq(c.id)).add(rel::Column::ToCiId.eq(c.id))).all(db).await?;
    let others: Vec<i64> = rows.iter().map(|r| if r.from_ci_id == c.id { r.to_ci_id } else { r.from_ci_id }).collect();
    let names: HashMap<i64, CiRef> = ci::Entity::find().filter(ci::Column::Id.is_in(others)).all(db).await?.iter().filter_map(to_ref).map(|r| (r.id, r)).collect();
    let sets = sets_of(db, c.id).await?;
    let mut items: Vec<RelationshipView> = rows
        .into_iter()
        .filter_map(|r| {
            let kind = RelationshipKind::from_code(&r.kind)?;
            let seen = RelationshipType::seen_from(kind, r.from_ci_id, c.id);
            let other = if r.from_ci_id == c.id { r.to_ci_id } else { r.from_ci_id };
            Some(RelationshipView {
                id: r.id,
                rel_type: seen.code().into(),
                label: seen.label().into(),
                other: names.get(&other)?.clone(),
                redundancy: r.redundancy_set_id.filter(|_| r.from_ci_id == c.id).and_then(|s| sets.iter().find(|v| v.id == s).cloned()),
                created_at: r.created_at,
            })
        })
        .collect();
    let order = |t: &str| RelationshipType::all().iter().position(|x| x.code() == t).unwrap_or(usize::MAX);
    items.sort_by(|a, b| (order(&a.rel_type), a.other.name.to_lowercase()).cmp(&(order(&b.rel_type), b.other.name.to_lowercase())));
    let ci = to_ref(&c).ok_or(AppError::Internal)?;
    Ok(RelationshipList { ci, version: c.version, items, redundancy_sets: sets })
}

async fn sets_of(db: &impl ConnectionTrait, ci_id: i64) -> Result<Vec<RedundancyView>, AppError> {
    let found = set::Entity::find().filter(set::Column::CiId.eq(ci_id)).all(db).await?;
    let mut members: HashMap<i64, u32> = HashMap::new();
    if !found.is_empty() {
        let ids: Vec<Option<i64>> = rel::Entity::find()
            .select_only()
            .column(rel::Column::RedundancySetId)
            .filter(rel::Column::RedundancySetId.is_in(found.iter().map(|s| s.id)))
            .into_tuple()
            .all(db)
            .await?;
        for id in ids.into_iter().flatten() {
            *members.entry(id).or_default() += 1;
        }
    }
    let mut out: Vec<RedundancyView> = found
        .into_iter()
        .map(|s| RedundancyView { id: s.id, members: members.get(&s.id).copied().unwrap_or(0), name: s.name, min_up: Ord::max(s.min_up, 0) as u32 })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Relates CI `key` to another (admins). 422 on `type` (unknown), `target` (unknown, itself,
/// retired, already related so), `redundancy_set` / `min_up`; 409 on a stale version.
pub async fn add_relationship(ctx: &AppContext, actor: &Actor, key: &str, input: RelationshipInput) -> Result<RelationshipList, AppError> {
    require_admin(actor)?;
    let mut v = Validator::new();
    let rel_type = v.check(RelationshipType::parse(&input.rel_type));
    let target_key = input.target.trim();
    if target_key.is_empty() {
        v.check::<()>(Err(crate::domain::FieldError::new("target", "Choose the configuration item to relate to")));
    }
    let set_name = match input.redundancy_set.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(name) => v.check(parse_set_name(name)).map(Some),
        None => Some(None),
    };
    if let (Some(t), Some(Some(_))) = (rel_type, &set_name) {
        if t.inverse || !t.kind.carries_failure() {
            v.check::<()>(Err(crate::domain::FieldError::new(
                "redundancy_set",
                "Only the CI that depends, runs, is hosted or contains can group its relationships in a redundancy set",
            )));
        }
    }
    if input.min_up.is_some() && matches!(set_name, Some(None)) {
        v.check::<()>(Err(crate::domain::FieldError::new("min_up", "Give the redundancy set the minimum applies to")));
    }
    v.finish()?;
    let (Some(rel_type), Some(set_name)) = (rel_type, set_name) else { return Err(AppError::Internal) };

    let (_w, txn) = ctx.begin_write().await?;
    let this = find_ci(&txn, key).await?;
    let stale = || AppError::Conflict(format!("{} was changed by someone else since you opened it — reload to see the latest version", this.name));
    if input.expected_version.is_some_and(|v| v != this.version) {
        return Err(stale());
    }
    let target = lookup(&txn, target_key)
        .await?
        .ok_or_else(|| AppError::field("target", format!("Unknown configuration item '{target_key}'")))?;
    if target.id == this.id {
        return Err(AppError::field("target", "A configuration item cannot be related to itself"));
    }
    if CiStatus::parse(&target.status).is_ok_and(|s| !s.accepts_tickets()) {
        return Err(AppError::field("target", format!("{} is retired", target.name)));
    }
    let (from, to) = rel_type.stored_ends(this.id, target.id);
    let exists = rel::Entity::find()
        .filter(rel::Column::FromCiId.eq(from))
        .filter(rel::Column::ToCiId.eq(to))
        .filter(rel::Column::Kind.eq(rel_type.kind.code()))
        .one(&txn)
        .await?;
    if exists.is_some() {
        return Err(AppError::field("target", format!("{} already {} {}", this.name, rel_type.label().to_lowercase(), target.name)));
    }
    let now = Utc::now();
    let mut audits: Vec<(i64, &str, String, Option<String>, Option<String>)> = Vec::new();
    let set_id = match set_name {
        Some(name) => {
            let found = set::Entity::find().filter(set::Column::CiId.eq(this.id)).filter(set::Column::Name.eq(name.as_str())).one(&txn).await?;
            let members = match &found {
                Some(s) => rel::Entity::find().filter(rel::Column::RedundancySetId.eq(s.id)).count(&txn).await? as usize,
                None => 0,
            } + 1;
            let min_up = match input.min_up {
                Some(k) => parse_min_up(k, members).map_err(|e| AppError::Validation(vec![e]))?,
                None => found.as_ref().map(|s| Ord::max(s.min_up, 1) as u32).unwrap_or(1),
            };
            match found {
                Some(s) => {
                    if s.min_up != min_up as i32 {
                        audits.push((this.id, "redundancy_changed", format!("redundancy:{name}"), Some(s.min_up.to_string()), Some(min_up.to_string())));
                        set::Entity::update_many().col_expr(set::Column::MinUp, Expr::value(min_up as i32)).filter(set::Column::Id.eq(s.id)).exec(&txn).await?;
                    }
                    Some(s.id)
                }
                None => {
                    audits.push((this.id, "redundancy_changed", format!("redundancy:{name}"), None, Some(min_up.to_string())));
                    let row = set::ActiveModel { ci_id: Set(this.id), name: Set(name.clone()), min_up: Set(min_up as i32), created_at: Set(now), ..Default::default() }
                        .insert(&txn)
                        .await?;
                    Some(row.id)
                }
            }
        }
        None => None,
    };
    let row = rel::ActiveModel {
        from_ci_id: Set(from),
        to_ci_id: Set(to),
        kind: Set(rel_type.kind.code().into()),
        redundancy_set_id: Set(set_id),
        created_by: Set(Some(actor.user_id)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audits.push((this.id, "relationship_added", rel_type.code().into(), None, Some(target.name.clone())));
    audits.push((target.id, "relationship_added", rel_type.flipped().code().into(), None, Some(this.name.clone())));
    bump_versions(&txn, &this, target.id, now).await.map_err(|e| if matches!(e, AppError::Conflict(_)) { stale() } else { e })?;
    let payload = serde_json::json!({ "relationship_id": row.id, "ci_ids": [this.id, target.id], "type": rel_type.code(), "actor": actor.display_name, "actor_id": actor.user_id });
    finish(ctx, txn, actor, &this, audits, "ci.related", payload, now).await
}

/// Removes relationship `relationship_id` of CI `key` (admins). A redundancy set left empty goes
/// too; one left with fewer members than its minimum has the minimum lowered to its members.
pub async fn remove_relationship(ctx: &AppContext, actor: &Actor, key: &str, relationship_id: i64, expected_version: Option<i32>) -> Result<RelationshipList, AppError> {
    require_admin(actor)?;
    let (_w, txn) = ctx.begin_write().await?;
    let this = find_ci(&txn, key).await?;
    let stale = || AppError::Conflict(format!("{} was changed by someone else since you opened it — reload to see the latest version", this.name));
    if expected_version.is_some_and(|v| v != this.version) {
        return Err(stale());
    }
    let row = rel::Entity::find_by_id(relationship_id)
        .one(&txn)
        .await?
        .filter(|r| r.from_ci_id == this.id || r.to_ci_id == this.id)
        .ok_or_else(|| AppError::NotFound("Relationship".into()))?;
    let kind = RelationshipKind::from_code(&row.kind).ok_or(AppError::Internal)?;
    let other_id = if row.from_ci_id == this.id { row.to_ci_id } else { row.from_ci_id };
    let other = ci::Entity::find_by_id(other_id).one(&txn).await?.ok_or(AppError::Internal)?;
    let seen = RelationshipType::seen_from(kind, row.from_ci_id, this.id);
    let now = Utc::now();
    rel::Entity::delete_by_id(row.id).exec(&txn).await?;
    let mut audits: Vec<(i64, &str, String, Option<String>, Option<String>)> = vec![
        (this.id, "relationship_removed", seen.code().into(), Some(other.name.clone()), None),
        (other.id, "relationship_removed", seen.flipped().code().into(), Some(this.name.clone()), None),
    ];
    if let Some(set_id) = row.redundancy_set_id {
        if let Some(s) = set::Entity::find_by_id(set_id).one(&txn).await? {
            let left = rel::Entity::find().filter(rel::Column::RedundancySetId.eq(set_id)).count(&txn).await? as i32;
            let field = format!("redundancy:{}", s.name);
            if left == 0 {
                set::Entity::delete_by_id(set_id).exec(&txn).await?;
                audits.push((s.ci_id, "redundancy_changed", field, Some(s.min_up.to_string()), None));
            } else if s.min_up > left {
                set::Entity::update_many().col_expr(set::Column::MinUp, Expr::value(left)).filter(set::Column::Id.eq(set_id)).exec(&txn).await?;
                audits.push((s.ci_id, "redundancy_changed", field, Some(s.min_up.to_string()), Some(left.to_string())));
            }
        }
    }
    bump_versions(&txn, &this, other.id, now).await.map_err(|e| if matches!(e, AppError::Conflict(_)) { stale() } else { e })?;
    let payload = serde_json::json!({ "relationship_id": row.id, "ci_ids": [this.id, other.id], "type": seen.code(), "actor": actor.display_name, "actor_id": actor.user_id });
    finish(ctx, txn, actor, &this, audits, "ci.unrelated", payload, now).await
}

/// Moves both CIs' versions on: `this` only from the version read (a concurrent change fails).
async fn bump_versions(txn: &impl ConnectionTrait, this: &ci::Model, other: i64, now: chrono::DateTime<Utc>) -> Result<(), AppError> {
    let moved = ci::Entity::update_many()
        .col_expr(ci::Column::Version, Expr::value(this.version + 1))
        .col_expr(ci::Column::UpdatedAt, Expr::value(now))
        .filter(ci::Column::Id.eq(this.id))
        .filter(ci::Column::Version.eq(this.version))
        .exec(txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::Conflict(String::new()));
    }
    ci::Entity::update_many()
        .col_expr(ci::Column::Version, Expr::col(ci::Column::Version).add(1))
        .col_expr(ci::Column::UpdatedAt, Expr::value(now))
        .filter(ci::Column::Id.eq(other))
        .exec(txn)
        .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn finish(
    ctx: &AppContext,
    txn: sea_orm::DatabaseTransaction,
    actor: &Actor,
    this: &ci::Model,
    audits: Vec<(i64, &str, String, Option<String>, Option<String>)>,
    kind: &str,
    payload: serde_json::Value,
    now: chrono::DateTime<Utc>,
) -> Result<RelationshipList, AppError> {
    let lines = audits
        .iter()
        .map(|(entity_id, action, field, old_value, new_value)| AuditLine {
            entity_type: "configuration_item",
            entity_id: *entity_id,
            actor_id: Some(actor.user_id),
            action,
            field: Some(field.as_str()),
            old_value: old_value.clone(),
            new_value: new_value.clone(),
            at: now,
        })
        .collect();
    journal::audit_many(&txn, lines).await?;
    let seq = journal::append_event(&txn, kind, "configuration_item", this.id, payload).await?;
    let fresh = ci::Entity::find_by_id(this.id).one(&txn).await?.ok_or(AppError::Internal)?;
    let out = listing(&txn, fresh).await?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    Ok(out)
}
