use crate::dto::TicketPage;
use crate::error::AppError;
use leptos::prelude::*;

/// Tickets the signed-in user may see: requesters get their own, agents the queue.
#[server(endpoint = "tickets/list")]
pub async fn list_tickets(
    state: Option<String>,
    assignee: Option<String>,
    q: Option<String>,
    group: Option<String>,
) -> Result<TicketPage, AppError> {
    use crate::services::tickets::{self, TicketFilter};
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        tickets::list_tickets(&ctx, &actor, TicketFilter { state, assignee, q, group, limit: Some(100), offset: None }).await
    })
    .await
}
