//! Browser-facing protections: CSRF checks on state-changing requests made with the session
//! cookie, and conservative security headers on every response.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Refuses cross-site state-changing requests.
///
/// Cookies are `SameSite=Lax`; on top of that every POST/PUT/PATCH/DELETE outside the bearer-token
/// REST API (`/api/v1`) must prove it comes from our own pages: its `Origin` (or, failing that,
/// `Referer`) must name this host, or `Sec-Fetch-Site` must say `same-origin`. Browsers always
/// send at least one of these on form posts and `fetch`, with or without JavaScript. `/health` and
/// the OpenAPI document change nothing, so a wrong method there simply gets 405.
pub async fn csrf_guard(req: Request, next: Next) -> Response {
    let unsafe_method = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
    let path = req.uri().path();
    let stateless = path.starts_with("/api/v1/") || path == "/health" || path == "/api/openapi.json";
    if unsafe_method && !stateless && !same_origin(req.headers()) {
        tracing::warn!(path = %req.uri().path(), "refused cross-site request (CSRF check)");
        return (StatusCode::FORBIDDEN, "Cross-site request refused").into_response();
    }
    next.run(req).await
}

fn same_origin(headers: &HeaderMap) -> bool {
    let get = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let Some(host) = get(header::HOST) else { return false };
    if let Some(origin) = get(header::ORIGIN) {
        return origin != "null" && authority(origin) == Some(host);
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin";
    }
    get(header::REFERER).and_then(authority) == Some(host)
}

/// `host[:port]` of an absolute URL.
fn authority(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&rest[..end])
}

/// Adds `nosniff`, frame denial and a same-origin referrer policy to every response; a
/// Content-Security-Policy that allows nothing to any response that brought none of its own (pages
/// bring theirs, with the nonce of their hydration scripts: `app::content_security_policy`); and,
/// when served over HTTPS (`secure_cookies`), `Strict-Transport-Security`.
pub async fn security_headers(State(https): State<bool>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"));
    }
    if https {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn origin_must_match_host() {
        assert!(same_origin(&headers(&[("host", "desk:3000"), ("origin", "http://desk:3000")])));
        assert!(!same_origin(&headers(&[("host", "desk:3000"), ("origin", "http://evil:3000")])));
        assert!(!same_origin(&headers(&[("host", "desk:3000"), ("origin", "null")])));
    }

    #[test]
    fn falls_back_to_fetch_metadata_then_referer() {
        assert!(same_origin(&headers(&[("host", "desk"), ("sec-fetch-site", "same-origin")])));
        assert!(!same_origin(&headers(&[("host", "desk"), ("sec-fetch-site", "cross-site")])));
        assert!(same_origin(&headers(&[("host", "desk"), ("referer", "https://desk/portal?x=1")])));
        assert!(!same_origin(&headers(&[("host", "desk"), ("referer", "https://desk.evil/portal")])));
        assert!(!same_origin(&headers(&[("host", "desk")])));
    }
}
