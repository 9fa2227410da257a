use crate::dto::SearchHit;
use crate::error::AppError;
use leptos::prelude::*;

/// Articles matching a ticket being written (title and description), for deflection.
#[server(endpoint = "kb/suggest")]
pub async fn suggest_articles(text: String) -> Result<Vec<SearchHit>, AppError> {
    use crate::services::knowledge;
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        knowledge::suggest(&ctx, &actor, &text, 3)
    })
    .await
}
