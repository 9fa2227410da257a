//! Software licences: a product's seats and expiry, and the CIs it is installed on (one seat
//! each). Over-use (more installations than seats) is allowed — installs happen before the paper
//! work — and listed for admins in [`super::assets::report`].

use super::assets::{schedule, LICENCE};
use super::relationships::lookup;
use super::{to_ref, AppContext};
use crate::domain::cmdb::{Expiry, ExpiryKind, NoticeDays, Seats};
use crate::domain::field::{bounded_text, parse_day, Validator};
use crate::domain::{Actor, CiStatus};
use crate::dto::{CiRef, InstallationView, LicenceDetail, LicenceList, LicenceRef, LicenceView};
use crate::error::AppError;
use crate::services::authz::{require_admin, require_staff};
use crate::services::entities::{assignment_group, configuration_item as ci, licence_installation as inst, software_licence as lic};
use crate::services::journal::{self, AuditLine};
use crate::services::refs::require_exists;
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::HashMap;

/// Raw input for a licence; validated by [`save_licence`]. Empty strings mean "none".
#[derive(Debug, Clone, Default)]
pub struct LicenceInput {
    /// Product and edition (unique, case ignored).
    pub product: String,
    /// Publisher or reseller.
    pub vendor: String,
    /// Seats bought.
    pub seats: String,
    /// Last valid day, `YYYY-MM-DD` (empty: perpetual).
    pub expires_on: String,
    /// Group told before it expires.
    pub support_group_id: Option<i64>,
    /// Days of notice (1–365, default 30).
    pub notice_days: String,
    /// Free text.
    pub notes: String,
    /// Refuse the change if the licence's version is no longer this one.
    pub expected_version: Option<i32>,
}

/// Every licence by product, with its use (agents and admins).
pub async fn list_licences(ctx: &AppContext, actor: &Actor) -> Result<LicenceList, AppError> {
    require_staff(actor)?;
    let rows = lic::Entity::find().order_by_asc(lic::Column::ProductKey).all(&ctx.db).await?;
    Ok(LicenceList { items: views(&ctx.db, rows, Utc::now().date_naive()).await? })
}

/// One licence with its installations (agents and admins).
pub async fn get_licence(ctx: &AppContext, actor: &Actor, id: i64) -> Result<LicenceDetail, AppError> {
    require_staff(actor)?;
    detail(&ctx.db, found(&ctx.db, id).await?).await
}

async fn found(db: &impl ConnectionTrait, id: i64) -> Result<lic::Model, AppError> {
    lic::Entity::find_by_id(id).one(db).await?.ok_or_else(|| AppError::NotFound("Licence".into()))
}

/// Licence rows as views, with their installation counts as of `today`.
pub(super) async fn views(db: &impl ConnectionTrait, rows: Vec<lic::Model>, today: NaiveDate) -> Result<Vec<LicenceView>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|l| l.id).collect();
    let counts: HashMap<i64, i64> = if ids.is_empty() {
        HashMap::new()
    } else {
        inst::Entity::find()
            .select_only()
            .column(inst::Column::LicenceId)
            .column_as(inst::Column::Id.count(), "n")
            .filter(inst::Column::LicenceId.is_in(ids))
            .group_by(inst::Column::LicenceId)
            .into_tuple::<(i64, i64)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    let groups: HashMap<i64, String> = assignment_group::Entity::find().all(db).await?.into_iter().map(|g| (g.id, g.name)).collect();
    Ok(rows
        .into_iter()
        .map(|l| {
            let seats = u32::try_from(l.seats).unwrap_or(0);
            let installed = counts.get(&l.id).copied().unwrap_or(0).max(0) as u64;
            LicenceView {
                over_use: installed.saturating_sub(seats.into()),
                days_left: l.expires_on.map(|e| Expiry { kind: ExpiryKind::Licence, ends_on: e }.days_left(today)),
                support_group_name: l.support_group_id.and_then(|g| groups.get(&g).cloned()),
                id: l.id,
                product: l.product,
                vendor: l.vendor,
                seats,
                installed,
                expires_on: l.expires_on,
                support_group_id: l.support_group_id,
                notice_days: NoticeDays::from_stored(l.notice_days).days(),
                notes: l.notes,
                version: l.version,
                updated_at: l.updated_at,
            }
        })
        .collect())
}

async fn detail(db: &impl ConnectionTrait, l: lic::Model) -> Result<LicenceDetail, AppError> {
    let rows = inst::Entity::find().filter(inst::Column::LicenceId.eq(l.id)).all(db).await?;
    let cis: HashMap<i64, CiRef> = ci::Entity::find().filter(ci::Column::Id.is_in(rows.iter().map(|r| r.ci_id))).all(db).await?.iter().filter_map(to_ref).map(|r| (r.id, r)).collect();
    let mut installations: Vec<InstallationView> = rows.into_iter().filter_map(|r| Some(InstallationView { ci: cis.get(&r.ci_id)?.clone(), installed_at: r.installed_at })).collect();
    installations.sort_by(|a, b| a.ci.name.to_lowercase().cmp(&b.ci.name.to_lowercase()));
    let licence = views(db, vec![l], Utc::now().date_naive()).await?.pop().ok_or(AppError::Internal)?;
    Ok(LicenceDetail { licence, installations })
}

/// The licences installed on CI `ci_id`, by product.
pub(super) async fn installed_on(db: &impl ConnectionTrait, ci_id: i64) -> Result<Vec<LicenceRef>, AppError> {
    let ids: Vec<i64> = inst::Entity::find().filter(inst::Column::CiId.eq(ci_id)).all(db).await?.into_iter().map(|r| r.licence_id).collect();
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(lic::Entity::find().filter(lic::Column::Id.is_in(ids)).order_by_asc(lic::Column::ProductKey).all(db).await?.into_iter().map(|l| LicenceRef { id: l.id, product: l.product }).collect())
}

/// Creates (`id = None`) or changes a licence (admins only). Products are unique, ignoring case;
/// every changed field is audited; the expiry notice is scheduled again.
pub async fn save_licence(ctx: &AppContext, actor: &Actor, id: Option<i64>, input: LicenceInput) -> Result<LicenceDetail, AppError> {
    require_admin(actor)?;
    let mut v = Validator::new();
    let product = v.check(bounded_text("product", "Product", &input.product, 2, 120));
    let vendor = match input.vendor.trim() {
        "" => Some(None),
        t => v.check(bounded_text("vendor", "Vendor", t, 1, 120)).map(Some),
    };
    let seats = v.check(Seats::parse(&input.seats));
    let expires_on = match input.expires_on.trim() {
        "" => Some(None),
        d => v.check(parse_day("expires_on", d)).map(Some),
    };
    let notice = v.check(NoticeDays::parse(&input.notice_days));
    let notes = v.check(bounded_text("notes", "Notes", &input.notes, 0, 5_000));
    v.finish()?;
    let (Some(product), Some(vendor), Some(seats), Some(expires_on), Some(notice), Some(notes)) = (product, vendor, seats, expires_on, notice, notes) else {
        return Err(AppError::Internal);
    };
    let (_w, txn) = ctx.begin_write().await?;
    require_exists::<assignment_group::Entity>(&txn, "support_group_id", "assignment group", input.support_group_id).await?;
    let key = product.to_lowercase();
    if let Some(other) = lic::Entity::find().filter(lic::Column::ProductKey.eq(key.clone())).one(&txn).await?.filter(|o| Some(o.id) != id) {
        return Err(AppError::field("product", format!("A licence for '{}' already exists", other.product)));
    }
    let now = Utc::now();
    let fields = [
        ("product", Some(product.clone())),
        ("vendor", vendor.clone()),
        ("seats", Some(seats.count().to_string())),
        ("expires_on", expires_on.map(|d| d.to_string())),
        ("support_group_id", input.support_group_id.map(|g| g.to_string())),
        ("notice_days", Some(notice.days().to_string())),
        ("notes", Some(notes.clone())),
    ];
    let values = lic::ActiveModel {
        product: Set(product.clone()),
        product_key: Set(key),
        vendor: Set(vendor.clone()),
        seats: Set(seats.count() as i32),
        expires_on: Set(expires_on),
        support_group_id: Set(input.support_group_id),
        notice_days: Set(notice.days() as i32),
        notes: Set(notes.clone()),
        updated_at: Set(now),
        ..Default::default()
    };
    let (row, changes): (lic::Model, Vec<(&str, Option<String>, Option<String>)>) = match id {
        Some(id) => {
            let current = found(&txn, id).await?;
            if input.expected_version.is_some_and(|v| v != current.version) {
                return Err(stale(&current));
            }
            let old = [
                Some(current.product.clone()),
                current.vendor.clone(),
                Some(current.seats.to_string()),
                current.expires_on.map(|d| d.to_string()),
                current.support_group_id.map(|g| g.to_string()),
                Some(current.notice_days.to_string()),
                Some(current.notes.clone()),
            ];
            let changes: Vec<_> = fields.iter().zip(old).filter(|((_, new), old)| new != old).map(|((f, new), old)| (*f, old, new.clone())).collect();
            if changes.is_empty() {
                return detail(&txn, current).await;
            }
            let result = lic::Entity::update_many().set(lic::ActiveModel { version: Set(current.version + 1), ..values }).filter(lic::Column::Id.eq(id)).filter(lic::Column::Version.eq(current.version)).exec(&txn).await?;
            if result.rows_affected != 1 {
                return Err(stale(&current));
            }
            (found(&txn, id).await?, changes)
        }
        None => (lic::Entity::insert(lic::ActiveModel { version: Set(1), created_at: Set(now), ..values }).exec_with_returning(&txn).await?, vec![]),
    };
    let mut lines = Vec::new();
    if id.is_none() {
        lines.push(line(row.id, actor, "created", None, None, Some(row.product.clone()), now));
    }
    for (field, old, new) in changes {
        lines.push(line(row.id, actor, "field_changed", Some(field), old, new, now));
    }
    journal::audit_many(&txn, lines).await?;
    let expiries: Vec<Expiry> = row.expires_on.map(|ends_on| Expiry { kind: ExpiryKind::Licence, ends_on }).into_iter().collect();
    schedule(&txn, LICENCE, row.id, &expiries, notice, now).await?;
    let seq = event(&txn, "licence.saved", &row, actor, &[]).await?;
    let out = detail(&txn, row).await?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    Ok(out)
}

fn line<'a>(id: i64, actor: &Actor, action: &'a str, field: Option<&'a str>, old: Option<String>, new: Option<String>, at: chrono::DateTime<Utc>) -> AuditLine<'a> {
    AuditLine { entity_type: LICENCE, entity_id: id, actor_id: Some(actor.user_id), action, field, old_value: old, new_value: new, at }
}

async fn event(txn: &DatabaseTransaction, kind: &str, l: &lic::Model, actor: &Actor, ci_ids: &[i64]) -> Result<i64, AppError> {
    Ok(journal::append_event(txn, kind, LICENCE, l.id, serde_json::json!({ "product": l.product, "licence_id": l.id, "ci_ids": ci_ids, "actor": actor.display_name, "actor_id": actor.user_id })).await?)
}

/// The error of a change made to an older version of `l`.
fn stale(l: &lic::Model) -> AppError {
    AppError::Conflict(format!("The licence for {} was changed by someone else since you opened it — reload to see the latest version", l.product))
}

/// Moves a licence's version on after a change to its installations (refusing a stale one).
async fn touch(txn: &DatabaseTransaction, l: &lic::Model, expected: Option<i32>) -> Result<(), AppError> {
    if expected.is_some_and(|v| v != l.version) {
        return Err(stale(l));
    }
    let result = lic::Entity::update_many()
        .col_expr(lic::Column::Version, Expr::value(l.version + 1))
        .col_expr(lic::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(lic::Column::Id.eq(l.id))
        .filter(lic::Column::Version.eq(l.version))
        .exec(txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(stale(l));
    }
    Ok(())
}

/// Records licence `id` as installed on the CI named (or with id) `ci_key` (admins only). An
/// unknown, retired or already-counted CI is a 422 on `ci`; going over the seats is allowed and
/// shows as over-use. Audited on the licence and on the CI.
pub async fn add_installation(ctx: &AppContext, actor: &Actor, id: i64, ci_key: &str, expected_version: Option<i32>) -> Result<LicenceDetail, AppError> {
    require_admin(actor)?;
    if ci_key.trim().is_empty() {
        return Err(AppError::field("ci", "Choose the configuration item it is installed on"));
    }
    let (_w, txn) = ctx.begin_write().await?;
    let l = found(&txn, id).await?;
    let item = lookup(&txn, ci_key).await?.ok_or_else(|| AppError::field("ci", format!("Unknown configuration item '{}'", ci_key.trim())))?;
    if CiStatus::parse(&item.status).is_ok_and(|s| !s.accepts_tickets()) {
        return Err(AppError::field("ci", format!("{} is retired", item.name)));
    }
    if inst::Entity::find().filter(inst::Column::LicenceId.eq(l.id)).filter(inst::Column::CiId.eq(item.id)).count(&txn).await? > 0 {
        return Err(AppError::field("ci", format!("{} is already installed on {}", l.product, item.name)));
    }
    touch(&txn, &l, expected_version).await?;
    let now = Utc::now();
    inst::Entity::insert(inst::ActiveModel { licence_id: Set(l.id), ci_id: Set(item.id), installed_at: Set(now), ..Default::default() }).exec_without_returning(&txn).await?;
    journal::audit_many(
        &txn,
        vec![
            line(l.id, actor, "installation_added", Some("ci"), None, Some(item.name.clone()), now),
            AuditLine { entity_type: "configuration_item", entity_id: item.id, actor_id: Some(actor.user_id), action: "licence_installed", field: Some("licence"), old_value: None, new_value: Some(l.product.clone()), at: now },
        ],
    )
    .await?;
    let seq = event(&txn, "licence.installed", &l, actor, &[item.id]).await?;
    let out = detail(&txn, found(&txn, id).await?).await?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    Ok(out)
}

/// Removes the installation of licence `id` on CI `ci_id` (admins only); 404 when there is none.
pub async fn remove_installation(ctx: &AppContext, actor: &Actor, id: i64, ci_id: i64, expected_version: Option<i32>) -> Result<LicenceDetail, AppError> {
    require_admin(actor)?;
    let (_w, txn) = ctx.begin_write().await?;
    let l = found(&txn, id).await?;
    let gone = inst::Entity::delete_many().filter(inst::Column::LicenceId.eq(l.id)).filter(inst::Column::CiId.eq(ci_id)).exec(&txn).await?;
    if gone.rows_affected == 0 {
        return Err(AppError::NotFound("Installation".into()));
    }
    touch(&txn, &l, expected_version).await?;
    let name = ci::Entity::find_by_id(ci_id).one(&txn).await?.map(|c| c.name).unwrap_or_else(|| ci_id.to_string());
    let now = Utc::now();
    journal::audit_many(
        &txn,
        vec![
            line(l.id, actor, "installation_removed", Some("ci"), Some(name), None, now),
            AuditLine { entity_type: "configuration_item", entity_id: ci_id, actor_id: Some(actor.user_id), action: "licence_removed", field: Some("licence"), old_value: Some(l.product.clone()), new_value: None, at: now },
        ],
    )
    .await?;
    let seq = event(&txn, "licence.uninstalled", &l, actor, &[ci_id]).await?;
    let out = detail(&txn, found(&txn, id).await?).await?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    Ok(out)
}
