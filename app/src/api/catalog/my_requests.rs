use crate::dto::RequestList;
use crate::error::AppError;
use leptos::prelude::*;

/// The requests the signed-in user ordered, newest first, with each item's progress.
#[server(endpoint = "catalog/my-requests")]
pub async fn my_requests() -> Result<RequestList, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::catalog::my_requests(&ctx, &actor).await
    })
    .await
}
