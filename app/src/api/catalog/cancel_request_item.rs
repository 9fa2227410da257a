use crate::dto::RequestItemView;
use crate::error::AppError;
use leptos::prelude::*;

/// Cancels a requested item (`RITM-…`) with a reason: its requester before fulfilment starts,
/// agents while it is open.
#[server(endpoint = "catalog/cancel-item")]
pub async fn cancel_request_item(number: String, reason: Option<String>) -> Result<RequestItemView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::catalog::cancel_item(&ctx, &actor, &number, reason.as_deref().unwrap_or_default()).await
    })
    .await
}
