use crate::dto::DeskConfigView;
use crate::error::AppError;
use leptos::prelude::*;

/// Saves the reopen window and the auto-close delay.
#[server(endpoint = "admin/settings")]
pub async fn save_settings(reopen_window_days: String, auto_close_days: String) -> Result<DeskConfigView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::desk::update_settings(&ctx, &actor, &reopen_window_days, &auto_close_days).await
    })
    .await
}
