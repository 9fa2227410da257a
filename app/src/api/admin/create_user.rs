use crate::dto::UserView;
use crate::error::AppError;
use leptos::prelude::*;

/// Creates a user (admins only).
#[server(endpoint = "admin/users/create")]
pub async fn create_user(
    username: String,
    display_name: String,
    email: String,
    role: String,
    password: String,
    organisation_id: Option<String>,
) -> Result<UserView, AppError> {
    use crate::services::users::{self, NewUser};
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let organisation_id = super::super::support::optional_id("organisation_id", organisation_id.as_deref())?;
        let input = NewUser { username, display_name, email, role, password, group_ids: vec![], organisation_id };
        users::create_user(&ctx, Some(&actor), input).await
    })
    .await
}
