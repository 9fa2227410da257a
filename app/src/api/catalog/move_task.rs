use crate::dto::RequestItemView;
use crate::error::AppError;
use leptos::prelude::*;

/// Moves a fulfilment task (`TASK-…`, agents): `in_progress`, `completed`, `canceled` (with a
/// note) or back to `open`. Returns its requested item.
#[server(endpoint = "catalog/move-task")]
pub async fn move_task(number: String, state: String, note: Option<String>) -> Result<RequestItemView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::catalog::update_task(&ctx, &actor, &number, &state, note.as_deref().unwrap_or_default()).await
    })
    .await
}
