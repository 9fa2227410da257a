use crate::error::AppError;
use crate::domain::url::is_local_path;
use leptos::prelude::*;

/// Only same-site paths are accepted as post-login destinations (no open redirects; see
/// [`is_local_path`]).
pub fn safe_next(next: Option<&str>) -> Option<&str> {
    next.filter(|n| is_local_path(n))
}

/// Signs in with username and password, sets the session cookie and redirects to `next`
/// (or the role's home page).
#[server(endpoint = "auth/login")]
pub async fn login(username: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use super::super::support::{app_context, client_ip, set_header};
    use crate::services::auth;
    super::super::support::respond(async move {
        let ctx = app_context()?;
        let (secret, actor) = auth::login(&ctx, &username, &password, client_ip(&ctx)).await?;
        set_header(axum::http::header::SET_COOKIE, &auth::session_cookie(&ctx, &secret))?;
        leptos_axum::redirect(safe_next(next.as_deref()).unwrap_or(actor.role.home_path()));
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_must_be_a_local_path() {
        assert_eq!(safe_next(Some("/console")), Some("/console"));
        assert_eq!(safe_next(Some("//evil.example")), None);
        assert_eq!(safe_next(Some("https://evil.example")), None);
        assert_eq!(safe_next(Some("/\\evil")), None);
        assert_eq!(safe_next(None), None);
    }
}
