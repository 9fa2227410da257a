use crate::dto::ArticleView;
use crate::error::AppError;
use leptos::prelude::*;

/// Creates a draft (no `number`) or saves a new revision of article `number`.
#[server(endpoint = "kb/save")]
#[allow(clippy::too_many_arguments)]
pub async fn save_article(
    number: Option<String>,
    title: String,
    body: String,
    category_id: Option<String>,
    tags: Option<String>,
    audience: String,
    review_by: Option<String>,
    note: Option<String>,
    version: Option<i32>,
) -> Result<ArticleView, AppError> {
    use crate::services::knowledge::{self, ArticleInput};
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let input = ArticleInput {
            title,
            body,
            category_id: super::super::support::optional_id("category_id", category_id.as_deref())?,
            tags: tags.unwrap_or_default(),
            audience,
            review_by,
            note,
            expected_version: version,
        };
        let saved = match number.filter(|n| !n.trim().is_empty()) {
            Some(n) => knowledge::update_article(&ctx, &actor, &n, input).await?,
            None => knowledge::create_article(&ctx, &actor, input).await?,
        };
        leptos_axum::redirect(&format!("/console/kb/{}", saved.number));
        Ok(saved)
    })
    .await
}
