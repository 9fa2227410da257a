use crate::dto::LicenceDetail;
use crate::error::AppError;
use leptos::prelude::*;

/// Removes a licence's installation on a configuration item (admins only).
#[server(endpoint = "cmdb/licence_uninstall")]
pub async fn remove_installation(licence: i64, version: Option<i32>, ci_id: i64) -> Result<LicenceDetail, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::cmdb::remove_installation(&ctx, &actor, licence, ci_id, version).await
    })
    .await
}
