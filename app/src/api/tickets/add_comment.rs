use crate::dto::CommentView;
use crate::error::AppError;
use leptos::prelude::*;

/// Adds a public reply, or an internal note when `internal` is checked (agents only).
#[server(endpoint = "tickets/comment")]
pub async fn add_comment(number: String, body: String, internal: Option<String>) -> Result<CommentView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let internal = internal.is_some_and(|v| !v.is_empty() && v != "false");
        crate::services::tickets::add_comment(&ctx, &actor, &number, &body, internal).await
    })
    .await
}
