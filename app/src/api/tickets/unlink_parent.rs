use crate::error::AppError;
use leptos::prelude::*;

/// Detaches the ticket from its major incident.
#[server(endpoint = "tickets/unlink-parent")]
pub async fn unlink_parent(number: String) -> Result<(), AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::tickets::unlink_child(&ctx, &actor, &number).await
    })
    .await
}
