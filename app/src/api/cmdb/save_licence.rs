use crate::dto::LicenceDetail;
use crate::error::AppError;
use leptos::prelude::*;

/// Records (no `id`) or changes a software licence (admins only).
#[server(endpoint = "cmdb/licence_save")]
#[allow(clippy::too_many_arguments)]
pub async fn save_licence(
    id: Option<String>,
    version: Option<i32>,
    product: String,
    vendor: Option<String>,
    seats: String,
    expires_on: Option<String>,
    support_group_id: Option<String>,
    notice_days: Option<String>,
    notes: Option<String>,
) -> Result<LicenceDetail, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        use super::super::support::optional_id;
        let input = crate::services::cmdb::LicenceInput {
            product,
            vendor: vendor.unwrap_or_default(),
            seats,
            expires_on: expires_on.unwrap_or_default(),
            support_group_id: optional_id("support_group_id", support_group_id.as_deref())?,
            notice_days: notice_days.unwrap_or_default(),
            notes: notes.unwrap_or_default(),
            expected_version: version,
        };
        crate::services::cmdb::save_licence(&ctx, &actor, optional_id("id", id.as_deref())?, input).await
    })
    .await
}
