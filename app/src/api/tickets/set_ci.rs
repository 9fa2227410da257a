use crate::error::AppError;
use leptos::prelude::*;

/// Names the configuration item a ticket affects, by name (empty clears it).
#[server(endpoint = "tickets/ci")]
pub async fn set_ci(number: String, version: i32, ci: String) -> Result<(), AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        use crate::services::tickets::{self, TicketPatch};
        let ci = Some(ci.trim().to_string()).filter(|c| !c.is_empty());
        let patch = TicketPatch { ci: Some(ci), expected_version: Some(version), ..Default::default() };
        tickets::update_ticket(&ctx, &actor, &number, patch).await.map(|_| ())
    })
    .await
}
