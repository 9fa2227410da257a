use crate::domain::Actor;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in user, or `None`.
#[server(endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<Actor>, AppError> {
    use super::super::support::{app_context, current_actor};
    super::super::support::respond(async move {
        let ctx = app_context()?;
        current_actor(&ctx).await
    })
    .await
}
