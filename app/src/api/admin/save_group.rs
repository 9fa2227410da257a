use crate::dto::GroupView;
use crate::error::AppError;
use leptos::prelude::*;

/// Creates (no `id`) or updates an assignment group with tier, manager and escalation target.
#[server(endpoint = "admin/group")]
pub async fn save_group(id: Option<String>, name: String, description: String, tier: String, manager_id: Option<String>, escalates_to_id: Option<String>) -> Result<GroupView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        use crate::services::users::{self, GroupInput};
        let parse = |field: &str, raw: Option<String>| -> Result<Option<i64>, AppError> {
            match raw.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(v) => v.parse().map(Some).map_err(|_| AppError::field(field, "Choose from the list")),
            }
        };
        let id = parse("id", id)?;
        let input = GroupInput { name, description, tier, manager_id: parse("manager_id", manager_id)?, escalates_to_id: parse("escalates_to_id", escalates_to_id)? };
        users::save_group(&ctx, &actor, id, input).await
    })
    .await
}
