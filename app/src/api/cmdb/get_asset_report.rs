use crate::dto::AssetReport;
use crate::error::AppError;
use leptos::prelude::*;

/// Warranties, leases and licences ending within `days` (default 90) and over-used licences
/// (admins only).
#[server(endpoint = "cmdb/asset_report")]
pub async fn get_asset_report(days: Option<u32>) -> Result<AssetReport, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::cmdb::assets::report(&ctx, &actor, days, chrono::Utc::now().date_naive()).await
    })
    .await
}
