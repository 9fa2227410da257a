use crate::dto::OrganisationView;
use crate::error::AppError;
use leptos::prelude::*;

/// Creates (no `id`) or renames a requester organisation (admins only).
#[server(endpoint = "admin/organisation")]
pub async fn save_organisation(id: Option<String>, name: String) -> Result<OrganisationView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let id = super::super::support::optional_id("id", id.as_deref())?;
        crate::services::organisations::save_organisation(&ctx, &actor, id, &name).await
    })
    .await
}
