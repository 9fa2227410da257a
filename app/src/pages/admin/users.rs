//! `/admin/users/:id`: one user's access — deactivate or reactivate, reset the password, end the
//! sessions, revoke API tokens.

use crate::api::accounts::{account_overview, ResetPassword, RevokeSessions, RevokeToken, SetUserActive};
use crate::components::{EndSessionsForm, FieldMessage, FormError, Guard, TokenTable};
use crate::domain::Actor;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/admin/users/:id`.
#[component]
pub fn AdminUser() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let active = ServerAction::<SetUserActive>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let sessions = ServerAction::<RevokeSessions>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let account = Resource::new(
        move || (id(), active.version().get(), revoke.version().get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => account_overview(Some(id)).await,
                None => Err(crate::AppError::NotFound("User".into())),
            }
        },
    );
    let active_error = Signal::derive(move || active.value().get().and_then(|r| r.err()));
    let reset_error = Signal::derive(move || reset.value().get().and_then(|r| r.err()));
    view! {
        <Guard allow=Actor::is_admin>
            <p><a href="/admin">"← Administration"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match account.await {
                        Ok(a) => {
                            let u = a.user;
                            let (status, badge) = if u.active { ("Active", "badge ok") } else { ("Deactivated", "badge danger") };
                            view! {
                                <h1>{u.display_name.clone()} " (" {u.username.clone()} ") " <span class=badge id="account-status">{status}</span></h1>
                                <p>{u.role.label()} " · " {u.email.clone()} " · " {u.organisation_name.clone().unwrap_or_else(|| "No organisation".into())}</p>
                                <section class="card">
                                    <h2>"Access"</h2>
                                    <ActionForm action=active attr:class="form" attr:id="active-form">
                                        <input type="hidden" name="user_id" value=u.id/>
                                        <input type="hidden" name="active" value=(!u.active).to_string()/>
                                        <p>{if u.active {
                                            "Deactivating refuses sign-in, ends every session and stops the user's API tokens at once."
                                        } else {
                                            "Reactivating lets the user sign in again; their API tokens work again."
                                        }}</p>
                                        <FieldMessage error=active_error field="active"/>
                                        <FormError error=active_error/>
                                        <button type="submit" class=if u.active { "danger" } else { "" }>{if u.active { "Deactivate" } else { "Reactivate" }}</button>
                                    </ActionForm>
                                </section>
                                <section class="card">
                                    <h2>"Reset password"</h2>
                                    <ActionForm action=reset attr:class="form" attr:id="reset-form">
                                        <input type="hidden" name="user_id" value=u.id/>
                                        <label>"New password" <input name="password" type="password" autocomplete="new-password" minlength="8" required/></label>
                                        <FieldMessage error=reset_error field="password"/>
                                        <FormError error=reset_error/>
                                        <button type="submit">"Set password"</button>
                                        {move || reset.value().get().and_then(|r| r.ok()).map(|_| view! {
                                            <p class="notice" role="status">"Password set. The user's sessions were signed out."</p>
                                        })}
                                    </ActionForm>
                                </section>
                                <section class="card">
                                    <h2>"Sessions"</h2>
                                    <EndSessionsForm action=sessions user_id=u.id label="End all sessions" noun="session"/>
                                </section>
                                <section class="card">
                                    <h2>"API tokens"</h2>
                                    <TokenTable tokens=a.tokens revoke/>
                                </section>
                            }.into_any()
                        }
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Guard>
    }
}
