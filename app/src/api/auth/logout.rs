use crate::error::AppError;
use leptos::prelude::*;

/// Ends the session, clears the cookie and goes to the sign-in page.
#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::super::support::{app_context, session_secret, set_header};
    use crate::services::auth;
    super::super::support::respond(async move {
        let ctx = app_context()?;
        if let Some(secret) = session_secret() {
            auth::logout(&ctx, &secret).await?;
        }
        set_header(axum::http::header::SET_COOKIE, &auth::clear_session_cookie())?;
        leptos_axum::redirect("/login");
        Ok(())
    })
    .await
}
