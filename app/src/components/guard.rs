use crate::api::auth::{current_user, Logout};
use crate::domain::Actor;
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_location;

/// Page frame: loads the signed-in user, sends strangers to sign in, refuses roles that may not
/// see the page (the server refuses the data too), and renders the header and the page.
#[component]
pub fn Guard(
    /// Who may see the page.
    allow: fn(&Actor) -> bool,
    /// Page body.
    children: ChildrenFn,
) -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    let location = use_location();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(actor)) if allow(&actor) => {
                        view! { <Header actor=actor/> <main class="page">{children.with_value(|c| c())}</main> }.into_any()
                    }
                    Ok(Some(actor)) => view! {
                        <Header actor=actor/>
                        <main class="page"><p class="form-error" role="alert">"You are not allowed to see this page."</p></main>
                    }
                    .into_any(),
                    Ok(None) => {
                        let next = location.pathname.get_untracked();
                        view! { <Redirect path=format!("/login?next={next}")/> }.into_any()
                    }
                    Err(e) => view! { <main class="page"><p class="form-error">{e.to_string()}</p></main> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Header(actor: Actor) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let staff = actor.is_staff();
    let admin = actor.is_admin();
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Oxidesk"</a>
            <nav>
                <A href="/portal">"Portal"</A>
                <A href="/portal/kb">"Knowledge"</A>
                <A href="/portal/catalog">"Catalog"</A>
                <A href="/portal/approvals">"Approvals"</A>
                {staff.then(|| view! { <A href="/console">"Console"</A> })}
                {staff.then(|| view! { <A href="/console/kb">"Articles"</A> })}
                {staff.then(|| view! { <A href="/console/cmdb">"CMDB"</A> })}
                {admin.then(|| view! { <A href="/admin">"Admin"</A> })}
            </nav>
            <a class="who" href="/account" data-testid="current-user" title="Your account">{actor.display_name.clone()} " · " {actor.role.label()}</a>
            <ActionForm action=logout attr:class="inline">
                <button type="submit" class="link">"Sign out"</button>
            </ActionForm>
        </header>
    }
}
