use crate::dto::UserView;
use crate::error::AppError;
use leptos::prelude::*;

/// Agents and admins who can be assigned tickets (staff only).
#[server(endpoint = "desk/agents")]
pub async fn list_agents() -> Result<Vec<UserView>, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::users::list_agents(&ctx, &actor).await
    })
    .await
}
