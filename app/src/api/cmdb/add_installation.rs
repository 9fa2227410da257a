use crate::dto::LicenceDetail;
use crate::error::AppError;
use leptos::prelude::*;

/// Records a licence as installed on a configuration item (admins only).
#[server(endpoint = "cmdb/licence_install")]
pub async fn add_installation(licence: i64, version: Option<i32>, ci: String) -> Result<LicenceDetail, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::cmdb::add_installation(&ctx, &actor, licence, &ci, version).await
    })
    .await
}
