use crate::dto::SlaCalendarView;
use crate::error::AppError;
use leptos::prelude::*;

/// Creates (no `id`) or changes a business calendar; open tickets are recomputed.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "admin/calendar")]
pub async fn save_calendar(
    id: Option<String>,
    name: String,
    time_zone: String,
    hours_mon: String,
    hours_tue: String,
    hours_wed: String,
    hours_thu: String,
    hours_fri: String,
    hours_sat: String,
    hours_sun: String,
    holidays: String,
) -> Result<SlaCalendarView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let id = super::super::support::optional_id("id", id.as_deref())?;
        let input = crate::services::sla::CalendarInput {
            name,
            time_zone,
            week: [hours_mon, hours_tue, hours_wed, hours_thu, hours_fri, hours_sat, hours_sun],
            holidays,
        };
        crate::services::sla::save_calendar(&ctx, &actor, id, input).await
    })
    .await
}
