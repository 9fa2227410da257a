use crate::dto::CatalogItemForm;
use crate::error::AppError;
use leptos::prelude::*;

/// A catalog item's description and current order form (items the user may order).
#[server(endpoint = "catalog/item-form")]
pub async fn get_item_form(id: i64) -> Result<CatalogItemForm, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::catalog::item_form(&ctx, &actor, id).await
    })
    .await
}
