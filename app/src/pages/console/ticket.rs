use crate::api::tickets::{get_ticket, ticket_history, AddComment, AssignToMe, ResolveTicket};
use crate::components::{when, FieldMessage, FormError, Guard, PriorityBadge, StateBadge};
use crate::domain::{Actor, ResolutionCode, TicketState};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/console/tickets/:number`: work a ticket — assign, reply, note, resolve — with its timeline.
#[component]
pub fn ConsoleTicket() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number")).unwrap_or_default();
    let assign = ServerAction::<AssignToMe>::new();
    let comment = ServerAction::<AddComment>::new();
    let resolve = ServerAction::<ResolveTicket>::new();
    let changes = move || (assign.version().get(), comment.version().get(), resolve.version().get());
    let ticket = Resource::new(move || (number(), changes()), |(n, _)| get_ticket(n));
    let history = Resource::new(move || (number(), changes()), |(n, _)| ticket_history(n));
    let assign_err = Signal::derive(move || assign.value().get().and_then(|r| r.err()));
    let comment_err = Signal::derive(move || comment.value().get().and_then(|r| r.err()));
    let resolve_err = Signal::derive(move || resolve.value().get().and_then(|r| r.err()));
    view! {
        <Guard allow=Actor::is_staff>
            <p><a href="/console">"← Queue"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let t = match ticket.await {
                        Ok(t) => t,
                        Err(e) => return view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    };
                    let s = t.summary.clone();
                    let open = s.state.is_open();
                    let resolve_number = s.number.clone();
                    let assign_number = s.number.clone();
                    let comment_number = s.number.clone();
                    let resolve_version = s.version;
                    view! {
                        <div class="workspace">
                        <article class="card ticket">
                            <h1><span class="number">{s.number.clone()}</span> " " {s.title.clone()}</h1>
                            <p class="meta"><StateBadge state=s.state/> " " <PriorityBadge priority=s.priority/>
                                " · impact " {s.impact.label()} " · urgency " {s.urgency.label()}
                                " · requester " {s.requester_name.clone()}</p>
                            <dl class="fields">
                                <dt>"Assignee"</dt><dd data-testid="assignee">{s.assignee_name.clone().unwrap_or_else(|| "Unassigned".into())}</dd>
                                <dt>"Group"</dt><dd>{s.group_name.clone().unwrap_or_else(|| "—".into())}</dd>
                                <dt>"Service"</dt><dd>{t.service_name.clone().unwrap_or_else(|| "—".into())}</dd>
                            </dl>
                            <p class="description">{t.description.clone()}</p>
                            <ActionForm action=assign attr:class="inline" attr:id="assign-form">
                                <input type="hidden" name="number" value=assign_number/>
                                <input type="hidden" name="version" value=s.version/>
                                <button type="submit" disabled=!open>"Assign to me"</button>
                            </ActionForm>
                            <FormError error=assign_err/>
                            <h2>"Conversation"</h2>
                            <ol class="comments">
                                {t.comments.iter().map(|c| view! {
                                    <li class=if c.internal { "comment internal" } else { "comment" }>
                                        <strong>{c.author_name.clone()}</strong>
                                        {c.internal.then_some(" · internal note")} " · " {when(&c.created_at)}
                                        <p>{c.body.clone()}</p>
                                    </li>
                                }).collect_view()}
                            </ol>
                            <ActionForm action=comment attr:class="form" attr:id="comment-form">
                                <input type="hidden" name="number" value=comment_number/>
                                <label>"Reply or note" <textarea name="body" rows="3"></textarea></label>
                                <label class="check"><input type="checkbox" name="internal" value="true"/> "Internal note (not visible to the requester)"</label>
                                <FieldMessage error=comment_err field="body"/>
                                <FormError error=comment_err/>
                                <button type="submit">"Add"</button>
                            </ActionForm>
                            {(s.state != TicketState::Resolved && open).then(|| view! {
                                <h2>"Resolve"</h2>
                                <ActionForm action=resolve attr:class="form" attr:id="resolve-form">
                                    <input type="hidden" name="number" value=resolve_number.clone()/>
                                    <input type="hidden" name="version" value=resolve_version/>
                                    <label>"Resolution code"
                                        <select name="resolution_code">
                                            <option value="">"Choose…"</option>
                                            {ResolutionCode::ALL.into_iter().map(|c| view! { <option value=c.code()>{c.label()}</option> }).collect_view()}
                                        </select>
                                    </label>
                                    <FieldMessage error=resolve_err field="resolution_code"/>
                                    <label>"Resolution note" <textarea name="resolution_note" rows="2"></textarea></label>
                                    <FieldMessage error=resolve_err field="resolution_note"/>
                                    <FieldMessage error=resolve_err field="state"/>
                                    <FormError error=resolve_err/>
                                    <button type="submit">"Resolve"</button>
                                </ActionForm>
                            })}
                        </article>
                        <aside class="card timeline">
                            <h2>"Timeline"</h2>
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move { timeline(history.await) })}
                            </Suspense>
                        </aside>
                        </div>
                    }.into_any()
                })}
            </Suspense>
        </Guard>
    }
}

fn timeline(history: Result<Vec<crate::dto::AuditView>, AppError>) -> AnyView {
    match history {
        Ok(rows) => view! {
            <ol class="audit">
                {rows.into_iter().map(|a| {
                    let what = match (a.action.as_str(), a.field.as_deref()) {
                        ("created", _) => "created the ticket".to_string(),
                        ("comment_added", _) => format!("added a {} comment", a.new_value.clone().unwrap_or_default()),
                        (_, Some(f)) => format!(
                            "changed {f}: {} → {}",
                            a.old_value.clone().unwrap_or_else(|| "—".into()),
                            a.new_value.clone().unwrap_or_else(|| "—".into())
                        ),
                        (action, None) => action.to_string(),
                    };
                    view! { <li><span class="when">{when(&a.at)}</span> " " <strong>{a.actor_name.clone().unwrap_or_else(|| "System".into())}</strong> " " {what}</li> }
                }).collect_view()}
            </ol>
        }.into_any(),
        Err(e) => view! { <p class="form-error">{e.to_string()}</p> }.into_any(),
    }
}
