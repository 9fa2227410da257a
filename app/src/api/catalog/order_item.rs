use crate::dto::RequestView;
use crate::error::AppError;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Orders one catalog item with the form's answers (`answers[key][]`, several for a
/// multi-select), for the signed-in user or on behalf of `requested_for` (email or login), and
/// goes to the new request. A field error names `items.0.answers.KEY`.
#[server(endpoint = "catalog/order")]
pub async fn order_item(
    item_id: i64,
    requested_for: Option<String>,
    answers: Option<BTreeMap<String, Vec<String>>>,
) -> Result<RequestView, AppError> {
    use crate::services::catalog::{self, OrderLine, RequestOrder};
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let answers = answers.unwrap_or_default().into_iter().map(|(k, v)| (k, v.into_iter().filter(|s| !s.is_empty()).collect())).collect();
        let order = RequestOrder { requested_for: requested_for.unwrap_or_default(), lines: vec![OrderLine { item_id, answers }] };
        let request = catalog::submit_request(&ctx, &actor, order).await?;
        leptos_axum::redirect(&format!("/portal/requests/{}", request.number));
        Ok(request)
    })
    .await
}
