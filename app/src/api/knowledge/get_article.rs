use crate::dto::ArticleView;
use crate::error::AppError;
use leptos::prelude::*;

/// One article the signed-in user may read.
#[server(endpoint = "kb/article")]
pub async fn get_article(number: String) -> Result<ArticleView, AppError> {
    use crate::services::knowledge;
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        knowledge::get_article(&ctx, &actor, &number).await
    })
    .await
}
