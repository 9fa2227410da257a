use crate::dto::ImpactReport;
use crate::error::AppError;
use leptos::prelude::*;

/// What a configuration item's failure affects (`up`) or what it needs (`down`) (staff only).
#[server(endpoint = "cmdb/impact")]
pub async fn get_impact(key: String, direction: Option<String>, depth: Option<i64>) -> Result<ImpactReport, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::cmdb::impact(&ctx, &actor, &key, direction.as_deref(), depth).await
    })
    .await
}
