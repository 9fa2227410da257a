//! The asset record of a CI (lifecycle, tag, serial, owner, vendor, purchase, warranty and
//! lease), the expiry notices that tell a support group before a warranty, lease or licence runs
//! out, and the report of what needs an admin's attention.
//!
//! A notice is a row in `expiry_notice` scheduled when the date is saved, fired once by
//! [`fire_due_notices`] (marked before it acts, in the transaction that notifies, as SLA timers
//! are): changing a date replaces its unfired notice; re-saving the same date after its notice
//! fired does not fire it again.

use super::licences;
use super::relationships::find_ci;
use super::AppContext;
use crate::domain::cmdb::asset::check_not_before_purchase;
use crate::domain::cmdb::{AssetLifecycle, AssetTag, Expiry, ExpiryKind, Money, NoticeDays};
use crate::domain::field::{bounded_text, parse_day, Validator};
use crate::domain::{Actor, FieldError};
use crate::dto::{AssetReport, AssetView, CiDetail, ExpiringAsset};
use crate::error::AppError;
use crate::services::authz::require_admin;
use crate::services::entities::{app_user, assignment_group, ci_asset, configuration_item as ci, expiry_notice, group_member, notification, software_licence};
use crate::services::journal::{self, AuditLine};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;

/// What notices about an asset are filed under.
pub(super) const ASSET: &str = "ci_asset";
/// What notices about a licence are filed under.
pub(super) const LICENCE: &str = "software_licence";

/// Raw input for a CI's asset record; validated by [`save_asset`]. Empty strings mean "none".
#[derive(Debug, Clone, Default)]
pub struct AssetInput {
    /// Lifecycle stage code or label (required).
    pub lifecycle: String,
    /// Asset tag (unique, case ignored).
    pub asset_tag: String,
    /// Serial number.
    pub serial_number: String,
    /// The owner's email.
    pub owner_email: String,
    /// Vendor.
    pub vendor: String,
    /// `YYYY-MM-DD`.
    pub purchase_date: String,
    /// Amount, e.g. `1299.50`.
    pub cost: String,
    /// `YYYY-MM-DD`.
    pub warranty_end: String,
    /// `YYYY-MM-DD`.
    pub lease_end: String,
    /// Days of notice before an end (1–365, default 30).
    pub notice_days: String,
    /// Refuse the change if the asset record's version is no longer this one (0: it must not
    /// exist yet).
    pub expected_version: Option<i32>,
}

fn optional(raw: &str) -> Option<&str> {
    Some(raw.trim()).filter(|s| !s.is_empty())
}

fn optional_day(v: &mut Validator, field: &str, raw: &str) -> Option<Option<NaiveDate>> {
    match optional(raw) {
        Some(d) => v.check(parse_day(field, d)).map(Some),
        None => Some(None),
    }
}

fn optional_text(v: &mut Validator, field: &str, label: &str, raw: &str, max: usize) -> Option<Option<String>> {
    match optional(raw) {
        Some(t) => v.check(bounded_text(field, label, t, 1, max)).map(Some),
        None => Some(None),
    }
}

/// A checked asset record.
struct Checked {
    lifecycle: AssetLifecycle,
    tag: Option<AssetTag>,
    serial: Option<String>,
    owner_email: Option<String>,
    vendor: Option<String>,
    purchased: Option<NaiveDate>,
    cost: Option<Money>,
    warranty_end: Option<NaiveDate>,
    lease_end: Option<NaiveDate>,
    notice: NoticeDays,
}

fn check(input: &AssetInput) -> Result<Checked, AppError> {
    let mut v = Validator::new();
    let lifecycle = v.check(AssetLifecycle::parse(&input.lifecycle));
    let tag = match optional(&input.asset_tag) {
        Some(t) => v.check(AssetTag::parse(t)).map(Some),
        None => Some(None),
    };
    let serial = optional_text(&mut v, "serial_number", "Serial number", &input.serial_number, 80);
    let owner_email = optional_text(&mut v, "owner_email", "Owner", &input.owner_email, 254);
    let vendor = optional_text(&mut v, "vendor", "Vendor", &input.vendor, 120);
    let purchased = optional_day(&mut v, "purchase_date", &input.purchase_date);
    let cost = match optional(&input.cost) {
        Some(c) => v.check(Money::parse("cost", c)).map(Some),
        None => Some(None),
    };
    let warranty_end = optional_day(&mut v, "warranty_end", &input.warranty_end);
    let lease_end = optional_day(&mut v, "lease_end", &input.lease_end);
    let notice = v.check(NoticeDays::parse(&input.notice_days));
    if let (Some(bought), Some(w)) = (purchased, warranty_end) {
        v.check(check_not_before_purchase("warranty_end", "Warranty end", w, bought));
    }
    if let (Some(bought), Some(l)) = (purchased, lease_end) {
        v.check(check_not_before_purchase("lease_end", "Lease end", l, bought));
    }
    v.finish()?;
    match (lifecycle, tag, serial, owner_email, vendor, purchased, cost, warranty_end, lease_end, notice) {
        (Some(lifecycle), Some(tag), Some(serial), Some(owner_email), Some(vendor), Some(purchased), Some(cost), Some(warranty_end), Some(lease_end), Some(notice)) => {
            Ok(Checked { lifecycle, tag, serial, owner_email, vendor, purchased, cost, warranty_end, lease_end, notice })
        }
        _ => Err(AppError::Internal),
    }
}

/// The user whose email is `email` (case ignored), for `field`.
async fn user_by_email(db: &impl ConnectionTrait, field: &str, email: &str) -> Result<app_user::Model, AppError> {
    let key = email.trim().to_lowercase();
    app_user::Entity::find()
        .filter(Expr::expr(Func::lower(Expr::col((app_user::Entity, app_user::Column::Email)))).eq(key))
        .one(db)
        .await?
        .ok_or_else(|| AppError::field(field, format!("No user has the email '{}'", email.trim())))
}

/// Records or changes the asset record of CI `key` (admins only). The lifecycle moves by its
/// table ([`AssetLifecycle::check_move`]); a new stage sets the CI's status to match (audited
/// like any CI change); every changed field is audited on the CI; warranty and lease notices are
/// scheduled again.
pub async fn save_asset(ctx: &AppContext, actor: &Actor, key: &str, input: AssetInput) -> Result<CiDetail, AppError> {
    require_admin(actor)?;
    let c = check(&input)?;
    let (_w, txn) = ctx.begin_write().await?;
    let item = find_ci(&txn, key).await?;
    let current = ci_asset::Entity::find_by_id(item.id).one(&txn).await?;
    let stale = || AppError::Conflict(format!("The asset record of {} was changed by someone else since you opened it — reload to see the latest version", item.name));
    match (&current, input.expected_version) {
        (Some(cur), Some(v)) if v != cur.version => return Err(stale()),
        (None, Some(v)) if v != 0 => return Err(stale()),
        _ => {}
    }
    if let Some(cur) = &current {
        if let Ok(was) = AssetLifecycle::parse(&cur.lifecycle) {
            was.check_move(c.lifecycle)?;
        }
    }
    if let Some(tag) = &c.tag {
        let taken = ci_asset::Entity::find().filter(ci_asset::Column::AssetTagKey.eq(tag.key())).filter(ci_asset::Column::CiId.ne(item.id)).one(&txn).await?;
        if let Some(other) = taken {
            let name = ci::Entity::find_by_id(other.ci_id).one(&txn).await?.map(|o| o.name).unwrap_or_default();
            return Err(AppError::field("asset_tag", format!("Asset tag {} is already on {name}", tag.as_str())));
        }
    }
    let owner = match &c.owner_email {
        Some(email) => Some(user_by_email(&txn, "owner_email", email).await?),
        None => None,
    };
    let now = Utc::now();
    let fields: [(&str, Option<String>); 10] = [
        ("lifecycle", Some(c.lifecycle.code().to_string())),
        ("asset_tag", c.tag.as_ref().map(|t| t.as_str().to_string())),
        ("serial_number", c.serial.clone()),
        ("owner", owner.as_ref().map(|o| o.id.to_string())),
        ("vendor", c.vendor.clone()),
        ("purchase_date", c.purchased.map(|d| d.to_string())),
        ("cost", c.cost.map(|m| m.to_string())),
        ("warranty_end", c.warranty_end.map(|d| d.to_string())),
        ("lease_end", c.lease_end.map(|d| d.to_string())),
        ("notice_days", Some(c.notice.days().to_string())),
    ];
    let old: [Option<String>; 10] = match &current {
        Some(cur) => [
            Some(cur.lifecycle.clone()),
            cur.asset_tag.clone(),
            cur.serial_number.clone(),
            cur.owner_id.map(|o| o.to_string()),
            cur.vendor.clone(),
            cur.purchase_date.map(|d| d.to_string()),
            cur.cost_cents.map(|m| Money::from_cents(m).to_string()),
            cur.warranty_end.map(|d| d.to_string()),
            cur.lease_end.map(|d| d.to_string()),
            Some(cur.notice_days.to_string()),
        ],
        None => Default::default(),
    };
    let changes: Vec<(&str, Option<String>, Option<String>)> = fields.iter().zip(old).filter(|((_, new), old)| new != old).map(|((f, new), old)| (*f, old, new.clone())).collect();
    if changes.is_empty() && current.is_some() {
        return super::detail(&txn, item).await;
    }
    let values = ci_asset::ActiveModel {
        ci_id: Set(item.id),
        lifecycle: Set(c.lifecycle.code().into()),
        asset_tag: Set(c.tag.as_ref().map(|t| t.as_str().to_string())),
        asset_tag_key: Set(c.tag.as_ref().map(AssetTag::key)),
        serial_number: Set(c.serial.clone()),
        owner_id: Set(owner.as_ref().map(|o| o.id)),
        vendor: Set(c.vendor.clone()),
        purchase_date: Set(c.purchased),
        cost_cents: Set(c.cost.map(Money::cents)),
        warranty_end: Set(c.warranty_end),
        lease_end: Set(c.lease_end),
        notice_days: Set(c.notice.days() as i32),
        updated_at: Set(now),
        version: Set(current.as_ref().map_or(1, |cur| cur.version + 1)),
    };
    match &current {
        Some(cur) => {
            let result = ci_asset::Entity::update_many().set(values).filter(ci_asset::Column::CiId.eq(item.id)).filter(ci_asset::Column::Version.eq(cur.version)).exec(&txn).await?;
            if result.rows_affected != 1 {
                return Err(stale());
            }
        }
        None => {
            ci_asset::Entity::insert(values).exec_without_returning(&txn).await?;
        }
    }
    let ci_id = item.id;
    let line = |action: &'static str, field: Option<&'static str>, old: Option<String>, new: Option<String>| AuditLine {
        entity_type: "configuration_item",
        entity_id: ci_id,
        actor_id: Some(actor.user_id),
        action,
        field,
        old_value: old,
        new_value: new,
        at: now,
    };
    let mut lines = Vec::new();
    if current.is_none() {
        lines.push(line("asset_recorded", None, None, Some(c.lifecycle.code().to_string())));
    }
    for (field, old, new) in changes.iter().cloned() {
        lines.push(line("field_changed", Some(field), old, new));
    }
    let moved = current.as_ref().is_none_or(|cur| cur.lifecycle != c.lifecycle.code());
    let status = c.lifecycle.ci_status();
    let mut item = item;
    if moved && item.status != status.code() {
        let result = ci::Entity::update_many()
            .col_expr(ci::Column::Status, Expr::value(status.code()))
            .col_expr(ci::Column::Version, Expr::value(item.version + 1))
            .col_expr(ci::Column::UpdatedAt, Expr::value(now))
            .filter(ci::Column::Id.eq(item.id))
            .filter(ci::Column::Version.eq(item.version))
            .exec(&txn)
            .await?;
        if result.rows_affected != 1 {
            return Err(AppError::Conflict(format!("{} was changed by someone else — reload and try again", item.name)));
        }
        lines.push(line("field_changed", Some("status"), Some(item.status.clone()), Some(status.code().to_string())));
        item = ci::Entity::find_by_id(item.id).one(&txn).await?.ok_or(AppError::Internal)?;
    }
    journal::audit_many(&txn, lines).await?;
    let watched = c.lifecycle.watches_expiry();
    let dates = [(ExpiryKind::Warranty, c.warranty_end), (ExpiryKind::Lease, c.lease_end)];
    let expiries: Vec<Expiry> = dates.into_iter().filter(|_| watched).filter_map(|(kind, end)| end.map(|ends_on| Expiry { kind, ends_on })).collect();
    schedule(&txn, ASSET, item.id, &expiries, c.notice, now).await?;
    let seq = journal::append_event(&txn, "ci.asset_saved", "configuration_item", item.id, serde_json::json!({ "name": item.name, "ci_ids": [item.id], "actor": actor.display_name, "actor_id": actor.user_id })).await?;
    let out = super::detail(&txn, item).await?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    Ok(out)
}

/// Replaces the unfired notices of `subject` by one per expiry still ahead. A date whose notice
/// already fired is not noticed again.
pub(super) async fn schedule(txn: &DatabaseTransaction, subject_type: &str, subject_id: i64, expiries: &[Expiry], notice: NoticeDays, now: DateTime<Utc>) -> Result<(), AppError> {
    let of_subject = Condition::all().add(expiry_notice::Column::SubjectType.eq(subject_type)).add(expiry_notice::Column::SubjectId.eq(subject_id));
    expiry_notice::Entity::delete_many().filter(of_subject.clone()).filter(expiry_notice::Column::FiredAt.is_null()).exec(txn).await?;
    let fired = expiry_notice::Entity::find().filter(of_subject).all(txn).await?;
    for e in expiries.iter().filter(|e| e.worth_notice(now)) {
        if fired.iter().any(|f| f.kind == e.kind.code() && f.ends_on == e.ends_on) {
            continue;
        }
        expiry_notice::ActiveModel {
            subject_type: Set(subject_type.into()),
            subject_id: Set(subject_id),
            kind: Set(e.kind.code().into()),
            ends_on: Set(e.ends_on),
            due_at: Set(e.notice_due(notice)),
            fired_at: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// The asset record of CI `ci_id`, if it has one.
pub(super) async fn asset_view(db: &impl ConnectionTrait, ci_id: i64) -> Result<Option<AssetView>, AppError> {
    let Some(a) = ci_asset::Entity::find_by_id(ci_id).one(db).await? else { return Ok(None) };
    let owner = match a.owner_id {
        Some(id) => app_user::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    Ok(Some(AssetView {
        ci_id: a.ci_id,
        lifecycle: AssetLifecycle::parse(&a.lifecycle).map_err(|_| AppError::Internal)?,
        asset_tag: a.asset_tag,
        serial_number: a.serial_number,
        owner_id: a.owner_id,
        owner_name: owner.as_ref().map(|o| o.display_name.clone()),
        owner_email: owner.map(|o| o.email),
        vendor: a.vendor,
        purchase_date: a.purchase_date,
        cost: a.cost_cents.map(|c| Money::from_cents(c).to_string()),
        warranty_end: a.warranty_end,
        lease_end: a.lease_end,
        notice_days: NoticeDays::from_stored(a.notice_days).days(),
        version: a.version,
        updated_at: a.updated_at,
    }))
}

/// Fires the expiry notices due at `now`: each one notifies the members and manager of the
/// support group of its CI or licence (every admin when there is no group or nobody in it),
/// audits the notice on its record and tells live pages. Returns how many fired. Safe on several
/// nodes: a notice is marked fired in the transaction that acts on it.
pub async fn fire_due_notices(ctx: &AppContext, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut fired = 0;
    loop {
        let (_w, txn) = ctx.begin_write().await?;
        let ids = crate::services::timers::due_ids(&txn, "expiry_notice", now).await?;
        if ids.is_empty() {
            return Ok(fired);
        }
        let mut last_seq = None;
        for id in ids {
            let marked = expiry_notice::Entity::update_many()
                .col_expr(expiry_notice::Column::FiredAt, Expr::value(now))
                .filter(expiry_notice::Column::Id.eq(id))
                .filter(expiry_notice::Column::FiredAt.is_null())
                .exec(&txn)
                .await?;
            if marked.rows_affected != 1 {
                continue;
            }
            let Some(notice) = expiry_notice::Entity::find_by_id(id).one(&txn).await? else { continue };
            if let Some(seq) = act_on(&txn, &notice, now).await? {
                last_seq = Some(seq);
                fired += 1;
            }
        }
        txn.commit().await?;
        if let Some(seq) = last_seq {
            ctx.notify_committed(seq);
        }
    }
}

/// Who is told about something supported by `group`: its members and manager, or every active
/// admin when that is nobody.
async fn recipients(txn: &DatabaseTransaction, group: Option<i64>) -> Result<Vec<i64>, AppError> {
    let mut users = Vec::new();
    if let Some(g) = group {
        users.extend(group_member::Entity::find().filter(group_member::Column::GroupId.eq(g)).all(txn).await?.into_iter().map(|m| m.user_id));
        users.extend(assignment_group::Entity::find_by_id(g).one(txn).await?.and_then(|g| g.manager_id));
    }
    if users.is_empty() {
        users.extend(app_user::Entity::find().filter(app_user::Column::Role.eq("admin")).filter(app_user::Column::Active.eq(true)).all(txn).await?.into_iter().map(|u| u.id));
    }
    users.sort_unstable();
    users.dedup();
    Ok(users)
}

async fn act_on(txn: &DatabaseTransaction, notice: &expiry_notice::Model, now: DateTime<Utc>) -> Result<Option<i64>, AppError> {
    let Ok(kind) = ExpiryKind::parse(&notice.kind) else { return Ok(None) };
    let expiry = Expiry { kind, ends_on: notice.ends_on };
    let (name, group, entity_type, event) = if notice.subject_type == ASSET {
        let Some(item) = ci::Entity::find_by_id(notice.subject_id).one(txn).await? else { return Ok(None) };
        (item.name, item.support_group_id, "configuration_item", "ci.expiry_notice")
    } else {
        let Some(l) = software_licence::Entity::find_by_id(notice.subject_id).one(txn).await? else { return Ok(None) };
        (l.product, l.support_group_id, LICENCE, "licence.expiry_notice")
    };
    let message = expiry.message(&name, now.date_naive());
    let notify_kind = format!("{}_expiry", kind.code());
    let to = recipients(txn, group).await?;
    if !to.is_empty() {
        let rows: Vec<notification::ActiveModel> = to
            .iter()
            .map(|user| notification::ActiveModel {
                user_id: Set(*user),
                ticket_id: Set(None),
                kind: Set(notify_kind.clone()),
                message: Set(message.clone()),
                created_at: Set(now),
                read_at: Set(None),
                ..Default::default()
            })
            .collect();
        notification::Entity::insert_many(rows).exec(txn).await?;
    }
    let field = match kind {
        ExpiryKind::Warranty => "warranty_end",
        ExpiryKind::Lease => "lease_end",
        ExpiryKind::Licence => "expires_on",
    };
    journal::audit(txn, AuditLine { entity_type, entity_id: notice.subject_id, actor_id: None, action: "expiry_notice", field: Some(field), old_value: None, new_value: Some(notice.ends_on.to_string()), at: now }).await?;
    let ci_ids: Vec<i64> = if notice.subject_type == ASSET { vec![notice.subject_id] } else { vec![] };
    let seq = journal::append_event(txn, event, entity_type, notice.subject_id, serde_json::json!({ "name": name, "kind": kind.code(), "ends_on": notice.ends_on, "ci_ids": ci_ids, "notified": to.len() })).await?;
    Ok(Some(seq))
}

/// What needs an admin's attention within `days` of today (default 90, 1–730): warranties and
/// leases of assets still in use, and licences, that end in the next `days` days or ended in the
/// last `days` days; licences installed on more CIs than they have seats.
pub async fn report(ctx: &AppContext, actor: &Actor, days: Option<u32>, today: NaiveDate) -> Result<AssetReport, AppError> {
    require_admin(actor)?;
    let days = days.unwrap_or(90);
    if !(1..=730).contains(&days) {
        return Err(FieldError::new("days", "Between 1 and 730").into());
    }
    let (from, to) = (today - chrono::Duration::days(days.into()), today + chrono::Duration::days(days.into()));
    let watched: Vec<&str> = AssetLifecycle::ALL.iter().filter(|l| l.watches_expiry()).map(|l| l.code()).collect();
    let rows = ci_asset::Entity::find()
        .filter(ci_asset::Column::Lifecycle.is_in(watched))
        .filter(Condition::any().add(ci_asset::Column::WarrantyEnd.between(from, to)).add(ci_asset::Column::LeaseEnd.between(from, to)))
        .all(&ctx.db)
        .await?;
    let items: HashMap<i64, ci::Model> = ci::Entity::find().filter(ci::Column::Id.is_in(rows.iter().map(|r| r.ci_id))).all(&ctx.db).await?.into_iter().map(|c| (c.id, c)).collect();
    let groups: HashMap<i64, String> = assignment_group::Entity::find().all(&ctx.db).await?.into_iter().map(|g| (g.id, g.name)).collect();
    let mut expiring_assets = Vec::new();
    for r in &rows {
        let Some(item) = items.get(&r.ci_id) else { continue };
        let Some(ci_ref) = super::to_ref(item) else { continue };
        for (kind, end) in [(ExpiryKind::Warranty, r.warranty_end), (ExpiryKind::Lease, r.lease_end)] {
            let Some(ends_on) = end.filter(|e| (from..=to).contains(e)) else { continue };
            expiring_assets.push(ExpiringAsset {
                ci: ci_ref.clone(),
                asset_tag: r.asset_tag.clone(),
                kind,
                ends_on,
                days_left: Expiry { kind, ends_on }.days_left(today),
                support_group_name: item.support_group_id.and_then(|g| groups.get(&g).cloned()),
            });
        }
    }
    expiring_assets.sort_by(|a, b| (a.ends_on, &a.ci.name).cmp(&(b.ends_on, &b.ci.name)));
    let all = licences::views(&ctx.db, software_licence::Entity::find().order_by_asc(software_licence::Column::ProductKey).all(&ctx.db).await?, today).await?;
    let mut expiring_licences: Vec<_> = all.iter().filter(|l| l.expires_on.is_some_and(|e| (from..=to).contains(&e))).cloned().collect();
    expiring_licences.sort_by_key(|l| l.expires_on);
    let mut over_used_licences: Vec<_> = all.into_iter().filter(|l| l.over_use > 0).collect();
    over_used_licences.sort_by(|a, b| b.over_use.cmp(&a.over_use).then_with(|| a.product.cmp(&b.product)));
    Ok(AssetReport { days, expiring_assets, expiring_licences, over_used_licences })
}
