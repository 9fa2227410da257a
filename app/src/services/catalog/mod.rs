//! The service catalog: items admins build (versioned definitions: form, approval stages,
//! fulfilment tasks), the portal's catalog filtered by audience, ordering ([`order`]), and the
//! fulfilment of what was ordered ([`fulfilment`]). Requests (REQ), requested items (RITM) and
//! fulfilment tasks (TASK) are tickets of the one model; their own lifecycles live in
//! `domain::catalog` and move through [`lifecycle`].

pub mod fulfilment;
mod lifecycle;
pub mod order;

pub use fulfilment::{cancel_item, get_request, my_approvals, my_requests, request_item_view, update_task};
pub use order::{submit_request, OrderLine, RequestOrder};

use crate::domain::catalog::{check_stages, check_tasks, Approvers, FormDefinition, FormField, ItemAudience, StageTemplate, TaskTemplate};
use crate::domain::field::{bounded_text, Validator};
use crate::domain::{Actor, FieldError};
use crate::dto::{CatalogBrowse, CatalogCategory, CatalogItemAdmin, CatalogItemCard, CatalogItemForm};
use crate::error::AppError;
use crate::services::authz::require_admin;
use crate::services::entities::{app_user, assignment_group, catalog_item, catalog_item_version as item_version, category, organisation, request_item, service, sla_policy};
use crate::services::journal::{self, AuditLine};
use crate::services::AppContext;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;

/// Raw input for a catalog item; validated by [`save_item`].
#[derive(Debug, Clone, Default)]
pub struct ItemInput {
    /// 2–120 characters, unique (case ignored).
    pub name: String,
    /// One line, at most 300 characters.
    pub summary: String,
    /// Markdown, at most 20,000 characters.
    pub description: String,
    /// Icon code: 1–32 of `a-z`, `-` (empty: `box`).
    pub icon: String,
    /// Business service.
    pub service_id: Option<i64>,
    /// Category.
    pub category_id: Option<i64>,
    /// Who may order it.
    pub audience: ItemAudience,
    /// Delivery target: the SLA policy its requested items run under.
    pub sla_policy_id: Option<i64>,
    /// The group that fulfils it.
    pub group_id: Option<i64>,
    /// Orderable (false: retired).
    pub active: bool,
    /// The form's fields in order.
    pub form: Vec<FormField>,
    /// Approval stages in order.
    pub approvals: Vec<StageTemplate>,
    /// Fulfilment tasks.
    pub tasks: Vec<TaskTemplate>,
    /// Refuse the change if the item's version is no longer this one.
    pub expected_version: Option<i32>,
}

/// An item's current definition, read back from its stored version.
pub(crate) struct Definition {
    pub version: item_version::Model,
    pub form: FormDefinition,
    pub approvals: Vec<StageTemplate>,
    pub tasks: Vec<TaskTemplate>,
}

impl Definition {
    /// Reads a stored version (written by [`save_item`], so well formed; a broken one is logged).
    pub(crate) fn read(version: item_version::Model) -> Result<Self, AppError> {
        let bad = |e: serde_json::Error| {
            tracing::error!(version = version.id, error = %e, "stored catalog item version is invalid");
            AppError::Internal
        };
        Ok(Self {
            form: FormDefinition { fields: serde_json::from_str(&version.form).map_err(bad)? },
            approvals: serde_json::from_str(&version.approvals).map_err(bad)?,
            tasks: serde_json::from_str(&version.tasks).map_err(bad)?,
            version,
        })
    }
}

pub(crate) async fn definition(db: &impl ConnectionTrait, version_id: i64) -> Result<Definition, AppError> {
    Definition::read(item_version::Entity::find_by_id(version_id).one(db).await?.ok_or(AppError::Internal)?)
}

async fn found(db: &impl ConnectionTrait, id: i64) -> Result<catalog_item::Model, AppError> {
    catalog_item::Entity::find_by_id(id).one(db).await?.ok_or_else(|| AppError::NotFound("Catalog item".into()))
}

pub(crate) fn audience_of(i: &catalog_item::Model) -> ItemAudience {
    serde_json::from_str(&i.audience).unwrap_or_else(|e| {
        tracing::error!(item = i.id, error = %e, "stored catalog audience is invalid; showing the item to admins only");
        ItemAudience { roles: vec![crate::domain::Role::Admin], organisation_ids: vec![] }
    })
}

/// Words for a delivery target of `minutes` of business time.
fn delivery_words(minutes: i32) -> String {
    let hours = (minutes.max(0) as f64 / 60.0).ceil() as i64;
    if hours < 48 {
        format!("within {hours} business hours")
    } else {
        format!("within {} days", hours / 24)
    }
}

/// Names used on cards, loaded once per listing.
struct Names {
    categories: HashMap<i64, String>,
    services: HashMap<i64, String>,
    policies: HashMap<i64, i32>,
}

impl Names {
    async fn load(db: &impl ConnectionTrait) -> Result<Self, AppError> {
        Ok(Self {
            categories: category::Entity::find().all(db).await?.into_iter().map(|c| (c.id, c.name)).collect(),
            services: service::Entity::find().all(db).await?.into_iter().map(|s| (s.id, s.name)).collect(),
            policies: sla_policy::Entity::find().all(db).await?.into_iter().map(|p| (p.id, p.resolution_minutes)).collect(),
        })
    }

    fn card(&self, i: &catalog_item::Model, needs_approval: bool) -> CatalogItemCard {
        CatalogItemCard {
            id: i.id,
            name: i.name.clone(),
            summary: i.summary.clone(),
            icon: i.icon.clone(),
            category_id: i.category_id,
            category_name: i.category_id.and_then(|c| self.categories.get(&c).cloned()),
            service_name: i.service_id.and_then(|s| self.services.get(&s).cloned()),
            needs_approval,
            delivery: i.sla_policy_id.and_then(|p| self.policies.get(&p)).map(|m| delivery_words(*m)),
        }
    }
}

/// Whether each version id's definition asks for approval.
async fn approval_flags(db: &impl ConnectionTrait, version_ids: Vec<i64>) -> Result<HashMap<i64, bool>, AppError> {
    if version_ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(item_version::Entity::find()
        .filter(item_version::Column::Id.is_in(version_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v.approvals.trim() != "[]"))
        .collect())
}

/// The items `actor` may order, by category (active items whose audience admits them).
pub async fn browse(ctx: &AppContext, actor: &Actor) -> Result<CatalogBrowse, AppError> {
    let items: Vec<catalog_item::Model> = catalog_item::Entity::find()
        .filter(catalog_item::Column::Active.eq(true))
        .order_by_asc(catalog_item::Column::NameKey)
        .all(&ctx.db)
        .await?
        .into_iter()
        .filter(|i| audience_of(i).admits(actor))
        .collect();
    let names = Names::load(&ctx.db).await?;
    let flags = approval_flags(&ctx.db, items.iter().filter_map(|i| i.current_version_id).collect()).await?;
    let mut categories: Vec<CatalogCategory> = Vec::new();
    for i in &items {
        let card = names.card(i, i.current_version_id.and_then(|v| flags.get(&v).copied()).unwrap_or(false));
        let (id, name) = (card.category_id, card.category_name.clone().unwrap_or_else(|| "Other".into()));
        match categories.iter_mut().find(|c| c.id == id && c.name == name) {
            Some(c) => c.items.push(card),
            None => categories.push(CatalogCategory { id, name, items: vec![card] }),
        }
    }
    categories.sort_by(|a, b| (a.id.is_none(), a.name.to_lowercase()).cmp(&(b.id.is_none(), b.name.to_lowercase())));
    Ok(CatalogBrowse { categories })
}

/// The cards of items `ids` that `actor` may order, in the order given (search results).
pub async fn cards(ctx: &AppContext, actor: &Actor, ids: &[i64]) -> Result<Vec<CatalogItemCard>, AppError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let rows: HashMap<i64, catalog_item::Model> = catalog_item::Entity::find()
        .filter(catalog_item::Column::Id.is_in(ids.to_vec()))
        .filter(catalog_item::Column::Active.eq(true))
        .all(&ctx.db)
        .await?
        .into_iter()
        .filter(|i| audience_of(i).admits(actor))
        .map(|i| (i.id, i))
        .collect();
    let names = Names::load(&ctx.db).await?;
    let flags = approval_flags(&ctx.db, rows.values().filter_map(|i| i.current_version_id).collect()).await?;
    Ok(ids.iter().filter_map(|id| rows.get(id)).map(|i| names.card(i, i.current_version_id.and_then(|v| flags.get(&v).copied()).unwrap_or(false))).collect())
}

/// An item's order form (active items whose audience admits `actor`; admins see retired ones).
pub async fn item_form(ctx: &AppContext, actor: &Actor, id: i64) -> Result<CatalogItemForm, AppError> {
    let i = found(&ctx.db, id).await?;
    if !(audience_of(&i).admits(actor) && (i.active || actor.is_admin())) {
        return Err(AppError::NotFound("Catalog item".into()));
    }
    let d = definition(&ctx.db, i.current_version_id.ok_or(AppError::Internal)?).await?;
    let names = Names::load(&ctx.db).await?;
    Ok(CatalogItemForm {
        item: names.card(&i, !d.approvals.is_empty()),
        description_html: crate::services::markdown::render(&i.description),
        form_version: d.version.number,
        form: d.form,
        stages: d.approvals.into_iter().map(|s| s.name).collect(),
    })
}

/// Every item, retired ones too, for admins.
pub async fn list_items(ctx: &AppContext, actor: &Actor) -> Result<Vec<CatalogItemAdmin>, AppError> {
    require_admin(actor)?;
    let mut out = Vec::new();
    for i in catalog_item::Entity::find().order_by_asc(catalog_item::Column::NameKey).all(&ctx.db).await? {
        out.push(admin_view(&ctx.db, i).await?);
    }
    Ok(out)
}

/// One item as an admin edits it.
pub async fn get_item(ctx: &AppContext, actor: &Actor, id: i64) -> Result<CatalogItemAdmin, AppError> {
    require_admin(actor)?;
    admin_view(&ctx.db, found(&ctx.db, id).await?).await
}

async fn admin_view(db: &impl ConnectionTrait, i: catalog_item::Model) -> Result<CatalogItemAdmin, AppError> {
    let d = definition(db, i.current_version_id.ok_or(AppError::Internal)?).await?;
    let requested = request_item::Entity::find().filter(request_item::Column::CatalogItemId.eq(i.id)).count(db).await?;
    Ok(CatalogItemAdmin {
        audience: audience_of(&i),
        id: i.id,
        name: i.name,
        summary: i.summary,
        description: i.description,
        icon: i.icon,
        service_id: i.service_id,
        category_id: i.category_id,
        sla_policy_id: i.sla_policy_id,
        group_id: i.group_id,
        active: i.active,
        form_version: d.version.number,
        form: d.form.fields,
        approvals: d.approvals,
        tasks: d.tasks,
        requested,
        version: i.version,
        updated_at: i.updated_at,
    })
}

fn icon_ok(icon: &str) -> bool {
    (1..=32).contains(&icon.len()) && icon.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
}

/// Creates (`id` none) or changes a catalog item (admins). A changed form, stage list or task
/// list makes a new version of the definition; requests keep the version they were made with.
/// Every changed property is audited on the item.
pub async fn save_item(ctx: &AppContext, actor: &Actor, id: Option<i64>, input: ItemInput) -> Result<CatalogItemAdmin, AppError> {
    require_admin(actor)?;
    let mut v = Validator::new();
    let name = v.check(bounded_text("name", "Name", &input.name, 2, 120));
    let summary = v.check(bounded_text("summary", "Summary", &input.summary, 0, 300));
    let description = v.check(bounded_text("description", "Description", &input.description, 0, 20_000));
    let icon = match input.icon.trim() {
        "" => "box".to_string(),
        i if icon_ok(i) => i.to_string(),
        _ => {
            v.check::<()>(Err(FieldError::new("icon", "An icon code is 1 to 32 of a-z and -")));
            String::new()
        }
    };
    let mut errors: Vec<FieldError> = Vec::new();
    let form = match FormDefinition::parse(input.form.clone()) {
        Ok(f) => Some(f),
        Err(e) => {
            errors.extend(e.into_iter().map(|e| FieldError::new(format!("form.{}", e.field), e.message)));
            None
        }
    };
    errors.extend(check_stages(&input.approvals));
    errors.extend(check_tasks(&input.tasks));
    for e in errors {
        v.check::<()>(Err(e));
    }
    v.finish()?;
    let (Some(name), Some(summary), Some(description), Some(form)) = (name, summary, description, form) else { return Err(AppError::Internal) };
    let db = &ctx.db;
    let mut refs = Validator::new();
    let missing = |field: String, what: &str| FieldError::new(field, format!("Unknown {what}"));
    if let Some(s) = input.service_id {
        if service::Entity::find_by_id(s).one(db).await?.is_none() {
            refs.check::<()>(Err(missing("service_id".into(), "service")));
        }
    }
    if let Some(c) = input.category_id {
        if category::Entity::find_by_id(c).one(db).await?.is_none() {
            refs.check::<()>(Err(missing("category_id".into(), "category")));
        }
    }
    if let Some(p) = input.sla_policy_id {
        if sla_policy::Entity::find_by_id(p).one(db).await?.is_none() {
            refs.check::<()>(Err(missing("sla_policy_id".into(), "SLA policy")));
        }
    }
    let groups: HashMap<i64, String> = assignment_group::Entity::find().all(db).await?.into_iter().map(|g| (g.id, g.name)).collect();
    if input.group_id.is_some_and(|g| !groups.contains_key(&g)) {
        refs.check::<()>(Err(missing("group_id".into(), "assignment group")));
    }
    for (n, o) in input.audience.organisation_ids.iter().enumerate() {
        if organisation::Entity::find_by_id(*o).one(db).await?.is_none() {
            refs.check::<()>(Err(missing(format!("audience.organisation_ids.{n}"), "organisation")));
        }
    }
    for (n, s) in input.approvals.iter().enumerate() {
        match &s.approvers {
            Approvers::Manager => {}
            Approvers::Group { group_id } if !groups.contains_key(group_id) => {
                refs.check::<()>(Err(missing(format!("approvals.{n}.approvers"), "assignment group")));
            }
            Approvers::Group { .. } => {}
            Approvers::Users { user_ids } => {
                let active = app_user::Entity::find().filter(app_user::Column::Id.is_in(user_ids.clone())).filter(app_user::Column::Active.eq(true)).count(db).await?;
                let mut unique = user_ids.clone();
                unique.sort_unstable();
                unique.dedup();
                if active != unique.len() as u64 {
                    refs.check::<()>(Err(FieldError::new(format!("approvals.{n}.approvers"), "Every approver must be an active user")));
                }
            }
        }
    }
    for (n, t) in input.tasks.iter().enumerate() {
        if t.group_id.is_some_and(|g| !groups.contains_key(&g)) {
            refs.check::<()>(Err(missing(format!("tasks.{n}.group_id"), "assignment group")));
        }
        if t.group_id.is_none() && input.group_id.is_none() {
            refs.check::<()>(Err(FieldError::new(format!("tasks.{n}.group_id"), "Choose the group that does this task, or the item's fulfilment group")));
        }
    }
    refs.finish()?;
    let key = name.to_lowercase();
    let clash = catalog_item::Entity::find().filter(catalog_item::Column::NameKey.eq(key.clone())).one(db).await?;
    if clash.is_some_and(|c| Some(c.id) != id) {
        return Err(AppError::field("name", "Another catalog item has this name"));
    }
    let (form_json, approvals_json, tasks_json) = (to_json(&form.fields)?, to_json(&input.approvals)?, to_json(&input.tasks)?);
    let now = Utc::now();
    let (_turn, txn) = ctx.begin_write().await?;
    let current = match id {
        Some(id) => {
            let i = found(&txn, id).await?;
            if input.expected_version.is_some_and(|e| e != i.version) {
                return Err(AppError::Conflict(format!("{} was changed by someone else since you opened it — reload to see the latest version", i.name)));
            }
            Some(i)
        }
        None => None,
    };
    let audience_json = to_json(&input.audience)?;
    let mut row = catalog_item::ActiveModel {
        name: Set(name.clone()),
        name_key: Set(key),
        summary: Set(summary.clone()),
        description: Set(description.clone()),
        icon: Set(icon.clone()),
        service_id: Set(input.service_id),
        category_id: Set(input.category_id),
        audience: Set(audience_json.clone()),
        sla_policy_id: Set(input.sla_policy_id),
        group_id: Set(input.group_id),
        active: Set(input.active),
        updated_at: Set(now),
        ..Default::default()
    };
    let mut changed: Vec<(&'static str, Option<String>, Option<String>)> = Vec::new();
    let item = match &current {
        None => {
            row.version = Set(1);
            row.created_at = Set(now);
            let item = row.insert(&txn).await?;
            changed.push(("created", None, Some(item.name.clone())));
            item
        }
        Some(c) => {
            let pairs: [(&'static str, String, String); 10] = [
                ("name", c.name.clone(), name.clone()),
                ("summary", c.summary.clone(), summary.clone()),
                ("description", c.description.clone(), description.clone()),
                ("icon", c.icon.clone(), icon.clone()),
                ("service", format!("{:?}", c.service_id), format!("{:?}", input.service_id)),
                ("category", format!("{:?}", c.category_id), format!("{:?}", input.category_id)),
                ("audience", c.audience.clone(), audience_json.clone()),
                ("delivery_target", format!("{:?}", c.sla_policy_id), format!("{:?}", input.sla_policy_id)),
                ("group", format!("{:?}", c.group_id), format!("{:?}", input.group_id)),
                ("active", c.active.to_string(), input.active.to_string()),
            ];
            for (field, old, new) in pairs {
                if old != new {
                    let long = matches!(field, "description" | "audience");
                    changed.push((field, (!long).then_some(old), (!long).then_some(new)));
                }
            }
            row.id = Set(c.id);
            row.version = Set(c.version + 1);
            row.current_version_id = Set(c.current_version_id);
            row.created_at = Set(c.created_at);
            let done = catalog_item::Entity::update_many()
                .set(row)
                .filter(catalog_item::Column::Id.eq(c.id))
                .filter(catalog_item::Column::Version.eq(c.version))
                .exec(&txn)
                .await?;
            if done.rows_affected != 1 {
                return Err(AppError::Conflict(format!("{} was changed by someone else since you opened it — reload to see the latest version", c.name)));
            }
            found(&txn, c.id).await?
        }
    };
    let last = match item.current_version_id {
        Some(v) => item_version::Entity::find_by_id(v).one(&txn).await?,
        None => None,
    };
    let same = last.as_ref().is_some_and(|l| l.form == form_json && l.approvals == approvals_json && l.tasks == tasks_json);
    if !same {
        let number = last.as_ref().map_or(1, |l| l.number + 1);
        let version = item_version::ActiveModel {
            item_id: Set(item.id),
            number: Set(number),
            form: Set(form_json),
            approvals: Set(approvals_json),
            tasks: Set(tasks_json),
            created_at: Set(now),
            created_by_id: Set(Some(actor.user_id)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        catalog_item::Entity::update_many()
            .col_expr(catalog_item::Column::CurrentVersionId, sea_orm::sea_query::Expr::value(version.id))
            .filter(catalog_item::Column::Id.eq(item.id))
            .exec(&txn)
            .await?;
        changed.push(("definition_version", last.map(|l| l.number.to_string()), Some(number.to_string())));
    }
    let lines = changed
        .iter()
        .map(|(field, old, new)| AuditLine {
            entity_type: "catalog_item",
            entity_id: item.id,
            actor_id: Some(actor.user_id),
            action: if *field == "created" { "created" } else { "field_changed" },
            field: (*field != "created").then_some(*field),
            old_value: old.clone(),
            new_value: new.clone(),
            at: now,
        })
        .collect();
    journal::audit_many(&txn, lines).await?;
    let seq = journal::append_event(&txn, "catalog_item.saved", "catalog_item", item.id, serde_json::json!({ "name": item.name, "actor_id": actor.user_id })).await?;
    let view = admin_view(&txn, found(&txn, item.id).await?).await?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    Ok(view)
}

/// A part of a definition as stored (one spelling, compared to spot changes).
fn to_json<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|_| AppError::Internal)
}
