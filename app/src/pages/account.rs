//! `/account`: the signed-in user's own account — password, API tokens, other sessions.

use crate::api::accounts::{account_overview, ChangePassword, RevokeSessions, RevokeToken};
use crate::components::{EndSessionsForm, FieldMessage, FormError, Guard, TokenTable};
use leptos::prelude::*;

/// `/account`: change your password, revoke your API tokens, sign out your other sessions.
#[component]
pub fn Account() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let sessions = ServerAction::<RevokeSessions>::new();
    let account = Resource::new(move || revoke.version().get(), |_| account_overview(None));
    let change_error = Signal::derive(move || change.value().get().and_then(|r| r.err()));
    view! {
        <Guard allow=|_| true>
            <h1>"Your account"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match account.await {
                        Ok(a) => view! {
                            <section class="card" id="account-summary">
                                <p><strong>{a.user.display_name.clone()}</strong> " (" {a.user.username.clone()} ") · " {a.user.role.label()} " · " {a.user.email.clone()}</p>
                            </section>
                            <section class="card">
                                <h2>"API tokens"</h2>
                                <TokenTable tokens=a.tokens revoke/>
                            </section>
                        }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <section class="card">
                <h2>"Change password"</h2>
                <ActionForm action=change attr:class="form" attr:id="password-form">
                    <label>"Current password" <input name="current_password" type="password" autocomplete="current-password" required/></label>
                    <FieldMessage error=change_error field="current_password"/>
                    <label>"New password" <input name="new_password" type="password" autocomplete="new-password" minlength="8" required/></label>
                    <FieldMessage error=change_error field="new_password"/>
                    <FormError error=change_error/>
                    <button type="submit">"Change password"</button>
                    {move || change.value().get().and_then(|r| r.ok()).map(|_| view! {
                        <p class="notice" role="status">"Password changed. Your other sessions were signed out."</p>
                    })}
                </ActionForm>
            </section>
            <section class="card">
                <h2>"Sessions"</h2>
                <p>"Signed in on another device you no longer use? End every session but this one."</p>
                <EndSessionsForm action=sessions label="Sign out everywhere else" noun="other session"/>
            </section>
        </Guard>
    }
}
