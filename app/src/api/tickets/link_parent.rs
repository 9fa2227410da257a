use crate::error::AppError;
use leptos::prelude::*;

/// Makes the ticket a child of a major incident.
#[server(endpoint = "tickets/link-parent")]
pub async fn link_parent(number: String, parent: String) -> Result<(), AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::tickets::link_child(&ctx, &actor, &number, &parent).await
    })
    .await
}
