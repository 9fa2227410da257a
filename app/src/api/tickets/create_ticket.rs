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
    suggested: Option<String>,
) -> Result<TicketSummary, AppError> {
    use crate::domain::TicketType;
    use crate::services::knowledge::{self, DeflectionInput};
    use crate::services::tickets::{self, NewTicket};
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let query = format!("{title}\n{description}");
        let input = NewTicket {
            ticket_type: TicketType::Incident,
            title,
            description,
            impact,
            urgency,
            requester_id: None,
            service_id: None,
            category_id: None,
            ci: None,
        };
        let created = tickets::create_ticket(&ctx, &actor, input).await?.summary;
        if let Some(shown) = suggested.filter(|s| !s.trim().is_empty()) {
            let deflection = DeflectionInput {
                query,
                suggested: shown.split(',').map(str::to_string).collect(),
                ticket_id: Some(created.id),
                ..Default::default()
            };
            if let Err(e) = knowledge::record_deflection(&ctx, &actor, deflection).await {
                tracing::warn!(error = %e, ticket = %created.number, "could not record the suggestions shown");
            }
        }
        Ok(created)
    })
    .await
}
