use crate::error::AppError;
use leptos::prelude::*;

/// "This solved it": records that article `solved_by`, suggested while the requester wrote a
/// ticket (`query`), made the ticket unnecessary. `suggested` lists the numbers shown.
#[server(endpoint = "kb/deflected")]
pub async fn record_deflection(query: String, suggested: String, solved_by: String) -> Result<bool, AppError> {
    use crate::services::knowledge::{self, DeflectionInput};
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let input = DeflectionInput {
            query,
            suggested: suggested.split(',').map(str::to_string).collect(),
            solved_by: Some(solved_by),
            ..Default::default()
        };
        knowledge::record_deflection(&ctx, &actor, input).await
    })
    .await
}
