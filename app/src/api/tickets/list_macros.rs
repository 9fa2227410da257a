use crate::dto::MacroView;
use crate::error::AppError;
use leptos::prelude::*;

/// Macros the signed-in agent may apply (admins: all).
#[server(endpoint = "tickets/macros")]
pub async fn list_macros() -> Result<Vec<MacroView>, AppError> {
    use crate::services::macros;
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        macros::list_macros(&ctx, &actor).await
    })
    .await
}
