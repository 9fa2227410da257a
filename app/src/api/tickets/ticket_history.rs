use crate::dto::AuditView;
use crate::error::AppError;
use leptos::prelude::*;

/// The ticket's audit trail.
#[server(endpoint = "tickets/history")]
pub async fn ticket_history(number: String) -> Result<Vec<AuditView>, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::tickets::history(&ctx, &actor, &number).await
    })
    .await
}
