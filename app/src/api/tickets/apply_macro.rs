use crate::error::AppError;
use leptos::prelude::*;

/// Applies an admin-defined macro (canned reply + state change) to a ticket.
#[server(endpoint = "tickets/macro")]
pub async fn apply_macro(number: String, macro_id: String) -> Result<(), AppError> {
    use crate::services::macros;
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let id = macro_id.trim().parse().map_err(|_| AppError::field("macro_id", "Choose a macro from the list"))?;
        macros::apply_macro(&ctx, &actor, &number, id).await
    })
    .await
}
