use crate::api::accounts::RevokeToken;
use crate::components::{when, FormError};
use crate::dto::ApiTokenView;
use leptos::prelude::*;

/// A user's API tokens (name, issued, last used) with a "Revoke" button on each.
#[component]
pub fn TokenTable(tokens: Vec<ApiTokenView>, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    let error = Signal::derive(move || revoke.value().get().and_then(|r| r.err()));
    if tokens.is_empty() {
        return view! { <p class="hint" id="tokens">"No API tokens."</p> }.into_any();
    }
    view! {
        <table id="tokens">
            <thead><tr><th>"Name"</th><th>"Issued"</th><th>"Last used"</th><th></th></tr></thead>
            <tbody>
                {tokens.into_iter().map(|t| view! {
                    <tr data-token=t.name.clone()>
                        <td>{t.name.clone()}</td>
                        <td>{when(&t.created_at)}</td>
                        <td>{t.last_used_at.as_ref().map(when).unwrap_or_else(|| "Never".into())}</td>
                        <td>
                            <ActionForm action=revoke attr:class="inline">
                                <input type="hidden" name="token_id" value=t.id/>
                                <button type="submit" class="danger">"Revoke"</button>
                            </ActionForm>
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <FormError error/>
    }
    .into_any()
}
