//! Authentication: argon2 password hashes, server-side sessions, hashed API tokens, and
//! turning a session or token into an [`Actor`].

pub mod throttle;

use super::entities::{api_token, app_user, group_member, user_session};
use super::AppContext;
use crate::domain::{Actor, Role};
use crate::error::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{Duration, Utc};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;
use std::time::Instant;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "oxidesk_session";

/// Prefix of API tokens, so leaked tokens are recognisable by secret scanners.
pub const API_TOKEN_PREFIX: &str = "oxd_";

/// Hashes a password with argon2id and a random salt (PHC string).
pub fn hash_password(clear: &str) -> Result<String, AppError> {
    let mut salt_bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut salt_bytes);
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| {
        tracing::error!(error = %e, "salt encoding failed");
        AppError::Internal
    })?;
    Argon2::default().hash_password(clear.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    })
}

/// Checks a password against a stored PHC hash.
pub fn verify_password(clear: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| Argon2::default().verify_password(clear.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// SHA-256 hex of a high-entropy secret (sessions, API tokens): what is stored at rest.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Loads the actor for an active user id.
pub async fn actor_for_user(ctx: &AppContext, user_id: i64) -> Result<Option<Actor>, AppError> {
    let Some(user) = app_user::Entity::find_by_id(user_id).one(&ctx.db).await? else {
        return Ok(None);
    };
    if !user.active {
        return Ok(None);
    }
    let role = Role::parse(&user.role).map_err(|_| {
        tracing::error!(user_id, role = %user.role, "stored user has an unknown role");
        AppError::Internal
    })?;
    let group_ids = group_member::Entity::find()
        .filter(group_member::Column::UserId.eq(user.id))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|m| m.group_id)
        .collect();
    Ok(Some(Actor {
        user_id: user.id,
        username: user.username,
        display_name: user.display_name,
        role,
        group_ids,
        organisation_id: user.organisation_id,
    }))
}

/// The throttle key of an account (usernames are stored lower-cased).
fn account_key(username: &str) -> String {
    format!("user:{}", username.trim().to_ascii_lowercase())
}

/// Hashes a password on the bounded password pool (off the async workers).
pub async fn hash_password_off_thread(ctx: &AppContext, clear: &str) -> Result<String, AppError> {
    let clear = clear.to_string();
    ctx.password_work.run(move || hash_password(&clear)).await?
}

/// Checks a password on the bounded password pool.
async fn verify_off_thread(ctx: &AppContext, clear: &str, phc: String) -> Result<bool, AppError> {
    let clear = clear.to_string();
    ctx.password_work.run(move || verify_password(&clear, &phc)).await
}

/// Checks credentials and opens a session. Returns the session secret (for the cookie) and actor.
///
/// Failed attempts are throttled per account and per `client` address
/// ([`throttle::LoginThrottle`]): while a wait runs every attempt, right or wrong, is refused with
/// [`AppError::RateLimited`] before any password is checked.
pub async fn login(ctx: &AppContext, username: &str, password: &str, client: Option<std::net::IpAddr>) -> Result<(String, Actor), AppError> {
    use throttle::BackoffPolicy;
    let username = username.trim().to_ascii_lowercase();
    let account_key = account_key(&username);
    let address_key = client.map(|ip| format!("addr:{ip}"));
    let now = Instant::now();
    ctx.login_throttle.check(&account_key, BackoffPolicy::ACCOUNT, now)?;
    if let Some(key) = &address_key {
        ctx.login_throttle.check(key, BackoffPolicy::ADDRESS, now)?;
    }
    let user = app_user::Entity::find()
        .filter(app_user::Column::Username.eq(username.as_str()))
        .one(&ctx.db)
        .await?;
    let (user, hash) = match user.filter(|u| u.active) {
        Some(u) => {
            let hash = u.password_hash.clone();
            (Some(u), hash)
        }
        // Same work as a real check, so response time does not reveal which usernames exist.
        None => (None, DUMMY_HASH.to_string()),
    };
    let verified = verify_off_thread(ctx, password, hash).await?;
    let Some(user) = user.filter(|_| verified) else {
        let now = Instant::now();
        ctx.login_throttle.failed(&account_key, BackoffPolicy::ACCOUNT, now);
        if let Some(key) = &address_key {
            ctx.login_throttle.failed(key, BackoffPolicy::ADDRESS, now);
        }
        tracing::info!(username = %username, client = ?client, "failed sign-in");
        return Err(AppError::InvalidCredentials);
    };
    ctx.login_throttle.succeeded(&account_key);
    let secret = random_secret();
    let now = Utc::now();
    let w = ctx.write_turn().await;
    user_session::ActiveModel {
        token_hash: Set(secret_hash(&secret)),
        user_id: Set(user.id),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(ctx.settings.session_ttl_hours)),
    }
    .insert(ctx.writer(&w))
    .await?;
    drop(w);
    let actor = actor_for_user(ctx, user.id).await?.ok_or(AppError::InvalidCredentials)?;
    Ok((secret, actor))
}

const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$4jZ5Yq4xVBAW0Y2Nh8nOiVfW1wS2G0e3Wq6Gf2cC1mE";

/// The actor behind a session secret, if the session exists and has not expired.
pub async fn actor_for_session(ctx: &AppContext, secret: &str) -> Result<Option<Actor>, AppError> {
    let Some(session) = user_session::Entity::find_by_id(secret_hash(secret)).one(&ctx.db).await? else {
        return Ok(None);
    };
    if session.expires_at <= Utc::now() {
        let w = ctx.write_turn().await;
        user_session::Entity::delete_by_id(session.token_hash).exec(ctx.writer(&w)).await?;
        return Ok(None);
    }
    actor_for_user(ctx, session.user_id).await
}

/// Ends a session.
pub async fn logout(ctx: &AppContext, secret: &str) -> Result<(), AppError> {
    let w = ctx.write_turn().await;
    user_session::Entity::delete_by_id(secret_hash(secret)).exec(ctx.writer(&w)).await?;
    Ok(())
}

/// A new API token: the secret (`oxd_…`, shown once) and the hash that is stored.
pub fn new_api_token() -> (String, String) {
    let token = format!("{API_TOKEN_PREFIX}{}", random_secret());
    let hash = secret_hash(&token);
    (token, hash)
}

/// Issues an API token for a user (the command line's and tests' way in); the clear token is
/// returned once and only its hash is kept. Audited like every token
/// ([`super::accounts::issue_token`]).
pub async fn create_api_token(ctx: &AppContext, user_id: i64, name: &str) -> Result<String, AppError> {
    Ok(super::accounts::issue_token(ctx, None, user_id, name).await?.1)
}

/// Checks `clear` against `phc` for the account `username` on the password pool, under the
/// account's sign-in throttle: refused while its wait runs, and a wrong password counts as a
/// failed sign-in.
pub async fn check_password_throttled(ctx: &AppContext, username: &str, clear: &str, phc: &str) -> Result<bool, AppError> {
    use throttle::BackoffPolicy;
    let key = account_key(username);
    ctx.login_throttle.check(&key, BackoffPolicy::ACCOUNT, Instant::now())?;
    let ok = verify_off_thread(ctx, clear, phc.to_string()).await?;
    if !ok {
        ctx.login_throttle.failed(&key, BackoffPolicy::ACCOUNT, Instant::now());
    }
    Ok(ok)
}

/// How long a token's actor is reused without asking the database again.
pub const TOKEN_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(30);

/// Actors behind recently used API tokens, so most API calls cost no authentication query.
/// An entry lives [`TOKEN_CACHE_TTL`]; all entries are dropped when a user or group changes (on
/// this node by the service, on the others by the live hub), so role and membership changes
/// apply at once.
#[derive(Default)]
pub struct TokenCache {
    entries: RwLock<HashMap<String, (Actor, Instant)>>,
    generation: AtomicU64,
}

impl TokenCache {
    const MAX_ENTRIES: usize = 10_000;

    fn get(&self, token_hash: &str) -> Option<Actor> {
        let entries = self.entries.read().ok()?;
        let (actor, at) = entries.get(token_hash)?;
        (at.elapsed() < TOKEN_CACHE_TTL).then(|| actor.clone())
    }

    fn put(&self, token_hash: String, actor: Actor, generation: u64) {
        if let Ok(mut entries) = self.entries.write() {
            if self.generation.load(Ordering::Acquire) != generation {
                return;
            }
            if entries.len() >= Self::MAX_ENTRIES {
                entries.retain(|_, (_, at)| at.elapsed() < TOKEN_CACHE_TTL);
            }
            entries.insert(token_hash, (actor, Instant::now()));
        }
    }

    /// Drops every cached actor.
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }

    /// Whether an outbox event about `entity_type` may change who a token's user is.
    pub fn invalidated_by(entity_type: &str) -> bool {
        matches!(entity_type, "user" | "group")
    }
}

/// The actor behind a bearer token.
pub async fn actor_for_token(ctx: &AppContext, token: &str) -> Result<Option<Actor>, AppError> {
    let hash = secret_hash(token);
    if let Some(actor) = ctx.tokens.get(&hash) {
        return Ok(Some(actor));
    }
    let generation = ctx.tokens.generation.load(Ordering::Acquire);
    let Some(row) = api_token::Entity::find().filter(api_token::Column::TokenHash.eq(hash.as_str())).one(&ctx.db).await? else {
        return Ok(None);
    };
    // Recording use at most once a minute keeps the hot path read-only.
    if !row.last_used_at.is_some_and(|at| Utc::now() - at < Duration::seconds(60)) {
        let w = ctx.write_turn().await;
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, sea_orm::sea_query::Expr::value(Utc::now()))
            .filter(api_token::Column::Id.eq(row.id))
            .exec(ctx.writer(&w))
            .await?;
        drop(w);
    }
    let actor = actor_for_user(ctx, row.user_id).await?;
    if let Some(actor) = &actor {
        ctx.tokens.put(hash, actor.clone(), generation);
    }
    Ok(actor)
}

/// Session cookie header value for a new session.
pub fn session_cookie(ctx: &AppContext, secret: &str) -> String {
    let max_age = ctx.settings.session_ttl_hours * 3600;
    let secure = if ctx.settings.secure_cookies { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// Cookie header value that removes the session cookie.
pub fn clear_session_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// Extracts the session secret from a `Cookie` header value.
pub fn session_from_cookie_header(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_verifies_only_the_right_password() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("x", "not a phc string"));
    }

    #[test]
    fn cookie_parsing() {
        assert_eq!(session_from_cookie_header("a=1; oxidesk_session=abc; b=2"), Some("abc"));
        assert_eq!(session_from_cookie_header("oxidesk_session="), None);
        assert_eq!(session_from_cookie_header("other=1"), None);
    }

    #[test]
    fn secrets_are_hashed_and_random() {
        let a = random_secret();
        assert_ne!(a, random_secret());
        assert_eq!(secret_hash(&a).len(), 64);
        assert_ne!(secret_hash(&a), a);
    }
}
