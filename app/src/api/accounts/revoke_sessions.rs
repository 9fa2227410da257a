use crate::error::AppError;
use leptos::prelude::*;

/// Ends a user's sessions (your own other sessions, or an admin for anyone); returns how many.
#[server(endpoint = "accounts/sessions/revoke")]
pub async fn revoke_sessions(user_id: Option<i64>) -> Result<u64, AppError> {
    use super::super::support::{context_and_actor, respond, session_secret};
    respond(async move {
        let (ctx, actor) = context_and_actor().await?;
        let user_id = user_id.unwrap_or(actor.user_id);
        let keep = session_secret().filter(|_| user_id == actor.user_id);
        crate::services::accounts::revoke_sessions(&ctx, Some(&actor), user_id, keep.as_deref()).await
    })
    .await
}
