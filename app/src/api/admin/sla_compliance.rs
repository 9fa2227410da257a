use crate::dto::ComplianceRow;
use crate::error::AppError;
use leptos::prelude::*;

/// SLA compliance for tickets created between `from` and `to` (`YYYY-MM-DD`, `to` exclusive).
#[server(endpoint = "admin/sla-compliance")]
pub async fn sla_compliance(from: String, to: String, by: String) -> Result<Vec<ComplianceRow>, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let parse = |field: &str, raw: &str| {
            crate::domain::field::parse_day(field, raw.trim())?.and_hms_opt(0, 0, 0).map(|d| d.and_utc()).ok_or(AppError::Internal)
        };
        let (from, to) = (parse("from", &from)?, parse("to", &to)?);
        crate::services::sla::compliance(&ctx, &actor, from, to, &by).await
    })
    .await
}
