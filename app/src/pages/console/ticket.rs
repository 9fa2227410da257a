use super::panels::{AssignmentPanel, CiPanel, LinksPanel, PriorityPanel, StatePanel, TimePanel};
use crate::api::auth::current_user;
use crate::api::catalog::{get_request, CancelRequestItem, MoveTask};
use super::fulfilment::{is_catalog_number, FulfilmentPanel};
use crate::api::desk::{desk_config, list_agents};
use crate::components::live::{others, send_presence, use_live, use_presence};
use crate::api::admin::list_groups;
use crate::api::knowledge::ArticleFromTicket;
use crate::api::tickets::{
    get_ticket, list_macros, ticket_context, ticket_history, AddComment, ApplyMacro, AssignTicket, AssignToMe, EscalateTicket, LinkParent, LogTime,
    MarkDuplicate, NotifyManager, SetCi, SetPriority, UnlinkParent, UpdateState,
};
use crate::components::{when, Attachments, FieldMessage, FormError, Guard, PriorityBadge, SlaPanel, StateBadge};
use crate::domain::Actor;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Every action the ticket workspace can dispatch; their versions drive refetching.
#[derive(Clone, Copy)]
pub struct TicketActions {
    pub assign_to_me: ServerAction<AssignToMe>,
    pub assign: ServerAction<AssignTicket>,
    pub comment: ServerAction<AddComment>,
    pub state: ServerAction<UpdateState>,
    pub priority: ServerAction<SetPriority>,
    pub escalate: ServerAction<EscalateTicket>,
    pub notify: ServerAction<NotifyManager>,
    pub link: ServerAction<LinkParent>,
    pub unlink: ServerAction<UnlinkParent>,
    pub duplicate: ServerAction<MarkDuplicate>,
    pub time: ServerAction<LogTime>,
    pub apply_macro: ServerAction<ApplyMacro>,
    pub ci: ServerAction<SetCi>,
    pub task: ServerAction<MoveTask>,
    pub cancel_item: ServerAction<CancelRequestItem>,
}

impl TicketActions {
    fn new() -> Self {
        Self {
            assign_to_me: ServerAction::new(),
            assign: ServerAction::new(),
            comment: ServerAction::new(),
            state: ServerAction::new(),
            priority: ServerAction::new(),
            escalate: ServerAction::new(),
            notify: ServerAction::new(),
            link: ServerAction::new(),
            unlink: ServerAction::new(),
            duplicate: ServerAction::new(),
            time: ServerAction::new(),
            apply_macro: ServerAction::new(),
            ci: ServerAction::new(),
            task: ServerAction::new(),
            cancel_item: ServerAction::new(),
        }
    }

    fn versions(&self) -> [usize; 15] {
        [
            self.task.version().get(),
            self.cancel_item.version().get(),
            self.assign_to_me.version().get(),
            self.assign.version().get(),
            self.comment.version().get(),
            self.state.version().get(),
            self.priority.version().get(),
            self.escalate.version().get(),
            self.notify.version().get(),
            self.link.version().get(),
            self.unlink.version().get(),
            self.duplicate.version().get(),
            self.time.version().get(),
            self.apply_macro.version().get(),
            self.ci.version().get(),
        ]
    }
}

/// The last error of an action, for field and form messages.
pub fn error_of<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

/// `/console/tickets/:number`: work a ticket — assign, escalate, reply, note, prioritise, link,
/// log time, attach, change state — with its timeline.
#[component]
pub fn ConsoleTicket() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number")).unwrap_or_default();
    let actions = TicketActions::new();
    let reload = RwSignal::new(0u32);
    let ticket = Resource::new(move || (number(), actions.versions(), reload.get()), |(n, _, _)| get_ticket(n));
    let me = Resource::new(|| (), |_| current_user());
    let my_id = move || me.get().and_then(|r| r.ok()).flatten().map(|a| a.user_id);
    let changed_by = RwSignal::new(None::<String>);
    let viewers = RwSignal::new(Vec::<String>::new());
    let typing = RwSignal::new(Vec::<String>::new());
    let live = RwSignal::new(false);
    use_live(move |m| {
        if m.kind == "hello" {
            live.set(true);
        }
        if m.number.as_deref() != Some(number().as_str()) {
            return;
        }
        if m.kind == "presence" {
            viewers.set(others(&m.payload, "viewers", my_id()));
            typing.set(others(&m.payload, "typing", my_id()));
        } else if m.kind.starts_with("ticket.") && m.actor_id != my_id() {
            changed_by.set(Some(m.actor_name.clone().unwrap_or_else(|| "someone else".into())));
        }
    });
    use_presence(number());
    let last_typing_ping = StoredValue::new(f64::NEG_INFINITY);
    let typing_ping = move || {
        let now = js_now();
        if now - last_typing_ping.get_value() > 2000.0 {
            last_typing_ping.set_value(now);
            send_presence(&number(), true, false);
        }
    };
    let history = Resource::new(move || (number(), actions.versions()), |(n, _)| ticket_history(n));
    let request = Resource::new(move || (number(), actions.versions()), |(n, _)| async move {
        if is_catalog_number(&n) { Some(get_request(n).await) } else { None }
    });
    let config = Resource::new(|| (), |_| desk_config());
    let agents = Resource::new(|| (), |_| list_agents());
    let groups = Resource::new(|| (), |_| list_groups());
    // Created here, not in the panels that show them: a resource created inside suspended
    // markup is numbered differently on the server and in the browser, and hydration would
    // pick up another resource's data.
    let context = Resource::new(move || (number(), actions.ci.version().get(), actions.link.version().get()), |(n, _, _)| ticket_context(n));
    let macros = Resource::new(|| (), |_| list_macros());
    let to_article = ServerAction::<ArticleFromTicket>::new();
    let comment_err = error_of(actions.comment);
    let assign_err = error_of(actions.assign_to_me);
    view! {
        <Guard allow=Actor::is_staff>
            <p><a href="/console">"← Queue"</a></p>
            {move || changed_by.get().map(|who| view! {
                <div class="banner" role="status" data-testid="changed-banner">
                    {format!("{} was changed by {who}. ", number())}
                    <button type="button" class="secondary" on:click=move |_| { changed_by.set(None); reload.update(|r| *r += 1); }>"Reload"</button>
                </div>
            })}
            <p class="presence" data-testid="presence" data-live=move || live.get().to_string()>
                {move || (!viewers.get().is_empty()).then(|| view! { <span data-testid="viewers">"Also viewing: " {viewers.get().join(", ")}</span> })}
                {move || (!typing.get().is_empty()).then(|| view! { <span data-testid="typing">" · " {typing.get().join(", ")} " is typing…"</span> })}
            </p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let t = match ticket.await {
                        Ok(t) => t,
                        Err(e) => return view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    };
                    let (config, agents, groups) = match (config.await, agents.await, groups.await) {
                        (Ok(c), Ok(a), Ok(g)) => (c, a, g),
                        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                            return view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any()
                        }
                    };
                    let s = t.summary.clone();
                    let open = s.state.is_open();
                    let number = StoredValue::new(s.number.clone());
                    let comment_number = s.number.clone();
                    view! {
                        <div class="workspace">
                        <article class="card ticket">
                            <h1><span class="number">{s.number.clone()}</span> " " {s.title.clone()}</h1>
                            <p class="meta"><StateBadge state=s.state/> " " <PriorityBadge priority=s.priority/>
                                {t.priority_overridden.then(|| view! { <span class="badge" title=t.priority_reason.clone().unwrap_or_default()>"manual priority"</span> })}
                                " · impact " {s.impact.label()} " · urgency " {s.urgency.label()}
                                " · requester " {s.requester_name.clone()}</p>
                            <dl class="fields">
                                <dt>"Assignee"</dt><dd data-testid="assignee">{s.assignee_name.clone().unwrap_or_else(|| "Unassigned".into())}</dd>
                                <dt>"Group"</dt><dd data-testid="group">{s.group_name.clone().unwrap_or_else(|| "—".into())}</dd>
                                <dt>"Organisation"</dt><dd class="organisation">{t.organisation_name.clone().unwrap_or_else(|| "—".into())}</dd>
                                <dt>"Service"</dt><dd>{t.service_name.clone().unwrap_or_else(|| "—".into())}</dd>
                                <dt>"Configuration item"</dt><dd data-testid="ci">{match t.ci.as_ref() {
                                    Some(c) => view! { <a href=format!("/console/cmdb/{}", c.id)>{c.name.clone()}</a> " (" {c.class.label()} ")" }.into_any(),
                                    None => "—".into_any(),
                                }}</dd>
                                {t.on_hold_reason.map(|r| view! { <dt>"On hold"</dt><dd data-testid="on-hold-reason">{r.label()}</dd> })}
                                <dt>"Reopened"</dt><dd data-testid="reopen-count">{t.reopen_count}</dd>
                                {t.resolution_code.clone().map(|c| view! { <dt>"Resolution"</dt><dd data-testid="resolution">{c} ": " {t.resolution_note.clone().unwrap_or_default()}</dd> })}
                            </dl>
                            <p class="description">{t.description.clone()}</p>
                            <ActionForm action=actions.assign_to_me attr:class="inline" attr:id="assign-form">
                                <input type="hidden" name="number" value=number.get_value()/>
                                <input type="hidden" name="version" value=s.version/>
                                <button type="submit" disabled=!open>"Assign to me"</button>
                            </ActionForm>
                            <FormError error=assign_err/>
                            <StatePanel actions t=t.clone() config=config.clone()/>
                            {(!open).then(|| view! {
                                <ActionForm action=to_article attr:class="inline" attr:id="article-from-ticket">
                                    <input type="hidden" name="ticket" value=number.get_value()/>
                                    <button type="submit" class="secondary">"Create knowledge article"</button>
                                </ActionForm>
                            })}
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
                            <ActionForm action=actions.comment attr:class="form" attr:id="comment-form">
                                <input type="hidden" name="number" value=comment_number/>
                                <label>"Reply or note" <textarea name="body" rows="3" on:input=move |_| typing_ping()></textarea></label>
                                <label class="check"><input type="checkbox" name="internal" value="true"/> "Internal note (not visible to the requester)"</label>
                                <FieldMessage error=comment_err field="body"/>
                                <FormError error=comment_err/>
                                <button type="submit">"Add"</button>
                            </ActionForm>
                            <MacroPicker action=actions.apply_macro number=number.get_value() macros/>
                            <Attachments number=number.get_value() files=t.attachments.clone() staff=true/>
                        </article>
                        <aside>
                            <SlaPanel clocks=t.sla.clone()/>
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    request.await.map(|r| view! { <FulfilmentPanel number=number.get_value() request=r move_task=actions.task cancel=actions.cancel_item/> })
                                })}
                            </Suspense>
                            <ContextPanel context link=actions.link number=number.get_value()/>
                            <AssignmentPanel actions t=t.clone() agents groups/>
                            <CiPanel actions t=t.clone()/>
                            <PriorityPanel actions t=t.clone()/>
                            <LinksPanel actions t=t.clone()/>
                            <TimePanel actions t=t.clone()/>
                            <section class="card timeline">
                                <h2>"Timeline"</h2>
                                <Suspense fallback=|| ()>
                                    {move || Suspend::new(async move { timeline(history.await) })}
                                </Suspense>
                            </section>
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
                        ("linked", Some(f)) => format!("linked {f} {}", a.new_value.clone().unwrap_or_default()),
                        ("unlinked", Some(f)) => format!("unlinked {f} {}", a.old_value.clone().unwrap_or_default()),
                        ("escalated", _) => format!("escalated {} → {}", a.old_value.clone().unwrap_or_default(), a.new_value.clone().unwrap_or_default()),
                        ("manager_notified", _) => format!("notified the manager: {}", a.new_value.clone().unwrap_or_default()),
                        ("time_logged", _) => format!("logged {}", a.new_value.clone().unwrap_or_default()),
                        ("attachment_added", _) => format!("attached {}", a.new_value.clone().unwrap_or_default()),
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

/// Milliseconds since the epoch in the browser (0 on the server, where it is never called).
fn js_now() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys_now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

#[cfg(feature = "hydrate")]
fn js_sys_now() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}

/// Context one click away: the requester's recent tickets, recent incidents on the same service,
/// the affected CI's other tickets, similar tickets and matching knowledge articles.
#[component]
fn ContextPanel(context: Resource<Result<crate::dto::TicketContextView, AppError>>, link: ServerAction<LinkParent>, number: String) -> impl IntoView {
    let number = StoredValue::new(number);
    let link_err = error_of(link);
    let refs = |id: &'static str, title: &'static str, list: Vec<crate::dto::TicketRef>| view! {
        <h3>{title}</h3>
        {if list.is_empty() { view! { <p class="empty">"None."</p> }.into_any() } else {
            view! { <ul id=id>{list.into_iter().map(|r| view! {
                <li data-number=r.number.clone()><a href=format!("/console/tickets/{}", r.number)>{r.number.clone()}</a> " " {r.title.clone()} " " <StateBadge state=r.state/></li>
            }).collect_view()}</ul> }.into_any()
        }}
    };
    view! {
        <section class="card context" id="context">
            <h2>"Context"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match context.await {
                        Ok(c) => view! {
                            {(!c.impacted_services.is_empty()).then(|| view! {
                                <h3>"Business services affected"</h3>
                                <p id="impacted-services">{c.impacted_services.iter().map(|s| view! {
                                    <a href=format!("/console/cmdb/{}", s.id) class="badge">{s.name.clone()}</a> " "
                                }).collect_view()}</p>
                            })}
                            {(!c.nearby_incidents.is_empty()).then(|| view! {
                                <h3>"Open incidents on nearby CIs"</h3>
                                <p class="meta">"Within two hops of this CI: possibly one major incident."</p>
                                <ul id="nearby-incidents">{c.nearby_incidents.into_iter().map(|n| { let parent = n.ticket.number.clone(); let label = format!("Link as child of {parent}"); view! {
                                    <li data-number=n.ticket.number.clone()>
                                        <a href=format!("/console/tickets/{}", n.ticket.number)>{n.ticket.number.clone()}</a> " " {n.ticket.title.clone()}
                                        <span class="meta">" on " {n.ci.name.clone()}</span>
                                        <ActionForm action=link attr:class="inline">
                                            <input type="hidden" name="number" value=number.get_value()/>
                                            <input type="hidden" name="parent" value=parent/>
                                            <button type="submit" class="secondary" aria-label=label>"Link as child"</button>
                                        </ActionForm>
                                    </li>
                                }}).collect_view()}</ul>
                                <FormError error=link_err/>
                            })}
                            {refs("similar", "Similar tickets", c.similar)}
                            <h3>"Suggested articles"</h3>
                            {if c.articles.is_empty() { view! { <p class="empty">"No matching article."</p> }.into_any() } else {
                                view! { <ul id="suggested-articles">{c.articles.into_iter().map(|a| view! {
                                    <li data-number=a.number.clone()><a href=format!("/console/kb/{}", a.number) inner_html=a.title_html.clone()></a></li>
                                }).collect_view()}</ul> }.into_any()
                            }}
                            {refs("requester-recent", "Requester's recent tickets", c.requester_recent)}
                            {refs("service-recent", "Recent incidents on this service", c.service_recent)}
                            {refs("ci-recent", "Recent tickets on this CI", c.ci_recent)}
                        }.into_any(),
                        Err(e) => view! { <p class="form-error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Applies an admin-defined macro (canned reply, optionally a state change) in one step.
#[component]
fn MacroPicker(action: ServerAction<ApplyMacro>, number: String, macros: Resource<Result<Vec<crate::dto::MacroView>, AppError>>) -> impl IntoView {
    let error = error_of(action);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let number = number.clone();
                Suspend::new(async move {
                    let list = macros.await.unwrap_or_default();
                    (!list.is_empty()).then(|| view! {
                        <ActionForm action=action attr:class="filters" attr:id="macro-form">
                            <input type="hidden" name="number" value=number/>
                            <label>"Macro "
                                <select name="macro_id">
                                    {list.into_iter().map(|m| view! { <option value=m.id.to_string() title=m.body.clone()>{m.name.clone()}</option> }).collect_view()}
                                </select>
                            </label>
                            <button type="submit" class="secondary">"Apply macro"</button>
                            <FormError error/>
                        </ActionForm>
                    })
                })
            }}
        </Suspense>
    }
}
