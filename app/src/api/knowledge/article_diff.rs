use crate::dto::DiffLine;
use crate::error::AppError;
use leptos::prelude::*;

/// Line diff between two revisions of an article.
#[server(endpoint = "kb/diff")]
pub async fn article_diff(number: String, from: i32, to: i32) -> Result<Vec<DiffLine>, AppError> {
    use crate::services::knowledge;
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        knowledge::diff(&ctx, &actor, &number, from, to).await
    })
    .await
}
