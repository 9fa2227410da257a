use crate::dto::CatalogBrowse;
use crate::error::AppError;
use leptos::prelude::*;

/// The catalog items the signed-in user may order, by category.
#[server(endpoint = "catalog/browse")]
pub async fn browse_catalog() -> Result<CatalogBrowse, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::catalog::browse(&ctx, &actor).await
    })
    .await
}
