use crate::dto::RelationshipList;
use crate::error::AppError;
use leptos::prelude::*;

/// Removes one of a configuration item's relationships (admins only).
#[server(endpoint = "cmdb/unrelate")]
pub async fn remove_relationship(ci: String, version: Option<i32>, relationship_id: i64) -> Result<RelationshipList, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::cmdb::remove_relationship(&ctx, &actor, &ci, relationship_id, version).await
    })
    .await
}
