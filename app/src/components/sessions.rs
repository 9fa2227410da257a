use crate::api::accounts::RevokeSessions;
use crate::components::FormError;
use leptos::prelude::*;

/// A form that ends a user's sessions (`user_id`; none: the signed-in user's other sessions) and
/// says how many ended.
#[component]
pub fn EndSessionsForm(
    action: ServerAction<RevokeSessions>,
    /// Whose sessions (an admin's page); `None` on your own account page.
    #[prop(optional)]
    user_id: Option<i64>,
    /// The button's words.
    label: &'static str,
    /// What the notice calls the sessions that ended ("other session", "session").
    noun: &'static str,
) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    view! {
        <ActionForm action attr:class="form" attr:id="sessions-form">
            {user_id.map(|id| view! { <input type="hidden" name="user_id" value=id/> })}
            <FormError error/>
            <button type="submit">{label}</button>
            {move || action.value().get().and_then(|r| r.ok()).map(|n| view! {
                <p class="notice" role="status">{format!("Ended {n} {noun}{}.", if n == 1 { "" } else { "s" })}</p>
            })}
        </ActionForm>
    }
}
