use crate::dto::CategoryView;
use crate::error::AppError;
use leptos::prelude::*;

/// Adds a ticket category, optionally under a business service (admins only).
#[server(endpoint = "admin/category")]
pub async fn save_category(name: String, service_id: Option<String>) -> Result<CategoryView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let service_id = super::super::support::optional_id("service_id", service_id.as_deref())?;
        crate::services::reference::save_category(&ctx, &actor, &name, service_id).await
    })
    .await
}
