use crate::dto::ArticleView;
use crate::error::AppError;
use leptos::prelude::*;

/// Records the signed-in user's helpful (`yes`) / not helpful (`no`) vote with an optional comment.
#[server(endpoint = "kb/vote")]
pub async fn vote_article(number: String, helpful: String, comment: Option<String>) -> Result<ArticleView, AppError> {
    use crate::services::knowledge;
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let helpful = match helpful.as_str() {
            "yes" => true,
            "no" => false,
            _ => return Err(AppError::field("helpful", "Choose helpful or not helpful")),
        };
        knowledge::vote(&ctx, &actor, &number, helpful, comment.as_deref()).await
    })
    .await
}
