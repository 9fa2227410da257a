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
) -> Result<UserView, AppError> {
    use crate::services::users::{self, NewUser};
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let input = NewUser { username, display_name, email, role, password, group_ids: vec![] };
        users::create_user(&ctx, Some(&actor), input).await
    })
    .await
}
