use crate::dto::DeskConfigView;
use crate::error::AppError;
use leptos::prelude::*;

/// Saves the nine impact × urgency cells of the priority matrix.
#[server(endpoint = "admin/matrix")]
pub async fn save_matrix(high_high: String, high_medium: String, high_low: String, medium_high: String, medium_medium: String, medium_low: String, low_high: String, low_medium: String, low_low: String) -> Result<DeskConfigView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let cells: Vec<(String, String)> = [
            ("high_high", high_high), ("high_medium", high_medium), ("high_low", high_low),
            ("medium_high", medium_high), ("medium_medium", medium_medium), ("medium_low", medium_low),
            ("low_high", low_high), ("low_medium", low_medium), ("low_low", low_low),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        crate::services::desk::update_matrix(&ctx, &actor, &cells).await
    })
    .await
}
