use crate::dto::RequestItemView;
use crate::error::AppError;
use leptos::prelude::*;

/// Answers one of the signed-in user's approvals: `approved` or `rejected` (a comment is required
/// to reject). Returns the item as it stands after the decision.
#[server(endpoint = "catalog/decide")]
pub async fn decide_approval(id: i64, decision: String, comment: Option<String>) -> Result<RequestItemView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let ticket_id = crate::services::approvals::decide(&ctx, &actor, id, &decision, comment.as_deref().unwrap_or_default()).await?;
        crate::services::catalog::fulfilment::item_after_decision(&ctx, &actor, ticket_id).await
    })
    .await
}
