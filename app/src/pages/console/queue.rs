use crate::api::tickets::list_tickets;
use crate::components::keyboard::use_row_keys;
use crate::components::live::use_live;
use crate::components::{when, Guard, PriorityBadge, StateBadge};
use crate::domain::Actor;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// `/console`: the ticket queue with state / assignee / text filters.
#[component]
pub fn Queue() -> impl IntoView {
    let query = use_query_map();
    let filters = move || {
        query.with(|q| {
            let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
            (get("state").or(Some("open".into())), get("assignee"), get("q"), get("group"))
        })
    };
    let live_tick = RwSignal::new(0u32);
    let live = RwSignal::new(false);
    use_live(move |m| {
        if m.kind == "hello" {
            live.set(true);
        }
        if m.kind == "hello" || m.kind.starts_with("ticket.") {
            live_tick.update(|t| *t += 1);
        }
    });
    use_row_keys("queue");
    let tickets = Resource::new(
        move || (filters(), live_tick.get()),
        |((state, assignee, q, group), _)| list_tickets(state, assignee, q, group),
    );
    let selected = move |key: &'static str, value: &'static str| {
        query.with(|q| q.get(key).as_deref() == Some(value))
    };
    view! {
        <Guard allow=Actor::is_staff>
            <p class="hint">"Keys: j / k to move, Enter to open."</p>
            <h1>"Queue" <span class="live-status" data-testid="live-status" data-live=move || live.get().to_string()>{move || if live.get() { "● live" } else { "" }}</span></h1>
            <Form method="GET" action="/console" attr:class="filters">
                <label>"State "
                    <select name="state">
                        <option value="open">"Open"</option>
                        <option value="new" selected=move || selected("state", "new")>"New"</option>
                        <option value="in_progress" selected=move || selected("state", "in_progress")>"In progress"</option>
                        <option value="on_hold" selected=move || selected("state", "on_hold")>"On hold"</option>
                        <option value="resolved" selected=move || selected("state", "resolved")>"Resolved"</option>
                        <option value="closed" selected=move || selected("state", "closed")>"Closed"</option>
                    </select>
                </label>
                <label>"Assigned "
                    <select name="assignee">
                        <option value="">"Anyone"</option>
                        <option value="me" selected=move || selected("assignee", "me")>"Me"</option>
                        <option value="none" selected=move || selected("assignee", "none")>"Unassigned"</option>
                    </select>
                </label>
                <label>"Groups "
                    <select name="group">
                        <option value="">"All groups"</option>
                        <option value="mine" selected=move || selected("group", "mine")>"My groups"</option>
                        <option value="none" selected=move || selected("group", "none")>"No group"</option>
                    </select>
                </label>
                <label>"Search " <input name="q" value=move || query.with(|q| q.get("q")).unwrap_or_default()/></label>
                <button type="submit">"Filter"</button>
            </Form>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match tickets.await {
                        Ok(page) => view! {
                            <p class="count">{page.total} " tickets"</p>
                            <table class="tickets" id="queue">
                                <thead><tr><th>"Number"</th><th>"Title"</th><th>"State"</th><th>"Priority"</th><th>"Requester"</th><th>"Assignee"</th><th>"Group"</th><th>"Updated"</th></tr></thead>
                                <tbody>
                                    {page.tickets.into_iter().map(|t| view! {
                                        <tr data-number=t.number.clone()>
                                            <td><a href=format!("/console/tickets/{}", t.number)>{t.number.clone()}</a></td>
                                            <td>{t.title.clone()}</td>
                                            <td><StateBadge state=t.state/></td>
                                            <td><PriorityBadge priority=t.priority/></td>
                                            <td>{t.requester_name.clone()}</td>
                                            <td>{t.assignee_name.clone().unwrap_or_else(|| "—".into())}</td>
                                            <td>{t.group_name.clone().unwrap_or_else(|| "—".into())}</td>
                                            <td>{when(&t.updated_at)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Guard>
    }
}
