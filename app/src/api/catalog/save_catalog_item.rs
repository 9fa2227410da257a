use crate::domain::catalog::builder::{FieldRow, StageRow, TaskRow};
use crate::dto::CatalogItemAdmin;
use crate::error::AppError;
use leptos::prelude::*;

/// Creates (`id` empty) or changes a catalog item from the builder (admins): its details, who
/// may order it (`roles[]`, `organisations[]`), and its rows of form fields, approval stages and
/// tasks. A changed form, stage list or task list makes a new definition version. Goes back to
/// the item's page.
#[server(endpoint = "catalog/save-item")]
#[allow(clippy::too_many_arguments)]
pub async fn save_catalog_item(
    id: Option<String>,
    version: Option<i32>,
    name: String,
    summary: Option<String>,
    description: Option<String>,
    icon: Option<String>,
    service_id: Option<String>,
    category_id: Option<String>,
    group_id: Option<String>,
    sla_policy_id: Option<String>,
    active: Option<String>,
    roles: Option<Vec<String>>,
    organisations: Option<Vec<String>>,
    fields: Option<Vec<FieldRow>>,
    stages: Option<Vec<StageRow>>,
    tasks: Option<Vec<TaskRow>>,
) -> Result<CatalogItemAdmin, AppError> {
    use crate::domain::catalog::ItemAudience;
    use crate::domain::Role;
    use crate::services::catalog::{self, ItemInput};
    use super::super::support::optional_id;
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        fn rows<T>(r: Result<Vec<T>, Vec<crate::domain::FieldError>>, errors: &mut Vec<crate::domain::FieldError>) -> Vec<T> {
            r.unwrap_or_else(|e| {
                errors.extend(e);
                Vec::new()
            })
        }
        let mut errors = Vec::new();
        let form = rows(FieldRow::to_fields(fields.unwrap_or_default()), &mut errors);
        let approvals = rows(StageRow::to_stages(stages.unwrap_or_default()), &mut errors);
        let tasks = rows(TaskRow::to_tasks(tasks.unwrap_or_default()), &mut errors);
        let mut audience = ItemAudience::default();
        for r in roles.unwrap_or_default() {
            audience.roles.push(Role::parse(&r).map_err(|_| AppError::field("roles", "Choose from the list"))?);
        }
        for o in organisations.unwrap_or_default() {
            audience.organisation_ids.extend(optional_id("organisations", Some(&o))?);
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let input = ItemInput {
            name,
            summary: summary.unwrap_or_default(),
            description: description.unwrap_or_default(),
            icon: icon.unwrap_or_default(),
            service_id: optional_id("service_id", service_id.as_deref())?,
            category_id: optional_id("category_id", category_id.as_deref())?,
            audience,
            sla_policy_id: optional_id("sla_policy_id", sla_policy_id.as_deref())?,
            group_id: optional_id("group_id", group_id.as_deref())?,
            active: active.is_some_and(|a| a == "on" || a == "true"),
            form,
            approvals,
            tasks,
            expected_version: version,
        };
        let id = optional_id("id", id.as_deref())?;
        let saved = catalog::save_item(&ctx, &actor, id, input).await?;
        leptos_axum::redirect(&format!("/admin/catalog/{}", saved.id));
        Ok(saved)
    })
    .await
}
