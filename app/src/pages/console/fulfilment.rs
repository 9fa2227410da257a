use crate::api::catalog::{CancelRequestItem, MoveTask};
use crate::components::{FieldMessage, FormError, RequestItemCard};
use crate::domain::catalog::TaskState;
use crate::dto::RequestView;
use crate::error::AppError;
use leptos::prelude::*;

/// Whether a ticket number is a catalog ticket's (request, item or task), whose page shows the
/// request's progress.
pub fn is_catalog_number(number: &str) -> bool {
    ["REQ-", "RITM-", "TASK-"].iter().any(|p| number.starts_with(p))
}

/// The request a catalog ticket belongs to: each item's answers, approvals and tasks, and for a
/// task its moves (start, complete, cancel with a note, reopen).
#[component]
pub fn FulfilmentPanel(
    number: String,
    request: Result<RequestView, AppError>,
    move_task: ServerAction<MoveTask>,
    cancel: ServerAction<CancelRequestItem>,
) -> impl IntoView {
    let error = Signal::derive(move || move_task.value().get().and_then(|r| r.err()));
    let r = match request {
        Ok(r) => r,
        Err(e) => return view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
    };
    let task = r.items.iter().flat_map(|i| i.tasks.iter()).find(|t| t.number == number).cloned();
    let items = r.items.into_iter().filter(|i| !number.starts_with("RITM-") || i.number == number).collect::<Vec<_>>();
    view! {
        <section class="card fulfilment" id="fulfilment">
            <h2>"Request " <a href=format!("/console/tickets/{}", r.number)>{r.number.clone()}</a> " · " {r.state.label()}</h2>
            {task.map(|t| {
                let moves: Vec<(&'static str, &'static str)> = match t.state {
                    TaskState::Open => vec![("in_progress", "Start"), ("completed", "Complete"), ("canceled", "Cancel")],
                    TaskState::InProgress => vec![("completed", "Complete"), ("open", "Back to open"), ("canceled", "Cancel")],
                    TaskState::Waiting => vec![("canceled", "Cancel")],
                    _ => Vec::new(),
                };
                (!moves.is_empty()).then(|| view! {
                    <ActionForm action=move_task attr:class="form" attr:id="task-form">
                        <input type="hidden" name="number" value=t.number.clone()/>
                        <label>"Note" <input name="note" maxlength="2000" placeholder="What was done (required to cancel)"/></label>
                        <FieldMessage error field="note"/>
                        <FormError error/>
                        <div class="row">
                            {moves.into_iter().map(|(code, label)| view! { <button type="submit" name="state" value=code>{label}</button> }).collect_view()}
                        </div>
                    </ActionForm>
                })
            })}
            {items.into_iter().map(|item| view! { <RequestItemCard item cancel staff=true/> }).collect_view()}
        </section>
    }
    .into_any()
}
