//! Side panels of the console ticket workspace.

use super::ticket::{error_of, TicketActions};
use crate::components::{FieldMessage, FormError};
use crate::domain::{Impact, OnHoldReason, TicketState, Urgency};
use crate::dto::{DeskConfigView, GroupView, TicketDetail, UserView};
use leptos::prelude::*;

/// The hidden fields every state-change form posts: which ticket, the version read, the target state.
#[component]
fn StateTarget(number: String, version: i32, state: TicketState) -> impl IntoView {
    view! {
        <input type="hidden" name="number" value=number/>
        <input type="hidden" name="version" value=version/>
        <input type="hidden" name="state" value=state.code()/>
    }
}

/// Lifecycle buttons that fit the current state: hold, resume, resolve, close, reopen, cancel.
#[component]
pub fn StatePanel(actions: TicketActions, t: TicketDetail, config: DeskConfigView) -> impl IntoView {
    let s = t.summary.clone();
    let number = StoredValue::new(s.number.clone());
    let err = error_of(actions.state);
    let state_form = move |state: TicketState, label: &'static str, id: &'static str| {
        let number = number.get_value();
        view! {
            <ActionForm action=actions.state attr:class="inline" attr:id=id>
                <StateTarget number version=s.version state/>
                <button type="submit" class="secondary">{label}</button>
            </ActionForm>
        }
    };
    let can = |to: TicketState| s.state.can_transition_to(to);
    let codes = config.resolution_codes.into_iter().filter(|c| c.active).collect::<Vec<_>>();
    view! {
        <section class="state-actions">
            <div class="buttons">
                {(s.state == TicketState::OnHold).then(|| state_form(TicketState::InProgress, "Resume work", "resume-form"))}
                {(s.state == TicketState::Resolved).then(|| state_form(TicketState::InProgress, "Reopen", "reopen-form"))}
                {can(TicketState::Closed).then(|| state_form(TicketState::Closed, "Close ticket", "close-form"))}
                {can(TicketState::Canceled).then(|| state_form(TicketState::Canceled, "Cancel ticket", "cancel-form"))}
            </div>
            {(can(TicketState::OnHold) && s.state != TicketState::OnHold).then(|| view! {
                <ActionForm action=actions.state attr:class="form compact" attr:id="hold-form">
                    <StateTarget number=number.get_value() version=s.version state=TicketState::OnHold/>
                    <label>"On-hold reason"
                        <select name="on_hold_reason">
                            <option value="">"Choose…"</option>
                            {OnHoldReason::MANUAL.into_iter().map(|r| view! { <option value=r.code()>{r.label()}</option> }).collect_view()}
                        </select>
                    </label>
                    <FieldMessage error=err field="on_hold_reason"/>
                    <button type="submit" class="secondary">"Put on hold"</button>
                </ActionForm>
            })}
            {can(TicketState::Resolved).then(|| view! {
                <h2>"Resolve"</h2>
                <ActionForm action=actions.state attr:class="form" attr:id="resolve-form">
                    <StateTarget number=number.get_value() version=s.version state=TicketState::Resolved/>
                    <label>"Resolution code"
                        <select name="resolution_code">
                            <option value="">"Choose…"</option>
                            {codes.iter().map(|c| view! { <option value=c.code.clone()>{c.label.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    <FieldMessage error=err field="resolution_code"/>
                    <label>"Resolution note" <textarea name="resolution_note" rows="2"></textarea></label>
                    <FieldMessage error=err field="resolution_note"/>
                    <button type="submit">"Resolve"</button>
                </ActionForm>
            })}
            <FieldMessage error=err field="state"/>
            <FormError error=err/>
        </section>
    }
}

/// Group/agent assignment and escalation.
#[component]
pub fn AssignmentPanel(actions: TicketActions, t: TicketDetail, agents: Vec<UserView>, groups: Vec<GroupView>) -> impl IntoView {
    let s = t.summary.clone();
    let number = StoredValue::new(s.number.clone());
    let assign_err = error_of(actions.assign);
    let escalate_err = error_of(actions.escalate);
    let notify_err = error_of(actions.notify);
    let escalated_to = move || actions.escalate.value().get().and_then(|r| r.ok());
    let notified = move || actions.notify.value().get().is_some_and(|r| r.is_ok());
    view! {
        <section class="card">
            <h2>"Assignment"</h2>
            <ActionForm action=actions.assign attr:class="form" attr:id="assignment-form">
                <input type="hidden" name="number" value=number.get_value()/>
                <input type="hidden" name="version" value=s.version/>
                <label>"Group"
                    <select name="group_id">
                        <option value="">"—"</option>
                        {groups.iter().map(|g| view! { <option value=g.id selected=s.group_id == Some(g.id)>{format!("{} (L{})", g.name, g.tier)}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Agent"
                    <select name="assignee_id">
                        <option value="">"Unassigned"</option>
                        {agents.iter().map(|a| view! { <option value=a.id selected=s.assignee_id == Some(a.id)>{a.display_name.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <FieldMessage error=assign_err field="assignee_id"/>
                <FieldMessage error=assign_err field="group_id"/>
                <FormError error=assign_err/>
                <button type="submit">"Assign"</button>
            </ActionForm>
            <ActionForm action=actions.escalate attr:class="form" attr:id="escalate-form">
                <input type="hidden" name="number" value=number.get_value()/>
                <label>"Escalation reason" <input name="reason"/></label>
                <FieldMessage error=escalate_err field="reason"/>
                <FormError error=escalate_err/>
                <button type="submit" class="secondary">"Escalate to next tier"</button>
                {move || escalated_to().map(|g| view! { <p class="notice" role="status">"Escalated to " {g}</p> })}
            </ActionForm>
            <ActionForm action=actions.notify attr:class="form" attr:id="notify-form">
                <input type="hidden" name="number" value=number.get_value()/>
                <label>"Message to manager" <input name="message"/></label>
                <FieldMessage error=notify_err field="message"/>
                <FormError error=notify_err/>
                <button type="submit" class="secondary">"Notify manager"</button>
                {move || notified().then(|| view! { <p class="notice" role="status">"Manager notified"</p> })}
            </ActionForm>
        </section>
    }
}

/// The configuration item the ticket affects: named by typing its name (empty clears it).
#[component]
pub fn CiPanel(actions: TicketActions, t: TicketDetail) -> impl IntoView {
    let err = error_of(actions.ci);
    let current = t.ci.clone();
    view! {
        <section class="card">
            <h2>"Configuration item"</h2>
            {current.as_ref().map(|c| view! {
                <p class="meta" data-testid="ci-status">{c.class.label()} " · " {c.status.label()}</p>
            })}
            <ActionForm action=actions.ci attr:class="form" attr:id="ci-form">
                <input type="hidden" name="number" value=t.summary.number.clone()/>
                <input type="hidden" name="version" value=t.summary.version/>
                <label>"Affected CI" <input name="ci" value=current.map(|c| c.name).unwrap_or_default() placeholder="e.g. VPN-GW-01"/></label>
                <FieldMessage error=err field="ci"/>
                <FormError error=err/>
                <button type="submit" class="secondary">"Save CI"</button>
            </ActionForm>
        </section>
    }
}

/// Impact, urgency and a manual priority override with its reason.
#[component]
pub fn PriorityPanel(actions: TicketActions, t: TicketDetail) -> impl IntoView {
    let s = t.summary.clone();
    let number = StoredValue::new(s.number.clone());
    let err = error_of(actions.priority);
    view! {
        <section class="card">
            <h2>"Priority"</h2>
            <ActionForm action=actions.priority attr:class="form" attr:id="priority-form">
                <input type="hidden" name="number" value=number.get_value()/>
                <input type="hidden" name="version" value=s.version/>
                <div class="row">
                    <label>"Impact"
                        <select name="impact">
                            {Impact::ALL.into_iter().map(|i| view! { <option value=i.code() selected=i == s.impact>{i.label()}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>"Urgency"
                        <select name="urgency">
                            {Urgency::ALL.into_iter().map(|u| view! { <option value=u.code() selected=u == s.urgency>{u.label()}</option> }).collect_view()}
                        </select>
                    </label>
                </div>
                <label>"Priority"
                    <select name="priority">
                        <option value="" selected=t.priority_overridden>"Keep"</option>
                        <option value="auto" selected=!t.priority_overridden>"From matrix"</option>
                        {(1..=5u8).map(|p| view! { <option value=p.to_string()>{crate::domain::Priority::from_number(p).map(|p| p.label()).unwrap_or("")}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Reason for override" <input name="priority_reason" value=t.priority_reason.clone().unwrap_or_default()/></label>
                <FieldMessage error=err field="priority"/>
                <FieldMessage error=err field="priority_reason"/>
                <FormError error=err/>
                <button type="submit">"Update priority"</button>
            </ActionForm>
        </section>
    }
}

/// Major-incident parent/children and duplicates.
#[component]
pub fn LinksPanel(actions: TicketActions, t: TicketDetail) -> impl IntoView {
    let number = StoredValue::new(t.summary.number.clone());
    let link_err = error_of(actions.link);
    let unlink_err = error_of(actions.unlink);
    let dup_err = error_of(actions.duplicate);
    let open = t.summary.state.is_open();
    view! {
        <section class="card">
            <h2>"Related records"</h2>
            {t.parent.clone().map(|p| view! {
                <p data-testid="parent">"Child of major incident " <a href=format!("/console/tickets/{}", p.number)>{p.number.clone()}</a> " — " {p.title.clone()}</p>
                <ActionForm action=actions.unlink attr:class="inline" attr:id="unlink-form">
                    <input type="hidden" name="number" value=number.get_value()/>
                    <button type="submit" class="secondary">"Unlink from major incident"</button>
                </ActionForm>
            })}
            <FormError error=unlink_err/>
            {(!t.children.is_empty()).then(|| view! {
                <h3>"Child incidents"</h3>
                <ul id="children">
                    {t.children.iter().map(|c| view! { <li data-number=c.number.clone()><a href=format!("/console/tickets/{}", c.number)>{c.number.clone()}</a> " " {c.title.clone()} " · " {c.state.label()}</li> }).collect_view()}
                </ul>
            })}
            {t.duplicate_of.clone().map(|d| view! { <p data-testid="duplicate-of">"Duplicate of " <a href=format!("/console/tickets/{}", d.number)>{d.number.clone()}</a></p> })}
            {(!t.duplicates.is_empty()).then(|| view! {
                <p>"Duplicates: " {t.duplicates.iter().map(|d| d.number.clone()).collect::<Vec<_>>().join(", ")}</p>
            })}
            {(t.parent.is_none() && open).then(|| view! {
                <ActionForm action=actions.link attr:class="form" attr:id="link-form">
                    <input type="hidden" name="number" value=number.get_value()/>
                    <label>"Major incident number" <input name="parent" placeholder="INC-000001"/></label>
                    <FieldMessage error=link_err field="parent"/>
                    <FormError error=link_err/>
                    <button type="submit" class="secondary">"Link as child"</button>
                </ActionForm>
            })}
            {open.then(|| view! {
                <ActionForm action=actions.duplicate attr:class="form" attr:id="duplicate-form">
                    <input type="hidden" name="number" value=number.get_value()/>
                    <label>"Original ticket number" <input name="original" placeholder="INC-000001"/></label>
                    <FieldMessage error=dup_err field="original"/>
                    <FieldMessage error=dup_err field="resolution_code"/>
                    <FormError error=dup_err/>
                    <button type="submit" class="secondary">"Mark as duplicate"</button>
                </ActionForm>
            })}
        </section>
    }
}

/// Time logged per agent.
#[component]
pub fn TimePanel(actions: TicketActions, t: TicketDetail) -> impl IntoView {
    let err = error_of(actions.time);
    let total: i32 = t.time_entries.iter().map(|e| e.minutes).sum();
    view! {
        <section class="card">
            <h2>"Time"</h2>
            <p data-testid="time-total">"Total: " {total} " min"</p>
            <ul class="time-entries">
                {t.time_entries.iter().map(|e| view! { <li>{e.agent_name.clone()} " · " {e.minutes} " min " {e.note.clone()}</li> }).collect_view()}
            </ul>
            <ActionForm action=actions.time attr:class="form" attr:id="time-form">
                <input type="hidden" name="number" value=t.summary.number.clone()/>
                <label>"Minutes" <input name="minutes" inputmode="numeric"/></label>
                <FieldMessage error=err field="minutes"/>
                <label>"Work note" <input name="note"/></label>
                <FormError error=err/>
                <button type="submit" class="secondary">"Log time"</button>
            </ActionForm>
        </section>
    }
}
