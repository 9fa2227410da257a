use crate::dto::AccountView;
use crate::error::AppError;
use leptos::prelude::*;

/// A user's account as the account pages show it: who, whether active, and their API tokens.
/// `user_id` empty means the signed-in user; another user's account is for admins.
#[server(endpoint = "accounts/overview")]
pub async fn account_overview(user_id: Option<i64>) -> Result<AccountView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::accounts::overview(&ctx, &actor, user_id.unwrap_or(actor.user_id)).await
    })
    .await
}
