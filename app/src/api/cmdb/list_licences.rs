use crate::dto::LicenceList;
use crate::error::AppError;
use leptos::prelude::*;

/// Every software licence with its use (staff only).
#[server(endpoint = "cmdb/licences")]
pub async fn list_licences() -> Result<LicenceList, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::cmdb::list_licences(&ctx, &actor).await
    })
    .await
}
