use crate::error::AppError;
use leptos::prelude::*;

/// Sets a new password for a user (admins); all of the user's sessions end.
#[server(endpoint = "accounts/reset-password")]
pub async fn reset_password(user_id: i64, password: String) -> Result<(), AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::accounts::reset_password(&ctx, Some(&actor), user_id, &password).await
    })
    .await
}
