use crate::dto::RelationshipList;
use crate::error::AppError;
use leptos::prelude::*;

/// A configuration item's relationships and redundancy sets (staff only).
#[server(endpoint = "cmdb/relationships")]
pub async fn list_relationships(key: String) -> Result<RelationshipList, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::cmdb::list_relationships(&ctx, &actor, &key).await
    })
    .await
}
