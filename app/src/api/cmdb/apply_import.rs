use crate::dto::ImportView;
use crate::error::AppError;
use leptos::prelude::*;

/// Applies an uploaded CMDB file (admins only); `atomic`: all rows or none.
#[server(endpoint = "cmdb/import/apply")]
pub async fn apply_import(id: i64, atomic: Option<String>) -> Result<ImportView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::cmdb::transfer::apply_import(&ctx, &actor, id, atomic.as_deref() == Some("true")).await
    })
    .await
}
