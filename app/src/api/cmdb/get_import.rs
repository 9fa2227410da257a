use crate::dto::ImportView;
use crate::error::AppError;
use leptos::prelude::*;

/// An uploaded CMDB file with its plan or outcome (admins only).
#[server(endpoint = "cmdb/import")]
pub async fn get_import(id: i64) -> Result<ImportView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::cmdb::transfer::get_import(&ctx, &actor, id).await
    })
    .await
}
