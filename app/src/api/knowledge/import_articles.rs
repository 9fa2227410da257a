use crate::dto::ImportReport;
use crate::error::AppError;
use leptos::prelude::*;

/// Imports JSON lines of articles (admins); `publish` = `on` publishes them at once.
#[server(endpoint = "kb/import")]
pub async fn import_articles(jsonl: String, publish: Option<String>) -> Result<ImportReport, AppError> {
    use crate::services::knowledge;
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        knowledge::import_articles(&ctx, &actor, &jsonl, publish.as_deref() == Some("on"), |_| {}).await
    })
    .await
}
