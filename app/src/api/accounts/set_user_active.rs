use crate::error::AppError;
use leptos::prelude::*;

/// Deactivates (`active` false) or reactivates a user (admins).
#[server(endpoint = "accounts/active")]
pub async fn set_user_active(user_id: i64, active: bool) -> Result<(), AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::accounts::set_active(&ctx, Some(&actor), user_id, active).await
    })
    .await
}
