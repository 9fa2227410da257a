//! Shared markup for service requests: a requested item's progress (answers, approval stages,
//! tasks) and an approver's list of pending approvals with approve / reject forms.

use super::{when, FieldMessage, FormError};
use crate::api::catalog::{CancelRequestItem, DecideApproval};
use crate::domain::approval::{Decision, StageOutcome};
use crate::dto::{ApprovalList, RequestItemView};
use crate::error::AppError;
use leptos::prelude::*;

fn outcome_words(o: StageOutcome) -> &'static str {
    match o {
        StageOutcome::Pending => "pending",
        StageOutcome::Approved => "approved",
        StageOutcome::Rejected => "rejected",
        StageOutcome::Escalated => "escalated",
    }
}

fn decision_words(d: Decision) -> &'static str {
    match d {
        Decision::Pending => "pending",
        Decision::Approved => "approved",
        Decision::Rejected => "rejected",
        Decision::NotRequired => "not required",
    }
}

/// One requested item: state, answers, approval stages with each approver's answer, tasks, and
/// (when the viewer may) a cancel form.
#[component]
pub fn RequestItemCard(
    item: RequestItemView,
    #[prop(optional)] cancel: Option<ServerAction<CancelRequestItem>>,
    /// Link tasks to their console pages (agents).
    #[prop(optional)] staff: bool,
) -> impl IntoView {
    let cancel_error = Signal::derive(move || cancel.and_then(|c| c.value().get()).and_then(|r| r.err()));
    let done = item.tasks.iter().filter(|t| t.state == crate::domain::catalog::TaskState::Completed).count();
    let total = item.tasks.len();
    let number = item.number.clone();
    view! {
        <section class="card request-item" data-number=item.number.clone() data-state=item.state.code()>
            <h2><span class="number">{item.number.clone()}</span> " " {item.item_name.clone()}
                " " <span class="badge item-state">{item.state.label()}</span></h2>
            <p class="muted">"For " {item.requested_for_name.clone()}
                {item.due_at.map(|d| format!(" · due {}", when(&d)))}
                {(total > 0).then(|| format!(" · {done} of {total} tasks done"))}</p>
            <dl class="answers">
                {item.answers.iter().map(|a| view! { <dt>{a.label.clone()}</dt><dd data-key=a.key.clone()>{a.text.clone()}</dd> }).collect_view()}
            </dl>
            {(!item.stages.is_empty()).then(|| view! {
                <h3>"Approvals"</h3>
                <ol class="stages">
                    {item.stages.iter().map(|s| view! {
                        <li data-outcome=outcome_words(s.outcome)>
                            <strong>{s.name.clone()}</strong> " (" {s.rule.clone()} "): " {outcome_words(s.outcome)}
                            <ul>{s.approvers.iter().map(|a| view! {
                                <li>{a.approver_name.clone()} " — " {decision_words(a.decision)}
                                    {a.comment.clone().map(|c| format!(": {c}"))}</li>
                            }).collect_view()}</ul>
                        </li>
                    }).collect_view()}
                </ol>
            })}
            {(!item.tasks.is_empty()).then(|| view! {
                <h3>"Tasks"</h3>
                <ol class="tasks">
                    {item.tasks.iter().map(|t| view! {
                        <li data-number=t.number.clone() data-state=t.state.code()>
                            {if staff { view! { <a href=format!("/console/tickets/{}", t.number)>{t.number.clone()}</a> }.into_any() } else { t.number.clone().into_any() }}
                            " " {t.title.clone()} " — " {t.state.label()}
                            {t.group_name.clone().map(|g| format!(" · {g}"))}
                            {t.assignee_name.clone().map(|a| format!(" · {a}"))}
                        </li>
                    }).collect_view()}
                </ol>
            })}
            {cancel.filter(|_| item.may_cancel).map(|action| view! {
                <ActionForm action attr:class="form cancel-item">
                    <input type="hidden" name="number" value=number.clone()/>
                    <label>"Reason" <input name="reason" maxlength="500"/></label>
                    <FieldMessage error=cancel_error field="reason"/>
                    <FormError error=cancel_error/>
                    <button type="submit" class="secondary">"Cancel this item"</button>
                </ActionForm>
            })}
        </section>
    }
}

/// The approvals waiting for the viewer, each with the answers to judge and approve / reject.
#[component]
pub fn ApprovalCards(list: ApprovalList, decide: ServerAction<DecideApproval>) -> impl IntoView {
    let error = Signal::derive(move || decide.value().get().and_then(|r| r.err()));
    if list.items.is_empty() {
        return view! { <p class="empty" id="no-approvals">"Nothing is waiting for your approval."</p> }.into_any();
    }
    view! {
        <ul class="approvals" id="approvals">
            {list.items.into_iter().map(|a| view! {
                <li class="card approval" data-number=a.number.clone()>
                    <h3>{a.item_name.clone()} " " <span class="number">{a.number.clone()}</span></h3>
                    <p class="muted">{a.stage.clone()} " (" {a.rule.clone()} ") · ordered by " {a.requester_name.clone()}
                        " for " {a.requested_for_name.clone()} " · " {when(&a.ordered_at)}
                        {a.due_at.map(|d| format!(" · decide by {}", when(&d)))}</p>
                    <dl class="answers">
                        {a.answers.iter().map(|x| view! { <dt>{x.label.clone()}</dt><dd>{x.text.clone()}</dd> }).collect_view()}
                    </dl>
                    <ActionForm action=decide attr:class="form decide">
                        <input type="hidden" name="id" value=a.id.to_string()/>
                        <label>"Comment" <input name="comment" maxlength="2000" placeholder="Required to reject"/></label>
                        <FieldMessage error field="comment"/>
                        <FormError error/>
                        <div class="row">
                            <button type="submit" name="decision" value="approved">"Approve"</button>
                            <button type="submit" name="decision" value="rejected" class="secondary">"Reject"</button>
                        </div>
                    </ActionForm>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The approvals inbox page body shared by the portal and the console: the outcome of the last
/// decision and the cards waiting for the signed-in person. The page creates `list` and `decide`.
#[component]
pub fn ApprovalInbox(list: Resource<Result<ApprovalList, AppError>>, decide: ServerAction<DecideApproval>) -> impl IntoView {
    view! {
        <h1>"My approvals"</h1>
        {move || decide.value().get().and_then(|r| r.ok()).map(|i| view! {
            <p class="notice" role="status" id="decided">{i.number.clone()} " is now " {i.state.label()}</p>
        })}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <ApprovalCards list decide/> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
