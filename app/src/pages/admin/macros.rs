use crate::api::admin::SaveMacro;
use crate::api::tickets::list_macros;
use crate::components::{FieldMessage, FormError};
use crate::domain::OnHoldReason;
use leptos::prelude::*;

/// Macros (canned replies with an optional state change) and a form to add one.
#[component]
pub fn MacrosCard() -> impl IntoView {
    let save = ServerAction::<SaveMacro>::new();
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let macros = Resource::new(move || save.version().get(), |_| list_macros());
    view! {
        <section class="card" id="macros">
            <h2>"Macros"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = macros.await.unwrap_or_default();
                    view! {
                        <table>
                            <thead><tr><th>"Name"</th><th>"Reply"</th><th>"Then"</th><th>"Active"</th></tr></thead>
                            <tbody>{list.into_iter().map(|m| view! {
                                <tr data-macro=m.name.clone()>
                                    <td>{m.name.clone()}</td>
                                    <td>{m.internal.then_some("(note) ")}{m.body.clone()}</td>
                                    <td>{m.state.clone().unwrap_or_else(|| "—".into())} {m.on_hold_reason.clone().map(|r| format!(" ({r})"))}</td>
                                    <td>{if m.active { "yes" } else { "no" }}</td>
                                </tr>
                            }).collect_view()}</tbody>
                        </table>
                    }
                })}
            </Suspense>
            <ActionForm action=save attr:class="form" attr:id="macro-admin-form">
                <label>"Macro name" <input name="name" maxlength="80"/></label>
                <FieldMessage error field="name"/>
                <label>"Reply" <textarea name="body" rows="3"></textarea></label>
                <FieldMessage error field="body"/>
                <label class="check"><input type="checkbox" name="internal"/> " Post as internal note"</label>
                <div class="row">
                    <label>"Then set state"
                        <select name="state">
                            <option value="">"(keep)"</option>
                            <option value="in_progress">"In progress"</option>
                            <option value="on_hold">"On hold"</option>
                        </select>
                    </label>
                    <label>"On hold reason"
                        <select name="on_hold_reason">
                            <option value="">"—"</option>
                            {OnHoldReason::MANUAL.into_iter().map(|r| view! { <option value=r.code()>{r.label()}</option> }).collect_view()}
                        </select>
                    </label>
                </div>
                <FieldMessage error field="state"/>
                <FieldMessage error field="on_hold_reason"/>
                <FormError error/>
                <button type="submit">"Add macro"</button>
            </ActionForm>
        </section>
    }
}
