use crate::dto::CiDetail;
use crate::error::AppError;
use leptos::prelude::*;

/// Registers (no `id`) or changes a configuration item (admins only).
#[server(endpoint = "cmdb/save")]
#[allow(clippy::too_many_arguments)]
pub async fn save_ci(
    id: Option<String>,
    version: Option<i32>,
    name: String,
    class: String,
    status: Option<String>,
    service_id: Option<String>,
    support_group_id: Option<String>,
    location: Option<String>,
    description: Option<String>,
) -> Result<CiDetail, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        use super::super::support::optional_id;
        let id = optional_id("id", id.as_deref())?;
        let input = crate::services::cmdb::CiInput {
            name,
            class,
            status: status.unwrap_or_default(),
            service_id: optional_id("service_id", service_id.as_deref())?,
            support_group_id: optional_id("support_group_id", support_group_id.as_deref())?,
            location,
            description: description.unwrap_or_default(),
            expected_version: version,
        };
        crate::services::cmdb::save_ci(&ctx, &actor, id, input).await
    })
    .await
}
