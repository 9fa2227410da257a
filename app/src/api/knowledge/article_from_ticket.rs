use crate::dto::ArticleView;
use crate::error::AppError;
use leptos::prelude::*;

/// One step from a resolved ticket to a prefilled draft article; opens the draft.
#[server(endpoint = "kb/from-ticket")]
pub async fn article_from_ticket(ticket: String) -> Result<ArticleView, AppError> {
    use crate::services::knowledge;
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let article = knowledge::create_from_ticket(&ctx, &actor, &ticket).await?;
        leptos_axum::redirect(&format!("/console/kb/{}", article.number));
        Ok(article)
    })
    .await
}
