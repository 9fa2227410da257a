use crate::dto::TicketPage;
use crate::error::AppError;
use leptos::prelude::*;

/// Tickets the signed-in user may see (requesters: their own), filtered and sorted by a queue
/// query such as `state=open&assignee=me&sort=sla`.
#[server(endpoint = "tickets/list")]
pub async fn list_tickets(query: String) -> Result<TicketPage, AppError> {
    use crate::services::tickets::{self, TicketFilter};
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let filter = TicketFilter { limit: Some(100), ..TicketFilter::from_query(&query)? };
        tickets::list_tickets(&ctx, &actor, filter).await
    })
    .await
}
