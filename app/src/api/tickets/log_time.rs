use crate::dto::TimeEntryView;
use crate::error::AppError;
use leptos::prelude::*;

/// Logs minutes of work on a ticket.
#[server(endpoint = "tickets/time")]
pub async fn log_time(number: String, minutes: String, note: String) -> Result<TimeEntryView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::tickets::add_time_entry(&ctx, &actor, &number, &minutes, &note).await
    })
    .await
}
