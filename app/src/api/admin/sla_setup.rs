use crate::dto::SlaSetupView;
use crate::error::AppError;
use leptos::prelude::*;

/// Calendars, policies and the services, categories, groups and organisations policies can match, for the SLA admin page.
#[server(endpoint = "admin/sla")]
pub async fn sla_setup() -> Result<SlaSetupView, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let calendars = crate::services::sla::list_calendars(&ctx, &actor).await?;
        let policies = crate::services::sla::list_policies(&ctx, &actor).await?;
        let groups = crate::services::users::list_groups(&ctx, &actor).await?;
        let organisations = crate::services::organisations::list_organisations(&ctx, &actor).await?;
        let (services, categories) = crate::services::reference::list_catalog(&ctx).await?;
        Ok(SlaSetupView { calendars, policies, services, groups, organisations, categories })
    })
    .await
}
