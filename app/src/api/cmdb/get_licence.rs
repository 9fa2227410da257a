use crate::dto::LicenceDetail;
use crate::error::AppError;
use leptos::prelude::*;

/// One software licence with its installations (staff only).
#[server(endpoint = "cmdb/licence")]
pub async fn get_licence(id: String) -> Result<LicenceDetail, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound("Licence".into()))?;
        crate::services::cmdb::get_licence(&ctx, &actor, id).await
    })
    .await
}
