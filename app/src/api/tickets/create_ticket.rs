use crate::dto::TicketSummary;
use crate::error::AppError;
use leptos::prelude::*;

/// Raises an incident for the signed-in user.
#[server(endpoint = "tickets/create")]
pub async fn create_ticket(
    title: String,
    description: String,
    impact: String,
    urgency: String,
) -> Result<TicketSummary, AppError> {
    use crate::domain::TicketType;
    use crate::services::tickets::{self, NewTicket};
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let input = NewTicket {
            ticket_type: TicketType::Incident,
            title,
            description,
            impact,
            urgency,
            requester_id: None,
            service_id: None,
            category_id: None,
        };
        Ok(tickets::create_ticket(&ctx, &actor, input).await?.summary)
    })
    .await
}
