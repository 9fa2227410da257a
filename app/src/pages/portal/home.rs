use crate::api::tickets::{list_tickets, CreateTicket};
use crate::components::{when, FieldMessage, FormError, Guard, PriorityBadge, StateBadge};
use crate::domain::{Impact, Urgency};
use leptos::prelude::*;

/// `/portal`: new incident form and the requester's tickets.
#[component]
pub fn PortalHome() -> impl IntoView {
    let create = ServerAction::<CreateTicket>::new();
    let error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let created = move || create.value().get().and_then(|r| r.ok());
    let tickets = Resource::new(move || create.version().get(), |_| list_tickets(None, None, None, None));
    view! {
        <Guard allow=|_| true>
            <h1>"Service portal"</h1>
            <section class="card">
                <h2>"Report an incident"</h2>
                <ActionForm action=create attr:class="form" attr:id="new-incident">
                    <label>"Title" <input name="title" maxlength="200" placeholder="What is not working?"/></label>
                    <FieldMessage error field="title"/>
                    <label>"Description" <textarea name="description" rows="4" placeholder="Steps, error messages, since when…"></textarea></label>
                    <FieldMessage error field="description"/>
                    <div class="row">
                        <label>"Impact"
                            <select name="impact">
                                {Impact::ALL.into_iter().map(|i| view! { <option value=i.code() selected=i == Impact::Medium>{i.label()}</option> }).collect_view()}
                            </select>
                        </label>
                        <label>"Urgency"
                            <select name="urgency">
                                {Urgency::ALL.into_iter().map(|u| view! { <option value=u.code() selected=u == Urgency::Medium>{u.label()}</option> }).collect_view()}
                            </select>
                        </label>
                    </div>
                    <FieldMessage error field="impact"/>
                    <FieldMessage error field="urgency"/>
                    <FormError error/>
                    <button type="submit">"Submit incident"</button>
                    {move || created().map(|t| view! { <p class="notice" role="status">"Created " <a href=format!("/portal/tickets/{}", t.number)>{t.number.clone()}</a></p> })}
                </ActionForm>
            </section>
            <section class="card">
                <h2>"My tickets"</h2>
                <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match tickets.await {
                            Ok(page) if page.tickets.is_empty() => view! { <p class="empty">"You have no tickets yet."</p> }.into_any(),
                            Ok(page) => view! {
                                <table class="tickets" id="my-tickets">
                                    <thead><tr><th>"Number"</th><th>"Title"</th><th>"State"</th><th>"Priority"</th><th>"Updated"</th></tr></thead>
                                    <tbody>
                                        {page.tickets.into_iter().map(|t| view! {
                                            <tr data-number=t.number.clone()>
                                                <td><a href=format!("/portal/tickets/{}", t.number)>{t.number.clone()}</a></td>
                                                <td>{t.title.clone()}</td>
                                                <td><StateBadge state=t.state/></td>
                                                <td><PriorityBadge priority=t.priority/></td>
                                                <td>{when(&t.updated_at)}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                            Err(e) => view! { <p class="form-error">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </Guard>
    }
}
