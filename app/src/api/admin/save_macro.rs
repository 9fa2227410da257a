use crate::dto::MacroView;
use crate::error::AppError;
use leptos::prelude::*;

/// Creates (no `id`) or changes a macro (admins).
#[server(endpoint = "admin/macro")]
pub async fn save_macro(
    id: Option<String>,
    name: String,
    body: String,
    internal: Option<String>,
    state: Option<String>,
    on_hold_reason: Option<String>,
    active: Option<String>,
) -> Result<MacroView, AppError> {
    use crate::services::macros::{self, MacroInput};
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let id = super::super::support::optional_id("id", id.as_deref())?;
        let input = MacroInput {
            name,
            body,
            internal: internal.is_some(),
            state,
            on_hold_reason,
            active: id.is_none() || active.is_some(),
        };
        macros::save_macro(&ctx, &actor, id, input).await
    })
    .await
}
