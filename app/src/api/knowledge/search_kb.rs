use crate::dto::SearchResults;
use crate::error::AppError;
use leptos::prelude::*;

/// Searches knowledge articles and catalog items the signed-in user may read.
#[server(endpoint = "kb/search")]
pub async fn search_kb(q: String, category: Option<String>, limit: Option<usize>) -> Result<SearchResults, AppError> {
    use crate::services::knowledge;
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let category = category.filter(|c| !c.trim().is_empty());
        knowledge::search(&ctx, &actor, &q, category, limit.unwrap_or(10))
    })
    .await
}
