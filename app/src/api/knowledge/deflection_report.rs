use crate::dto::DeflectionRow;
use crate::error::AppError;
use leptos::prelude::*;

/// Deflection per category between two dates (`YYYY-MM-DD`, end exclusive; default: last 30 days).
#[server(endpoint = "kb/deflection")]
pub async fn deflection_report(from: Option<String>, to: Option<String>) -> Result<Vec<DeflectionRow>, AppError> {
    use crate::services::knowledge;
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let (from, to) = knowledge::period(from.as_deref(), to.as_deref())?;
        knowledge::deflection_report(&ctx, &actor, from, to).await
    })
    .await
}
