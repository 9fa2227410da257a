use crate::dto::SlaPolicyView;
use crate::error::AppError;
use leptos::prelude::*;

/// Creates (no `id`) or changes an SLA policy; open tickets are recomputed.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "admin/policy")]
pub async fn save_policy(
    id: Option<String>,
    name: String,
    position: String,
    ticket_type: String,
    priority: String,
    service_id: Option<String>,
    group_id: Option<String>,
    organisation_id: Option<String>,
    category_id: Option<String>,
    response_minutes: String,
    resolution_minutes: String,
    calendar_id: String,
    warn_percent: String,
    pause_awaiting_caller: Option<String>,
    pause_awaiting_change: Option<String>,
    pause_awaiting_problem: Option<String>,
    pause_awaiting_vendor: Option<String>,
    raise_priority: Option<String>,
    escalate: Option<String>,
) -> Result<SlaPolicyView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        use super::super::support::optional_id as number;
        let pause_reasons = [
            ("awaiting_caller", pause_awaiting_caller),
            ("awaiting_change", pause_awaiting_change),
            ("awaiting_problem", pause_awaiting_problem),
            ("awaiting_vendor", pause_awaiting_vendor),
        ]
        .into_iter()
        .filter(|(_, on)| on.is_some())
        .map(|(r, _)| r.to_string())
        .collect();
        let input = crate::services::sla::PolicyInput {
            name,
            position,
            ticket_type,
            priority,
            group_id: number("group_id", group_id.as_deref())?,
            service_id: number("service_id", service_id.as_deref())?,
            organisation_id: number("organisation_id", organisation_id.as_deref())?,
            category_id: number("category_id", category_id.as_deref())?,
            response_minutes,
            resolution_minutes,
            calendar_id: number("calendar_id", Some(&calendar_id))?,
            warn_percent,
            pause_reasons,
            raise_priority: raise_priority.is_some(),
            escalate: escalate.is_some(),
        };
        crate::services::sla::save_policy(&ctx, &actor, number("id", id.as_deref())?, input).await
    })
    .await
}
