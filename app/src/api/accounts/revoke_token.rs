use crate::error::AppError;
use leptos::prelude::*;

/// Revokes an API token (its owner or an admin).
#[server(endpoint = "accounts/tokens/revoke")]
pub async fn revoke_token(token_id: i64) -> Result<(), AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::accounts::revoke_token(&ctx, Some(&actor), token_id).await
    })
    .await
}
