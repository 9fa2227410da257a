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
