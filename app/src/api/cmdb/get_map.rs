use crate::dto::CiMap;
use crate::error::AppError;
use leptos::prelude::*;

/// The configuration items around one, and the relationships between them (staff only).
#[server(endpoint = "cmdb/map")]
pub async fn get_map(key: String, depth: Option<i64>) -> Result<CiMap, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::cmdb::map(&ctx, &actor, &key, depth).await
    })
    .await
}
