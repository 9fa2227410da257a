use crate::dto::ArticleView;
use crate::error::AppError;
use leptos::prelude::*;

/// Submits for review, withdraws, publishes, retires or revives an article.
#[server(endpoint = "kb/state")]
pub async fn change_article_state(number: String, state: String, version: Option<i32>) -> Result<ArticleView, AppError> {
    use crate::services::knowledge;
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        knowledge::change_state(&ctx, &actor, &number, &state, version).await
    })
    .await
}
