use crate::dto::CatalogItemAdmin;
use crate::error::AppError;
use leptos::prelude::*;

/// Every catalog item with its definition, retired ones too (admins).
#[server(endpoint = "catalog/items")]
pub async fn list_catalog_items() -> Result<Vec<CatalogItemAdmin>, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::catalog::list_items(&ctx, &actor).await
    })
    .await
}
