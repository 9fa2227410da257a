use crate::dto::UserView;
use crate::error::AppError;
use leptos::prelude::*;

/// Places a user in an organisation, or in none when `organisation_id` is empty (admins only).
#[server(endpoint = "admin/user-organisation")]
pub async fn set_user_organisation(user_id: String, organisation_id: Option<String>) -> Result<UserView, AppError> {
    use super::super::support::optional_id;
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let user_id = optional_id("user_id", Some(&user_id))?.ok_or_else(|| AppError::field("user_id", "Choose a user"))?;
        let organisation_id = optional_id("organisation_id", organisation_id.as_deref())?;
        crate::services::organisations::set_user_organisation(&ctx, &actor, user_id, organisation_id).await
    })
    .await
}
