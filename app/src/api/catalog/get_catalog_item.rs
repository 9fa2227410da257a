use crate::dto::CatalogItemAdmin;
use crate::error::AppError;
use leptos::prelude::*;

/// One catalog item as an admin edits it.
#[server(endpoint = "catalog/item")]
pub async fn get_catalog_item(id: i64) -> Result<CatalogItemAdmin, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::catalog::get_item(&ctx, &actor, id).await
    })
    .await
}
