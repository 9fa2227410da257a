//! Requester organisations: admins create and rename them and place users in them; a ticket
//! records its requester's organisation when raised, and SLA policies may match on it.

use super::authz::{require_admin, require_staff};
use super::entities::{app_user, organisation};
use super::refs::require_exists;
use super::journal::{self, AuditLine};
use super::AppContext;
use crate::domain::field::bounded_text;
use crate::domain::Actor;
use crate::dto::{OrganisationView, UserView};
use crate::error::AppError;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;

/// All organisations by name, with member counts (staff only).
pub async fn list_organisations(ctx: &AppContext, actor: &Actor) -> Result<Vec<OrganisationView>, AppError> {
    require_staff(actor)?;
    let mut members: HashMap<i64, u64> = HashMap::new();
    for org in app_user::Entity::find().filter(app_user::Column::OrganisationId.is_not_null()).all(&ctx.db).await?.into_iter().filter_map(|u| u.organisation_id) {
        *members.entry(org).or_default() += 1;
    }
    Ok(organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|o| OrganisationView { member_count: members.get(&o.id).copied().unwrap_or(0), id: o.id, name: o.name })
        .collect())
}

/// Organisation names by id.
pub async fn names(db: &impl ConnectionTrait) -> Result<HashMap<i64, String>, AppError> {
    Ok(organisation::Entity::find().all(db).await?.into_iter().map(|o| (o.id, o.name)).collect())
}

/// The name of organisation `id`, if any.
pub async fn name_of(db: &impl ConnectionTrait, id: Option<i64>) -> Result<Option<String>, AppError> {
    Ok(match id {
        Some(id) => organisation::Entity::find_by_id(id).one(db).await?.map(|o| o.name),
        None => None,
    })
}

/// Creates (`id = None`) or renames an organisation (admins only). Names are unique, ignoring case.
pub async fn save_organisation(ctx: &AppContext, actor: &Actor, id: Option<i64>, name: &str) -> Result<OrganisationView, AppError> {
    require_admin(actor)?;
    let name = bounded_text("name", "Name", name, 2, 80)?;
    let (_w, txn) = ctx.begin_write().await?;
    let clash = organisation::Entity::find().all(&txn).await?.into_iter().find(|o| o.name.to_lowercase() == name.to_lowercase() && Some(o.id) != id);
    if let Some(other) = clash {
        return Err(AppError::field("name", format!("An organisation named '{}' already exists", other.name)));
    }
    let (row, action, old) = match id {
        Some(id) => {
            let existing = organisation::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| AppError::NotFound("Organisation".into()))?;
            let old = existing.name.clone();
            let mut row: organisation::ActiveModel = existing.into();
            row.name = Set(name);
            (row.update(&txn).await?, "updated", Some(old))
        }
        None => (organisation::ActiveModel { name: Set(name), created_at: Set(Utc::now()), ..Default::default() }.insert(&txn).await?, "created", None),
    };
    let line = AuditLine {
        entity_type: "organisation",
        entity_id: row.id,
        actor_id: Some(actor.user_id),
        action,
        field: Some("name"),
        old_value: old,
        new_value: Some(row.name.clone()),
        at: Utc::now(),
    };
    journal::audit(&txn, line).await?;
    let seq = journal::append_event(&txn, "organisation.saved", "organisation", row.id, serde_json::json!({ "name": row.name })).await?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    list_organisations(ctx, actor).await?.into_iter().find(|o| o.id == row.id).ok_or(AppError::Internal)
}

/// Places a user in an organisation, or takes them out of any (`None`). Admins only. Tickets the
/// user raised before keep the organisation they were raised under.
pub async fn set_user_organisation(ctx: &AppContext, actor: &Actor, user_id: i64, organisation_id: Option<i64>) -> Result<UserView, AppError> {
    require_admin(actor)?;
    let (_w, txn) = ctx.begin_write().await?;
    let user = app_user::Entity::find_by_id(user_id).one(&txn).await?.ok_or_else(|| AppError::NotFound("User".into()))?;
    require_exists::<organisation::Entity>(&txn, "organisation_id", "organisation", organisation_id).await?;
    let org_names = names(&txn).await?;
    let name_of = |id: Option<i64>| id.and_then(|id| org_names.get(&id).cloned());
    let old = name_of(user.organisation_id);
    let mut row: app_user::ActiveModel = user.into();
    row.organisation_id = Set(organisation_id);
    let user = row.update(&txn).await?;
    let line = AuditLine {
        entity_type: "user",
        entity_id: user.id,
        actor_id: Some(actor.user_id),
        action: "field_changed",
        field: Some("organisation"),
        old_value: old,
        new_value: name_of(organisation_id),
        at: Utc::now(),
    };
    journal::audit(&txn, line).await?;
    let seq = journal::append_event(&txn, "user.updated", "user", user.id, serde_json::json!({ "username": user.username, "organisation_id": organisation_id })).await?;
    txn.commit().await?;
    ctx.tokens.clear();
    ctx.notify_committed(seq);
    super::users::user_view(ctx, user_id).await
}
