use crate::dto::CiPage;
use crate::error::AppError;
use leptos::prelude::*;

/// Configuration items by name, filtered by part of the name, class and status (staff only).
#[server(endpoint = "cmdb/list")]
pub async fn list_cis(q: Option<String>, class: Option<String>, status: Option<String>, offset: Option<u64>) -> Result<CiPage, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let filter = crate::services::cmdb::CiFilter { q, class, status, limit: Some(50), offset };
        crate::services::cmdb::list_cis(&ctx, &actor, &filter).await
    })
    .await
}
