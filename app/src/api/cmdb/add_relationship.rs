use crate::dto::RelationshipList;
use crate::error::AppError;
use leptos::prelude::*;

/// Relates a configuration item to another (admins only).
#[server(endpoint = "cmdb/relate")]
pub async fn add_relationship(
    ci: String,
    version: Option<i32>,
    rel_type: String,
    target: String,
    redundancy_set: Option<String>,
    min_up: Option<String>,
) -> Result<RelationshipList, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let min_up = match min_up.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
            Some(m) => Some(m.parse::<i64>().map_err(|_| AppError::field("min_up", "Enter a whole number"))?),
            None => None,
        };
        let input = crate::services::cmdb::RelationshipInput { rel_type, target, redundancy_set, min_up, expected_version: version };
        crate::services::cmdb::add_relationship(&ctx, &actor, &ci, input).await
    })
    .await
}
