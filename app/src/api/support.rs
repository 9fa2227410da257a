//! What every server fn needs: the shared [`AppContext`] and the signed-in [`Actor`].

use crate::domain::Actor;
use crate::error::AppError;
use crate::services::{auth, AppContext};
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use leptos::prelude::use_context;

/// The context provided to both the SSR renderer and the server-fn handler.
pub fn app_context() -> Result<AppContext, AppError> {
    use_context::<AppContext>().ok_or_else(|| {
        tracing::error!("AppContext missing from the Leptos context");
        AppError::Internal
    })
}

/// The session secret carried by the current request's cookie.
pub fn session_secret() -> Option<String> {
    let parts = use_context::<Parts>()?;
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(auth::session_from_cookie_header)
        .map(str::to_string)
}

/// The address of the client that sent the current request: the peer, or with
/// `trust_forwarded_for` the last address a proxy added to `X-Forwarded-For`.
pub fn client_ip(ctx: &AppContext) -> Option<std::net::IpAddr> {
    let parts = use_context::<Parts>()?;
    client_ip_of(&parts, ctx.settings.trust_forwarded_for)
}

/// [`client_ip`] of a request's parts.
pub fn client_ip_of(parts: &Parts, trust_forwarded_for: bool) -> Option<std::net::IpAddr> {
    if trust_forwarded_for {
        let forwarded = parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).last();
        if let Some(ip) = forwarded.and_then(|v| v.rsplit(',').next()).and_then(|ip| ip.trim().parse().ok()) {
            return Some(ip);
        }
    }
    parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip())
}

/// The signed-in actor, if any.
pub async fn current_actor(ctx: &AppContext) -> Result<Option<Actor>, AppError> {
    match session_secret() {
        Some(secret) => auth::actor_for_session(ctx, &secret).await,
        None => Ok(None),
    }
}

/// Context and signed-in actor, or `Unauthenticated`.
pub async fn context_and_actor() -> Result<(AppContext, Actor), AppError> {
    let ctx = app_context()?;
    let actor = current_actor(&ctx).await?.ok_or(AppError::Unauthenticated)?;
    Ok((ctx, actor))
}

/// Sets a response header (e.g. `Set-Cookie`) on the server fn's or page's response.
pub fn set_header(name: axum::http::HeaderName, value: &str) -> Result<(), AppError> {
    let value = axum::http::HeaderValue::from_str(value).map_err(|_| AppError::Internal)?;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.append_header(name, value);
    }
    Ok(())
}

/// Runs a server fn body and, when it fails, gives the response the error's HTTP status
/// (422 for validation, 403, 404, 409 …) instead of a blanket 500. Plain HTML form posts (no JS)
/// keep the redirect back to the form, which carries the error in its URL.
pub async fn respond<T>(body: impl std::future::Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    let result = body.await;
    let form_post = use_context::<Parts>()
        .and_then(|p| p.headers.get(axum::http::header::ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
        .unwrap_or(false);
    if let (Err(e), false) = (&result, form_post) {
        if let (Some(res), Ok(status)) =
            (use_context::<leptos_axum::ResponseOptions>(), axum::http::StatusCode::from_u16(e.status()))
        {
            res.set_status(status);
        }
    }
    if let Err(AppError::RateLimited { retry_after_secs }) = &result {
        set_header(axum::http::header::RETRY_AFTER, &retry_after_secs.to_string())?;
    }
    result
}

/// An optional id from a form select: empty means none, anything else must be a number.
pub fn optional_id(field: &str, raw: Option<&str>) -> Result<Option<i64>, AppError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| AppError::field(field, "Choose from the list")),
    }
}
