use crate::api::tickets::{list_tickets, queue_views, BulkUpdate, DeleteView, SaveView};
use crate::components::keyboard::use_row_keys;
use crate::components::live::use_live;
use crate::components::{debounced, when, FieldMessage, FormError, Guard, PriorityBadge, StateBadge};
use crate::domain::{Actor, OnHoldReason};
use crate::dto::count_label;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_location, use_query_map};

/// `/console`: views with live counts (mine, my groups, unassigned, breaching soon, recently
/// updated, saved views), filters and sorting, bulk actions, keyboard navigation.
#[component]
pub fn Queue() -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    let current = move || {
        let search = location.search.get();
        let q = search.trim_start_matches('?').to_string();
        if q.is_empty() { "state=open".to_string() } else { q }
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
    let save = ServerAction::<SaveView>::new();
    let delete = ServerAction::<DeleteView>::new();
    let bulk = ServerAction::<BulkUpdate>::new();
    let save_err = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let bulk_err = Signal::derive(move || bulk.value().get().and_then(|r| r.err()));
    let tickets = Resource::new(move || (current(), live_tick.get(), bulk.version().get()), |(q, _, _)| list_tickets(q));
    // Counting every view is several COUNT queries: follow bursts of live events at most every 2 s.
    let counts_tick = debounced(Signal::derive(move || live_tick.get()), 2000);
    let views = Resource::new(
        move || (counts_tick.get(), save.version().get(), delete.version().get(), bulk.version().get()),
        |_| queue_views(),
    );
    let selected = move |key: &'static str, value: &'static str| query.with(|q| q.get(key).as_deref() == Some(value));
    view! {
        <Guard allow=Actor::is_staff>
            <p class="hint">"Keys: j / k to move, Enter to open."</p>
            <h1>"Queue" <span class="live-status" data-testid="live-status" data-live=move || live.get().to_string()>{move || if live.get() { "● live" } else { "" }}</span></h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = views.await.unwrap_or_default();
                    let now = current();
                    view! {
                        <nav class="tabs views" id="views">
                            {list.into_iter().map(|v| {
                                let active = v.query == now;
                                view! {
                                    <span class="view" data-view=v.key.clone()>
                                        <a href=format!("/console?{}", v.query) class:active=active>{v.label.clone()} " " <span class="count-badge">{count_label(v.count, v.count_capped)}</span></a>
                                        {v.id.map(|id| view! {
                                            <ActionForm action=delete attr:class="inline">
                                                <input type="hidden" name="id" value=id/>
                                                <button type="submit" class="link" title="Delete this view">"×"</button>
                                            </ActionForm>
                                        })}
                                    </span>
                                }
                            }).collect_view()}
                        </nav>
                    }
                })}
            </Suspense>
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
                <label>"Priority "
                    <select name="priority">
                        <option value="">"Any"</option>
                        <option value="1" selected=move || selected("priority", "1")>"1 - Critical"</option>
                        <option value="1,2" selected=move || selected("priority", "1,2")>"1–2"</option>
                        <option value="1,2,3" selected=move || selected("priority", "1,2,3")>"1–3"</option>
                    </select>
                </label>
                <label>"SLA "
                    <select name="sla">
                        <option value="">"Any"</option>
                        <option value="breaching" selected=move || selected("sla", "breaching")>"Breaching soon"</option>
                    </select>
                </label>
                <label>"Sort "
                    <select name="sort">
                        <option value="updated">"Last updated"</option>
                        <option value="priority" selected=move || selected("sort", "priority")>"Priority"</option>
                        <option value="sla" selected=move || selected("sort", "sla")>"SLA due"</option>
                        <option value="created" selected=move || selected("sort", "created")>"Newest"</option>
                    </select>
                </label>
                <label>"Search " <input name="q" type="search" placeholder="Title words or INC-000042" value=move || query.with(|q| q.get("q")).unwrap_or_default()/></label>
                <button type="submit">"Filter"</button>
            </Form>
            <ActionForm action=save attr:class="filters" attr:id="save-view">
                <input type="hidden" name="query" value=current/>
                <label>"Save this view as " <input name="name" maxlength="60" placeholder="e.g. P1 network"/></label>
                <button type="submit" class="secondary">"Save view"</button>
                <FieldMessage error=save_err field="name"/>
                <FormError error=save_err/>
            </ActionForm>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match tickets.await {
                        Ok(page) => view! {
                            <ActionForm action=bulk attr:id="bulk-form">
                                <div class="filters bulk-bar">
                                    <label>"With selected "
                                        <select name="action">
                                            <option value="assign_me">"Assign to me"</option>
                                            <option value="in_progress">"Set In progress"</option>
                                            <option value="on_hold">"Put on hold"</option>
                                            <option value="group">"Move to group (id)"</option>
                                            <option value="merge">"Merge as duplicates into"</option>
                                        </select>
                                    </label>
                                    <label>"Target " <input name="target" size="12" placeholder="INC-000001 / id"/></label>
                                    <label>"Reason "
                                        <select name="reason">
                                            {OnHoldReason::MANUAL.into_iter().map(|r| view! { <option value=r.code()>{r.label()}</option> }).collect_view()}
                                        </select>
                                    </label>
                                    <button type="submit">"Apply"</button>
                                </div>
                                <FieldMessage error=bulk_err field="tickets"/>
                                <FieldMessage error=bulk_err field="target"/>
                                <FormError error=bulk_err/>
                                {move || bulk.value().get().and_then(|r| r.ok()).map(|results| {
                                    let ok = results.iter().filter(|r| r.ok).count();
                                    view! {
                                        <div id="bulk-results" role="status">
                                            <p class="notice">{ok} " of " {results.len()} " tickets updated."</p>
                                            <ul class="form-error">{results.into_iter().filter(|r| !r.ok).map(|r| view! {
                                                <li>{r.number.clone()} ": " {r.message.clone().unwrap_or_default()}</li>
                                            }).collect_view()}</ul>
                                        </div>
                                    }
                                })}
                                <p class="count">{count_label(page.total, page.total_capped)} " tickets"</p>
                                <table class="tickets" id="queue">
                                    <thead><tr><th>"Number"</th><th>"Title"</th><th>"State"</th><th>"Priority"</th><th>"Requester"</th><th>"Assignee"</th><th>"Group"</th><th>"SLA due"</th><th>"Updated"</th><th><span class="sr-only">"Select"</span></th></tr></thead>
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
                                                <td class="sla-due">{t.sla_due_at.map(|d| when(&d)).unwrap_or_else(|| "—".into())}</td>
                                                <td>{when(&t.updated_at)}</td>
                                                <td><input type="checkbox" name="tickets[]" value=t.number.clone() aria-label=format!("Select {}", t.number)/></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </ActionForm>
                        }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Guard>
    }
}
