use crate::dto::TicketDetail;
use crate::error::AppError;
use leptos::prelude::*;

/// One ticket by number, with the conversation the signed-in user may see.
#[server(endpoint = "tickets/get")]
pub async fn get_ticket(number: String) -> Result<TicketDetail, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::tickets::get_ticket(&ctx, &actor, &number).await
    })
    .await
}
