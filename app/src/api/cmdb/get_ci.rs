use crate::dto::CiDetail;
use crate::error::AppError;
use leptos::prelude::*;

/// One configuration item by id or name, with its ticket history (staff only).
#[server(endpoint = "cmdb/get")]
pub async fn get_ci(key: String) -> Result<CiDetail, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::cmdb::get_ci(&ctx, &actor, &key).await
    })
    .await
}
