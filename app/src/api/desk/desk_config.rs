use crate::dto::DeskConfigView;
use crate::error::AppError;
use leptos::prelude::*;

/// Priority matrix, desk settings and resolution codes (any signed-in user).
#[server(endpoint = "desk/config")]
pub async fn desk_config() -> Result<DeskConfigView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let _ = actor;
        crate::services::desk::config_view(&ctx).await
    })
    .await
}
