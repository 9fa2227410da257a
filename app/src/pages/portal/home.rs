use crate::api::knowledge::{suggest_articles, RecordDeflection};
use crate::api::tickets::{list_tickets, CreateTicket};
use crate::components::{debounced, when, FieldMessage, FormError, Guard, PriorityBadge, StateBadge};
use crate::domain::{Impact, Urgency};
use leptos::prelude::*;

/// `/portal`: knowledge search, the new incident form (suggesting articles while the requester
/// types: deflection) and the requester's tickets.
#[component]
pub fn PortalHome() -> impl IntoView {
    let create = ServerAction::<CreateTicket>::new();
    let deflect = ServerAction::<RecordDeflection>::new();
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let typed = debounced(Signal::derive(move || format!("{} {}", title.get(), description.get()).trim().to_string()), 300);
    let suggestions = Resource::new(move || typed.get(), |text| async move {
        if text.chars().count() < 6 { Ok(Vec::new()) } else { suggest_articles(text).await }
    });
    let shown = move || {
        suggestions.get().and_then(|r| r.ok()).unwrap_or_default().iter().map(|h| h.number.clone()).collect::<Vec<_>>().join(",")
    };
    let solved_by = RwSignal::new(None::<String>);
    let solved = move |number: String| {
        solved_by.set(Some(number.clone()));
        deflect.dispatch(RecordDeflection { query: typed.get_untracked(), suggested: shown(), solved_by: number });
    };
    let error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let created = move || create.value().get().and_then(|r| r.ok());
    let tickets = Resource::new(move || create.version().get(), |_| list_tickets(String::new()));
    view! {
        <Guard allow=|_| true>
            <h1>"Service portal"</h1>
            <nav class="portal-nav"><a href="/portal/catalog">"Request something"</a> " · " <a href="/portal/requests">"My requests"</a> " · " <a href="/portal/approvals">"My approvals"</a></nav>
            <form method="GET" action="/portal/kb" class="search" role="search">
                <input type="search" name="q" aria-label="Search the knowledge base" placeholder="Search for answers, e.g. vpn password"/>
                <button type="submit">"Search knowledge"</button>
            </form>
            <section class="card">
                <h2>"Report an incident"</h2>
                <Show when=move || solved_by.get().is_none() fallback=move || view! {
                    <p class="notice" role="status" id="deflected">"Glad that solved it — no ticket was needed. "
                        <a href="/portal" on:click=move |_| { solved_by.set(None); title.set(String::new()); description.set(String::new()); }>"Report something else"</a></p>
                }>
                <ActionForm action=create attr:class="form" attr:id="new-incident">
                    <label>"Title" <input name="title" maxlength="200" placeholder="What is not working?" on:input=move |ev| title.set(event_target_value(&ev))/></label>
                    <FieldMessage error field="title"/>
                    <label>"Description" <textarea name="description" rows="4" placeholder="Steps, error messages, since when…" on:input=move |ev| description.set(event_target_value(&ev))></textarea></label>
                    <FieldMessage error field="description"/>
                    <input type="hidden" name="suggested" prop:value=shown/>
                    <Transition fallback=|| ()>
                        {move || suggestions.get().and_then(|r| r.ok()).filter(|h| !h.is_empty()).map(|hits| view! {
                            <aside class="suggestions" id="suggestions" aria-live="polite">
                                <h3>"These articles may solve it"</h3>
                                <ul>
                                    {hits.into_iter().map(|h| {
                                        let number = h.number.clone();
                                        view! {
                                            <li data-number=h.number.clone()>
                                                <a href=h.url.clone() target="_blank" inner_html=h.title_html.clone()></a>
                                                <p class="snippet" inner_html=h.snippet_html.clone()></p>
                                                <button type="button" class="secondary solved" on:click=move |_| solved(number.clone())>"This solved it"</button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </aside>
                        })}
                    </Transition>
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
                </Show>
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
