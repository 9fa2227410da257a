//! Pages: sign-in, the requester portal, the agent console and the admin area.

mod account;
pub mod admin;
pub mod console;
pub mod portal;

pub use account::Account;
use crate::api::auth::{current_user, Login};
use crate::components::{FieldMessage, FormError};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

/// `/`: sends a signed-in user to their home page, others to sign in.
#[component]
pub fn Home() -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let path = match user.await {
                    Ok(Some(actor)) => actor.role.home_path(),
                    _ => "/login",
                };
                view! { <Redirect path=path/> }
            })}
        </Suspense>
    }
}

/// `/login`: username and password form.
#[component]
pub fn Login() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = Signal::derive(move || login.value().get().and_then(|r| r.err()));
    let next = move || use_query_map().with(|q| q.get("next")).unwrap_or_default();
    view! {
        <main class="page narrow">
            <h1>"Sign in to Oxidesk"</h1>
            <ActionForm action=login attr:class="card form" attr:id="login-form">
                <input type="hidden" name="next" value=next/>
                <label>"Username" <input name="username" autocomplete="username" required/></label>
                <FieldMessage error field="username"/>
                <label>"Password" <input name="password" type="password" autocomplete="current-password" required/></label>
                <FormError error/>
                <button type="submit">"Sign in"</button>
            </ActionForm>
        </main>
    }
}
