use crate::dto::{SlaCalendarView, SlaPolicyView};
use crate::error::AppError;
use leptos::prelude::*;

/// Calendars and policies for the SLA admin page.
#[server(endpoint = "admin/sla")]
pub async fn sla_setup() -> Result<(Vec<SlaCalendarView>, Vec<SlaPolicyView>), AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let calendars = crate::services::sla::list_calendars(&ctx, &actor).await?;
        let policies = crate::services::sla::list_policies(&ctx, &actor).await?;
        Ok((calendars, policies))
    })
    .await
}
