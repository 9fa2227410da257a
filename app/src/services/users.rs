//! User administration: list users and groups, create users. Admin-only.

use super::authz::{require_admin, require_staff};
use super::entities::{app_user, assignment_group, group_member, organisation};
use super::refs::require_exists;
use super::journal::{self, AuditLine};
use super::{auth, AppContext};
use crate::domain::field::Validator;
use crate::domain::{Actor, DisplayName, Email, Password, Role, Username};
use crate::dto::{GroupView, UserView};
use crate::error::AppError;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;

/// Raw input for a new user, validated here.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    /// Login name.
    pub username: String,
    /// Name shown to others.
    pub display_name: String,
    /// E-mail address.
    pub email: String,
    /// `requester`, `agent` or `admin`.
    pub role: String,
    /// Clear-text password (hashed with argon2 before storing).
    pub password: String,
    /// Assignment groups to join.
    pub group_ids: Vec<i64>,
    /// The organisation the user belongs to.
    pub organisation_id: Option<i64>,
}


/// Creates a user (admins only). Used by the admin page, and by the CLI with a system actor.
pub async fn create_user(ctx: &AppContext, actor: Option<&Actor>, input: NewUser) -> Result<UserView, AppError> {
    if let Some(actor) = actor {
        require_admin(actor)?;
    }
    let mut v = Validator::new();
    let username = v.check(Username::parse(&input.username));
    let display_name = v.check(DisplayName::parse(&input.display_name));
    let email = v.check(Email::parse(&input.email));
    let role = v.check(Role::parse(&input.role));
    let password = v.check(Password::parse(&input.password));
    v.finish()?;
    let (Some(username), Some(display_name), Some(email), Some(role), Some(password)) =
        (username, display_name, email, role, password)
    else {
        return Err(AppError::Internal);
    };
    let password_hash = auth::hash_password_off_thread(ctx, password.expose()).await?;

    let (_w, txn) = ctx.begin_write().await?;
    let taken = app_user::Entity::find()
        .filter(app_user::Column::Username.eq(username.as_str()))
        .count(&txn)
        .await?
        > 0;
    if taken {
        return Err(AppError::field("username", format!("Username '{}' is already taken", username.as_str())));
    }
    let groups = if input.group_ids.is_empty() {
        vec![]
    } else {
        assignment_group::Entity::find()
            .filter(assignment_group::Column::Id.is_in(input.group_ids.clone()))
            .all(&txn)
            .await?
    };
    if groups.len() != input.group_ids.len() {
        return Err(AppError::field("group_ids", "Unknown assignment group"));
    }
    require_exists::<organisation::Entity>(&txn, "organisation_id", "organisation", input.organisation_id).await?;
    let now = Utc::now();
    let user = app_user::ActiveModel {
        username: Set(username.as_str().to_string()),
        display_name: Set(display_name.as_str().to_string()),
        email: Set(email.as_str().to_string()),
        role: Set(role.code().to_string()),
        password_hash: Set(password_hash),
        active: Set(true),
        created_at: Set(now),
        organisation_id: Set(input.organisation_id),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for g in &groups {
        group_member::ActiveModel { group_id: Set(g.id), user_id: Set(user.id) }.insert(&txn).await?;
    }
    let actor_id = actor.map(|a| a.user_id);
    journal::audit(
        &txn,
        AuditLine {
            entity_type: "user",
            entity_id: user.id,
            actor_id,
            action: "created",
            field: Some("role"),
            old_value: None,
            new_value: Some(role.code().to_string()),
            at: now,
        },
    )
    .await?;
    let seq = journal::append_event(
        &txn,
        "user.created",
        "user",
        user.id,
        serde_json::json!({ "username": user.username, "role": role.code() }),
    )
    .await?;
    txn.commit().await?;
    ctx.tokens.clear();
    ctx.notify_committed(seq);
    let organisation_name = super::organisations::name_of(&ctx.db, user.organisation_id).await?;
    Ok(UserView {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        email: user.email,
        role,
        active: true,
        groups: groups.into_iter().map(|g| g.name).collect(),
        organisation_id: user.organisation_id,
        organisation_name,
        manager_id: user.manager_id,
    })
}

/// All users with their groups, by username (admins only).
pub async fn list_users(ctx: &AppContext, actor: &Actor) -> Result<Vec<UserView>, AppError> {
    require_admin(actor)?;
    all_users(ctx).await
}

/// One user with their groups and organisation (for account pages; callers authorize).
pub(crate) async fn user_view(ctx: &AppContext, user_id: i64) -> Result<UserView, AppError> {
    let u = app_user::Entity::find_by_id(user_id).one(&ctx.db).await?.ok_or_else(|| AppError::NotFound("User".into()))?;
    let group_ids: Vec<i64> =
        group_member::Entity::find().filter(group_member::Column::UserId.eq(u.id)).all(&ctx.db).await?.into_iter().map(|m| m.group_id).collect();
    let groups = if group_ids.is_empty() {
        vec![]
    } else {
        assignment_group::Entity::find()
            .filter(assignment_group::Column::Id.is_in(group_ids))
            .order_by_asc(assignment_group::Column::Name)
            .all(&ctx.db)
            .await?
            .into_iter()
            .map(|g| g.name)
            .collect()
    };
    Ok(UserView {
        role: Role::parse(&u.role).map_err(|_| AppError::Internal)?,
        organisation_name: super::organisations::name_of(&ctx.db, u.organisation_id).await?,
        organisation_id: u.organisation_id,
        manager_id: u.manager_id,
        groups,
        id: u.id,
        username: u.username,
        display_name: u.display_name,
        email: u.email,
        active: u.active,
    })
}

async fn all_users(ctx: &AppContext) -> Result<Vec<UserView>, AppError> {
    let users = app_user::Entity::find().order_by_asc(app_user::Column::Username).all(&ctx.db).await?;
    let group_names: HashMap<i64, String> =
        assignment_group::Entity::find().all(&ctx.db).await?.into_iter().map(|g| (g.id, g.name)).collect();
    let organisations = super::organisations::names(&ctx.db).await?;
    let mut memberships: HashMap<i64, Vec<String>> = HashMap::new();
    for m in group_member::Entity::find().all(&ctx.db).await? {
        if let Some(name) = group_names.get(&m.group_id) {
            memberships.entry(m.user_id).or_default().push(name.clone());
        }
    }
    users
        .into_iter()
        .map(|u| {
            let role = Role::parse(&u.role).map_err(|_| AppError::Internal)?;
            Ok(UserView {
                groups: memberships.remove(&u.id).unwrap_or_default(),
                organisation_name: u.organisation_id.and_then(|o| organisations.get(&o).cloned()),
                organisation_id: u.organisation_id,
                manager_id: u.manager_id,
                id: u.id,
                username: u.username,
                display_name: u.display_name,
                email: u.email,
                role,
                active: u.active,
            })
        })
        .collect()
}

/// All assignment groups with member counts (staff only).
pub async fn list_groups(ctx: &AppContext, actor: &Actor) -> Result<Vec<GroupView>, AppError> {
    require_staff(actor)?;
    let groups = assignment_group::Entity::find()
        .order_by_asc(assignment_group::Column::Tier)
        .order_by_asc(assignment_group::Column::Name)
        .all(&ctx.db)
        .await?;
    let mut counts: HashMap<i64, i64> = HashMap::new();
    for m in group_member::Entity::find().all(&ctx.db).await? {
        *counts.entry(m.group_id).or_default() += 1;
    }
    let managers: Vec<i64> = groups.iter().filter_map(|g| g.manager_id).collect();
    let names: HashMap<i64, String> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(managers))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok(groups
        .into_iter()
        .map(|g| GroupView {
            member_count: counts.get(&g.id).copied().unwrap_or(0),
            manager_name: g.manager_id.and_then(|id| names.get(&id).cloned()),
            manager_id: g.manager_id,
            escalates_to_id: g.escalates_to_id,
            id: g.id,
            name: g.name,
            description: g.description,
            tier: g.tier,
        })
        .collect())
}

/// Finds a user id by login name.
pub async fn user_id_by_username(ctx: &AppContext, username: &str) -> Result<Option<i64>, AppError> {
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Username.eq(username.trim().to_ascii_lowercase()))
        .one(&ctx.db)
        .await?
        .map(|u| u.id))
}

/// Raw input for an assignment group.
#[derive(Debug, Clone, Default)]
pub struct GroupInput {
    /// Name.
    pub name: String,
    /// What it handles.
    pub description: String,
    /// Tier 1–3 (as text from forms).
    pub tier: String,
    /// Manager's user id.
    pub manager_id: Option<i64>,
    /// Functional escalation target.
    pub escalates_to_id: Option<i64>,
}

/// Creates (`id = None`) or updates an assignment group (admins only).
pub async fn save_group(ctx: &AppContext, actor: &Actor, id: Option<i64>, input: GroupInput) -> Result<GroupView, AppError> {
    require_admin(actor)?;
    let mut v = Validator::new();
    let name = v.check(crate::domain::field::bounded_text("name", "Name", &input.name, 2, 100));
    let description = v.check(crate::domain::field::bounded_text("description", "Description", &input.description, 0, 500));
    let tier = v.check(
        input.tier.trim().parse::<i16>().ok().filter(|t| (1..=3).contains(t)).ok_or_else(|| crate::domain::FieldError::new("tier", "Tier must be 1, 2 or 3")),
    );
    v.finish()?;
    let (Some(name), Some(description), Some(tier)) = (name, description, tier) else { return Err(AppError::Internal) };
    let (_w, txn) = ctx.begin_write().await?;
    if let Some(m) = input.manager_id {
        let ok = app_user::Entity::find_by_id(m).one(&txn).await?.is_some_and(|u| u.active && u.role != "requester");
        if !ok {
            return Err(AppError::field("manager_id", "Manager must be an active agent or admin"));
        }
    }
    if let Some(e) = input.escalates_to_id {
        if Some(e) == id || assignment_group::Entity::find_by_id(e).one(&txn).await?.is_none() {
            return Err(AppError::field("escalates_to_id", "Escalation target must be another existing group"));
        }
    }
    let clash = assignment_group::Entity::find().filter(assignment_group::Column::Name.eq(name.as_str())).one(&txn).await?;
    if clash.is_some_and(|g| Some(g.id) != id) {
        return Err(AppError::field("name", format!("A group named '{name}' already exists")));
    }
    let (row, action) = match id {
        Some(id) => {
            let existing = assignment_group::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| AppError::NotFound("Group".into()))?;
            let mut row: assignment_group::ActiveModel = existing.into();
            row.name = Set(name);
            row.description = Set(description);
            row.tier = Set(tier);
            row.manager_id = Set(input.manager_id);
            row.escalates_to_id = Set(input.escalates_to_id);
            (row.update(&txn).await?, "updated")
        }
        None => (
            assignment_group::ActiveModel {
                name: Set(name),
                description: Set(description),
                tier: Set(tier),
                manager_id: Set(input.manager_id),
                escalates_to_id: Set(input.escalates_to_id),
                ..Default::default()
            }
            .insert(&txn)
            .await?,
            "created",
        ),
    };
    journal::audit(
        &txn,
        AuditLine {
            entity_type: "group",
            entity_id: row.id,
            actor_id: Some(actor.user_id),
            action,
            field: Some("tier"),
            old_value: None,
            new_value: Some(format!("{} L{}", row.name, row.tier)),
            at: Utc::now(),
        },
    )
    .await?;
    let seq = journal::append_event(&txn, "group.saved", "group", row.id, serde_json::json!({ "name": row.name })).await?;
    txn.commit().await?;
    ctx.tokens.clear();
    ctx.notify_committed(seq);
    list_groups(ctx, actor).await?.into_iter().find(|g| g.id == row.id).ok_or(AppError::Internal)
}

/// Active agents and admins (who can be assigned tickets), by name (staff only).
pub async fn list_agents(ctx: &AppContext, actor: &Actor) -> Result<Vec<UserView>, AppError> {
    require_staff(actor)?;
    Ok(all_users(ctx)
        .await?
        .into_iter()
        .filter(|u| u.active && u.role.is_staff())
        .collect())
}

/// Sets (or clears) the manager who approves what a user orders (admins; audited). A user is
/// not their own manager.
pub async fn set_manager(ctx: &AppContext, actor: &Actor, user_id: i64, manager_id: Option<i64>) -> Result<UserView, AppError> {
    require_admin(actor)?;
    if manager_id == Some(user_id) {
        return Err(AppError::field("manager_id", "A user cannot be their own manager"));
    }
    let (_w, txn) = ctx.begin_write().await?;
    let user = app_user::Entity::find_by_id(user_id).one(&txn).await?.ok_or_else(|| AppError::NotFound("User".into()))?;
    let new_name = super::tickets::user_names(&txn, manager_id.into_iter()).await?.into_values().next();
    if manager_id.is_some() && new_name.is_none() {
        return Err(AppError::field("manager_id", "Unknown user"));
    }
    let old_name = super::tickets::user_names(&txn, user.manager_id.into_iter()).await?.into_values().next();
    let mut row: app_user::ActiveModel = user.into();
    row.manager_id = Set(manager_id);
    let user = row.update(&txn).await?;
    let line = AuditLine { entity_type: "user", entity_id: user.id, actor_id: Some(actor.user_id), action: "field_changed", field: Some("manager"), old_value: old_name, new_value: new_name, at: Utc::now() };
    journal::audit(&txn, line).await?;
    let seq = journal::append_event(&txn, "user.updated", "user", user.id, serde_json::json!({ "username": user.username, "manager_id": manager_id })).await?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    user_view(ctx, user_id).await
}
