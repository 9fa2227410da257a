use crate::dto::TicketContextView;
use crate::error::AppError;
use leptos::prelude::*;

/// The requester's recent tickets, recent incidents on the service, similar tickets and articles.
#[server(endpoint = "tickets/context")]
pub async fn ticket_context(number: String) -> Result<TicketContextView, AppError> {
    use crate::services::tickets;
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        tickets::context(&ctx, &actor, &number).await
    })
    .await
}
