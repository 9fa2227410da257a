use crate::dto::CiDetail;
use crate::error::AppError;
use leptos::prelude::*;

/// Records or changes the asset record of a configuration item (admins only).
#[server(endpoint = "cmdb/asset")]
#[allow(clippy::too_many_arguments)]
pub async fn save_asset(
    ci: String,
    version: Option<i32>,
    lifecycle: String,
    asset_tag: Option<String>,
    serial_number: Option<String>,
    owner_email: Option<String>,
    vendor: Option<String>,
    purchase_date: Option<String>,
    cost: Option<String>,
    warranty_end: Option<String>,
    lease_end: Option<String>,
    notice_days: Option<String>,
) -> Result<CiDetail, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let input = crate::services::cmdb::AssetInput {
            lifecycle,
            asset_tag: asset_tag.unwrap_or_default(),
            serial_number: serial_number.unwrap_or_default(),
            owner_email: owner_email.unwrap_or_default(),
            vendor: vendor.unwrap_or_default(),
            purchase_date: purchase_date.unwrap_or_default(),
            cost: cost.unwrap_or_default(),
            warranty_end: warranty_end.unwrap_or_default(),
            lease_end: lease_end.unwrap_or_default(),
            notice_days: notice_days.unwrap_or_default(),
            expected_version: version,
        };
        crate::services::cmdb::save_asset(&ctx, &actor, &ci, input).await
    })
    .await
}
