use crate::dto::ArticleSummary;
use crate::error::AppError;
use leptos::prelude::*;

/// Articles for the console: by state, the agent's own, stale ones, words in the title.
#[server(endpoint = "kb/list")]
pub async fn list_articles(
    state: Option<String>,
    mine: Option<bool>,
    stale: Option<bool>,
    q: Option<String>,
) -> Result<Vec<ArticleSummary>, AppError> {
    use crate::services::knowledge::{self, ArticleFilter};
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let filter = ArticleFilter { state, mine: mine.unwrap_or(false), stale: stale.unwrap_or(false), q };
        knowledge::list_articles(&ctx, &actor, filter).await
    })
    .await
}
