//! Oxidesk application crate: domain rules, DTOs, server fns, services (server-only) and pages.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod dto;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod services;

pub use error::AppError;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around the app (server side only renders it). Its response carries a
/// Content-Security-Policy allowing only this site's scripts and the inline hydration scripts that
/// carry this response's nonce.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        if let Ok(value) = axum::http::HeaderValue::from_str(&content_security_policy(&nonce)) {
            res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The policy of every page: scripts from this site or inline with `nonce` (the hydration
/// scripts) and WebAssembly compilation; styles, images, fonts and fetches from this site only;
/// no plugins, no framing, forms post only here.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Root component: routes for the portal, console and admin.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Marks the document once the WASM app has hydrated (browser tests wait for it): on the task
    // after the first effects, so that suspended parts, which hydrate as their data resolves,
    // are done too.
    #[cfg(feature = "hydrate")]
    Effect::new(|_| {
        set_timeout(
            || {
                if let Some(body) = document().body() {
                    let _ = body.set_attribute("data-hydrated", "true");
                }
            },
            std::time::Duration::ZERO,
        );
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/oxidesk.css"/>
        <Title text="Oxidesk"/>
        <Router>
            <Routes fallback=|| view! { <main class="page"><h1>"Page not found"</h1></main> }>
                <Route path=path!("/") view=pages::Home ssr=SsrMode::Async/>
                <Route path=path!("/login") view=pages::Login ssr=SsrMode::Async/>
                <Route path=path!("/portal") view=pages::portal::PortalHome ssr=SsrMode::Async/>
                <Route path=path!("/portal/tickets/:number") view=pages::portal::PortalTicket ssr=SsrMode::Async/>
                <Route path=path!("/portal/catalog") view=pages::portal::PortalCatalog ssr=SsrMode::Async/>
                <Route path=path!("/portal/catalog/:id") view=pages::portal::PortalCatalogItem ssr=SsrMode::Async/>
                <Route path=path!("/portal/requests") view=pages::portal::PortalRequests ssr=SsrMode::Async/>
                <Route path=path!("/portal/requests/:number") view=pages::portal::PortalRequest ssr=SsrMode::Async/>
                <Route path=path!("/portal/approvals") view=pages::portal::PortalApprovals ssr=SsrMode::Async/>
                <Route path=path!("/portal/kb") view=pages::portal::KnowledgeSearch ssr=SsrMode::Async/>
                <Route path=path!("/portal/kb/:number") view=pages::portal::KnowledgeArticle ssr=SsrMode::Async/>
                <Route path=path!("/console") view=pages::console::Queue ssr=SsrMode::Async/>
                <Route path=path!("/console/tickets/:number") view=pages::console::ConsoleTicket ssr=SsrMode::Async/>
                <Route path=path!("/console/approvals") view=pages::console::ConsoleApprovals ssr=SsrMode::Async/>
                <Route path=path!("/console/kb") view=pages::console::KnowledgeList ssr=SsrMode::Async/>
                <Route path=path!("/console/cmdb") view=pages::console::CmdbList ssr=SsrMode::Async/>
                <Route path=path!("/console/cmdb/:id") view=pages::console::CmdbItem ssr=SsrMode::Async/>
                <Route path=path!("/console/cmdb/:id/map") view=pages::console::CmdbMap ssr=SsrMode::Async/>
                <Route path=path!("/console/kb/new") view=pages::console::KnowledgeNew ssr=SsrMode::Async/>
                <Route path=path!("/console/kb/:number") view=pages::console::KnowledgeEdit ssr=SsrMode::Async/>
                <Route path=path!("/admin") view=pages::admin::AdminHome ssr=SsrMode::Async/>
                <Route path=path!("/admin/sla") view=pages::admin::AdminSla ssr=SsrMode::Async/>
                <Route path=path!("/admin/kb") view=pages::admin::AdminKnowledge ssr=SsrMode::Async/>
                <Route path=path!("/admin/catalog") view=pages::admin::AdminCatalog ssr=SsrMode::Async/>
                <Route path=path!("/admin/catalog/:id") view=pages::admin::AdminCatalogItem ssr=SsrMode::Async/>
                <Route path=path!("/admin/cmdb") view=pages::admin::AdminCmdb ssr=SsrMode::Async/>
                <Route path=path!("/admin/cmdb/imports/:id") view=pages::admin::AdminCmdbImport ssr=SsrMode::Async/>
                <Route path=path!("/admin/licences") view=pages::admin::AdminLicences ssr=SsrMode::Async/>
                <Route path=path!("/admin/licences/:id") view=pages::admin::AdminLicence ssr=SsrMode::Async/>
                <Route path=path!("/admin/users/:id") view=pages::admin::AdminUser ssr=SsrMode::Async/>
                <Route path=path!("/account") view=pages::Account ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}
