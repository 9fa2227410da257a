use crate::error::AppError;
use leptos::prelude::*;

/// Changes the signed-in user's password; their other sessions end, this one stays.
#[server(endpoint = "accounts/password")]
pub async fn change_password(current_password: String, new_password: String) -> Result<(), AppError> {
    use super::super::support::{context_and_actor, respond, session_secret};
    respond(async move {
        let (ctx, actor) = context_and_actor().await?;
        let keep = session_secret();
        crate::services::accounts::change_password(&ctx, &actor, &current_password, &new_password, keep.as_deref()).await
    })
    .await
}
