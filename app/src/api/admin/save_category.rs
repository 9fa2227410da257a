use crate::dto::CategoryView;
use crate::error::AppError;
use leptos::prelude::*;

/// Adds a ticket category, optionally under a business service (admins only).
#[server(endpoint = "admin/category")]
pub async fn save_category(name: String, service_id: Option<String>) -> Result<CategoryView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let service_id = match service_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(v) => Some(v.parse::<i64>().map_err(|_| AppError::field("service_id", "Choose from the list"))?),
        };
        crate::services::catalog::save_category(&ctx, &actor, &name, service_id).await
    })
    .await
}
