use crate::api::tickets::{get_ticket, AddComment};
use crate::components::{when, Attachments, FieldMessage, FormError, Guard, PriorityBadge, StateBadge};
use crate::domain::{OnHoldReason, TicketState};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/portal/tickets/:number`: the requester's view of one ticket, public replies only.
#[component]
pub fn PortalTicket() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number")).unwrap_or_default();
    let reply = ServerAction::<AddComment>::new();
    let error = Signal::derive(move || reply.value().get().and_then(|r| r.err()));
    let ticket = Resource::new(move || (number(), reply.version().get()), |(n, _)| get_ticket(n));
    view! {
        <Guard allow=|_| true>
            <p><a href="/portal">"← My tickets"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match ticket.await {
                        Ok(t) => {
                            let reply_number = t.summary.number.clone();
                            view! {
                            <article class="card ticket">
                                <h1><span class="number">{t.summary.number.clone()}</span> " " {t.summary.title.clone()}</h1>
                                <p class="meta"><StateBadge state=t.summary.state/> " " <PriorityBadge priority=t.summary.priority/>
                                    " · opened " {when(&t.summary.created_at)}
                                    {t.summary.assignee_name.clone().map(|a| format!(" · handled by {a}"))}</p>
                                <p class="description">{t.description.clone()}</p>
                                {(t.on_hold_reason == Some(OnHoldReason::AwaitingCaller)).then(|| view! { <p class="notice" data-testid="awaiting-you">"We are waiting for your reply — answering resumes work on this ticket."</p> })}
                                {(t.summary.state == TicketState::Resolved).then(|| view! { <p class="notice">"Not fixed? Reply below to reopen this ticket."</p> })}
                                {t.resolution_note.clone().map(|n| view! { <p class="notice">"Resolution: " {n}</p> })}
                                <h2>"Conversation"</h2>
                                <ol class="comments">
                                    {t.comments.iter().map(|c| view! {
                                        <li class="comment"><strong>{c.author_name.clone()}</strong> " · " {when(&c.created_at)}<p>{c.body.clone()}</p></li>
                                    }).collect_view()}
                                </ol>
                                <ActionForm action=reply attr:class="form" attr:id="reply-form">
                                    <input type="hidden" name="number" value=reply_number/>
                                    <label>"Reply" <textarea name="body" rows="3"></textarea></label>
                                    <FieldMessage error field="body"/>
                                    <FormError error/>
                                    <button type="submit">"Send reply"</button>
                                </ActionForm>
                                <Attachments number=t.summary.number.clone() files=t.attachments.clone() staff=false/>
                            </article>
                        }.into_any()
                        }
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Guard>
    }
}
