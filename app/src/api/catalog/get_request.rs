use crate::dto::RequestView;
use crate::error::AppError;
use leptos::prelude::*;

/// A request by its REQ number (or an item's RITM number) with its items' answers, approvals
/// and tasks: the requester's own, or any for staff.
#[server(endpoint = "catalog/request")]
pub async fn get_request(number: String) -> Result<RequestView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::catalog::get_request(&ctx, &actor, &number).await
    })
    .await
}
