use crate::dto::DeskConfigView;
use crate::error::AppError;
use leptos::prelude::*;

/// Adds, renames, retires or re-activates a resolution code.
#[server(endpoint = "admin/resolution-code")]
pub async fn save_resolution_code(code: String, label: String, active: Option<String>) -> Result<DeskConfigView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let active = active.is_some_and(|v| !v.is_empty() && v != "false");
        crate::services::desk::save_resolution_code(&ctx, &actor, &code, &label, active).await
    })
    .await
}
