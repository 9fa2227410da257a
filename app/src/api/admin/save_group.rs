use crate::dto::GroupView;
use crate::error::AppError;
use leptos::prelude::*;

/// Creates (no `id`) or updates an assignment group with tier, manager and escalation target.
#[server(endpoint = "admin/group")]
pub async fn save_group(id: Option<String>, name: String, description: String, tier: String, manager_id: Option<String>, escalates_to_id: Option<String>) -> Result<GroupView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        use crate::services::users::{self, GroupInput};
        use super::super::support::optional_id;
        let id = optional_id("id", id.as_deref())?;
        let input = GroupInput {
            name,
            description,
            tier,
            manager_id: optional_id("manager_id", manager_id.as_deref())?,
            escalates_to_id: optional_id("escalates_to_id", escalates_to_id.as_deref())?,
        };
        users::save_group(&ctx, &actor, id, input).await
    })
    .await
}
