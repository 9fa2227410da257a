use crate::dto::SearchHit;
use crate::error::AppError;
use leptos::prelude::*;

/// Articles like this one (more-like-this on the index), readable by the signed-in user.
#[server(endpoint = "kb/related")]
pub async fn related_articles(number: String) -> Result<Vec<SearchHit>, AppError> {
    use crate::services::knowledge;
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        knowledge::related(&ctx, &actor, &number, 5).await
    })
    .await
}
