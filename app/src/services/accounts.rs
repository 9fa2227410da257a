//! Account hygiene: deactivate and reactivate users, change and reset passwords, list and revoke
//! API tokens, end sessions. Every change is audited on the user and announced by a `user`
//! outbox event, which drops every node's cached token actors — so a deactivated user or a
//! revoked token stops at once everywhere (sessions are checked against the database on every
//! request, and live streams end when their user changes).
//!
//! `actor` is `None` for the command line (the operator of the machine).

use super::authz::require_admin;
use super::entities::{api_token, app_user, user_session};
use super::journal::{self, AuditLine};
use super::{auth, AppContext};
use crate::domain::{Actor, Password};
use crate::dto::{AccountView, ApiTokenView};
use crate::error::AppError;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};

fn user_not_found() -> AppError {
    AppError::NotFound("User".into())
}

/// The actor may manage `user_id`'s sessions and tokens: it is theirs, or the actor is an admin.
fn require_self_or_admin(actor: Option<&Actor>, user_id: i64) -> Result<(), AppError> {
    match actor {
        None => Ok(()),
        Some(a) if a.user_id == user_id || a.is_admin() => Ok(()),
        Some(_) => Err(AppError::Forbidden),
    }
}

/// Audits one change on the user and appends its `user.*` event; returns the event's sequence.
async fn record(txn: &DatabaseTransaction, actor: Option<&Actor>, user_id: i64, action: &str, field: Option<&str>, old: Option<String>, new: Option<String>) -> Result<i64, AppError> {
    journal::audit(
        txn,
        AuditLine {
            entity_type: "user",
            entity_id: user_id,
            actor_id: actor.map(|a| a.user_id),
            action,
            field,
            old_value: old,
            new_value: new,
            at: Utc::now(),
        },
    )
    .await?;
    Ok(journal::append_event(txn, &format!("user.{action}"), "user", user_id, serde_json::json!({ "action": action, "user_id": user_id })).await?)
}

/// Ends `user_id`'s sessions inside `txn`, all but the one whose secret is `keep`; returns how many.
async fn end_sessions(txn: &DatabaseTransaction, user_id: i64, keep: Option<&str>) -> Result<u64, AppError> {
    let mut q = user_session::Entity::delete_many().filter(user_session::Column::UserId.eq(user_id));
    if let Some(secret) = keep {
        q = q.filter(user_session::Column::TokenHash.ne(auth::secret_hash(secret)));
    }
    Ok(q.exec(txn).await?.rows_affected)
}

/// Finishes a change: commit, drop cached token actors, wake the consumers.
async fn finish(ctx: &AppContext, txn: DatabaseTransaction, seq: i64) -> Result<(), AppError> {
    txn.commit().await?;
    ctx.tokens.clear();
    ctx.notify_committed(seq);
    Ok(())
}

/// Deactivates (`active = false`) or reactivates a user (admins). A deactivated user cannot sign
/// in, their sessions end, and their API tokens stop working (until reactivated). Admins cannot
/// deactivate themselves, nor the last active admin.
pub async fn set_active(ctx: &AppContext, actor: Option<&Actor>, user_id: i64, active: bool) -> Result<(), AppError> {
    if let Some(a) = actor {
        require_admin(a)?;
        if a.user_id == user_id && !active {
            return Err(AppError::field("active", "You cannot deactivate your own account"));
        }
    }
    let (_w, txn) = ctx.begin_write().await?;
    let user = app_user::Entity::find_by_id(user_id).one(&txn).await?.ok_or_else(user_not_found)?;
    if user.active == active {
        return Ok(());
    }
    if !active && user.role == crate::domain::Role::Admin.code() {
        let admins = app_user::Entity::find()
            .filter(app_user::Column::Role.eq(crate::domain::Role::Admin.code()))
            .filter(app_user::Column::Active.eq(true))
            .count(&txn)
            .await?;
        if admins <= 1 {
            return Err(AppError::field("active", "This is the last active admin"));
        }
    }
    let was = user.active;
    let mut row: app_user::ActiveModel = user.into();
    row.active = Set(active);
    row.update(&txn).await?;
    if !active {
        end_sessions(&txn, user_id, None).await?;
    }
    let action = if active { "activated" } else { "deactivated" };
    let seq = record(&txn, actor, user_id, action, Some("active"), Some(was.to_string()), Some(active.to_string())).await?;
    finish(ctx, txn, seq).await
}

/// Sets a new password for `user_id` (admins: a reset) and ends all of the user's sessions.
pub async fn reset_password(ctx: &AppContext, actor: Option<&Actor>, user_id: i64, new_password: &str) -> Result<(), AppError> {
    if let Some(a) = actor {
        require_admin(a)?;
    }
    let password = Password::parse(new_password).map_err(|e| AppError::field("password", e.message))?;
    let hash = auth::hash_password_off_thread(ctx, password.expose()).await?;
    let (_w, txn) = ctx.begin_write().await?;
    let user = app_user::Entity::find_by_id(user_id).one(&txn).await?.ok_or_else(user_not_found)?;
    let mut row: app_user::ActiveModel = user.into();
    row.password_hash = Set(hash);
    row.update(&txn).await?;
    end_sessions(&txn, user_id, None).await?;
    let seq = record(&txn, actor, user_id, "password_reset", None, None, None).await?;
    finish(ctx, txn, seq).await
}

/// Changes the actor's own password after checking the current one; every other session of
/// theirs ends (the one in `keep`, the caller's own, stays). Wrong current passwords count
/// towards the sign-in throttle like failed sign-ins.
pub async fn change_password(ctx: &AppContext, actor: &Actor, current: &str, new_password: &str, keep: Option<&str>) -> Result<(), AppError> {
    let user = app_user::Entity::find_by_id(actor.user_id).one(&ctx.db).await?.ok_or_else(user_not_found)?;
    let password = Password::parse(new_password).map_err(|e| AppError::field("new_password", e.message));
    if !auth::check_password_throttled(ctx, &user.username, current, &user.password_hash).await? {
        return Err(AppError::field("current_password", "That is not your current password"));
    }
    let password = password?;
    if password.expose() == current {
        return Err(AppError::field("new_password", "Choose a password other than the current one"));
    }
    let hash = auth::hash_password_off_thread(ctx, password.expose()).await?;
    let (_w, txn) = ctx.begin_write().await?;
    let mut row: app_user::ActiveModel = user.into();
    row.password_hash = Set(hash);
    row.update(&txn).await?;
    end_sessions(&txn, actor.user_id, keep).await?;
    let seq = record(&txn, Some(actor), actor.user_id, "password_changed", None, None, None).await?;
    finish(ctx, txn, seq).await
}

/// Ends `user_id`'s sessions (the user themself or an admin), all but the caller's own `keep`;
/// returns how many ended.
pub async fn revoke_sessions(ctx: &AppContext, actor: Option<&Actor>, user_id: i64, keep: Option<&str>) -> Result<u64, AppError> {
    require_self_or_admin(actor, user_id)?;
    let (_w, txn) = ctx.begin_write().await?;
    app_user::Entity::find_by_id(user_id).one(&txn).await?.ok_or_else(user_not_found)?;
    let ended = end_sessions(&txn, user_id, keep).await?;
    let seq = record(&txn, actor, user_id, "sessions_revoked", None, None, Some(ended.to_string())).await?;
    finish(ctx, txn, seq).await?;
    Ok(ended)
}

/// `user_id`'s API tokens, newest first (the user themself or an admin); never the secrets.
pub async fn list_tokens(ctx: &AppContext, actor: Option<&Actor>, user_id: i64) -> Result<Vec<ApiTokenView>, AppError> {
    require_self_or_admin(actor, user_id)?;
    app_user::Entity::find_by_id(user_id).one(&ctx.db).await?.ok_or_else(user_not_found)?;
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user_id))
        .order_by_desc(api_token::Column::Id)
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|t| ApiTokenView { id: t.id, name: t.name, created_at: t.created_at, last_used_at: t.last_used_at })
        .collect())
}

/// A user's account with their API tokens (the user themself or an admin).
pub async fn overview(ctx: &AppContext, actor: &Actor, user_id: i64) -> Result<AccountView, AppError> {
    require_self_or_admin(Some(actor), user_id)?;
    Ok(AccountView {
        user: super::users::user_view(ctx, user_id).await?,
        tokens: list_tokens(ctx, Some(actor), user_id).await?,
        is_self: actor.user_id == user_id,
    })
}

/// Issues an API token for the actor themself (or, by an admin or the command line, for
/// `user_id`); the secret is returned once, only its hash is kept.
pub async fn issue_token(ctx: &AppContext, actor: Option<&Actor>, user_id: i64, name: &str) -> Result<(ApiTokenView, String), AppError> {
    require_self_or_admin(actor, user_id)?;
    let name = crate::domain::field::bounded_text("name", "Token name", name, 1, 100)?;
    let (secret, hash) = auth::new_api_token();
    let (_w, txn) = ctx.begin_write().await?;
    app_user::Entity::find_by_id(user_id).one(&txn).await?.ok_or_else(user_not_found)?;
    let row = api_token::ActiveModel {
        user_id: Set(user_id),
        name: Set(name.clone()),
        token_hash: Set(hash),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let seq = record(&txn, actor, user_id, "token_issued", Some("api_token"), None, Some(name)).await?;
    finish(ctx, txn, seq).await?;
    Ok((ApiTokenView { id: row.id, name: row.name, created_at: row.created_at, last_used_at: None }, secret))
}

/// Revokes one API token (its owner or an admin); it stops working at once on every node.
pub async fn revoke_token(ctx: &AppContext, actor: Option<&Actor>, token_id: i64) -> Result<(), AppError> {
    let (_w, txn) = ctx.begin_write().await?;
    let token = api_token::Entity::find_by_id(token_id).one(&txn).await?;
    let token = match token {
        Some(t) if require_self_or_admin(actor, t.user_id).is_ok() => t,
        // Another user's token is as unknown as a missing one.
        _ => return Err(AppError::NotFound("API token".into())),
    };
    api_token::Entity::delete_by_id(token.id).exec(&txn).await?;
    let seq = record(&txn, actor, token.user_id, "token_revoked", Some("api_token"), Some(token.name), None).await?;
    finish(ctx, txn, seq).await
}
