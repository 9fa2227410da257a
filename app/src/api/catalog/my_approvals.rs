use crate::dto::ApprovalList;
use crate::error::AppError;
use leptos::prelude::*;

/// The approvals waiting for the signed-in user's answer (any role: managers are often
/// requesters), oldest first.
#[server(endpoint = "catalog/my-approvals")]
pub async fn my_approvals() -> Result<ApprovalList, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::catalog::my_approvals(&ctx, &actor).await
    })
    .await
}
