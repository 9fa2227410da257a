use crate::dto::OrganisationView;
use crate::error::AppError;
use leptos::prelude::*;

/// All requester organisations with member counts (staff only).
#[server(endpoint = "admin/organisations")]
pub async fn list_organisations() -> Result<Vec<OrganisationView>, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::organisations::list_organisations(&ctx, &actor).await
    })
    .await
}
