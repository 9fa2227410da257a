use crate::domain::{Priority, TicketState};
use leptos::prelude::*;

/// Coloured label for a ticket state.
#[component]
pub fn StateBadge(state: TicketState) -> impl IntoView {
    view! { <span class=format!("badge state-{}", state.code()) data-state=state.code()>{state.label()}</span> }
}

/// Coloured label for a priority number.
#[component]
pub fn PriorityBadge(priority: u8) -> impl IntoView {
    let label = Priority::from_number(priority).map(|p| p.label()).unwrap_or("?");
    view! { <span class=format!("badge priority-{priority}")>{label}</span> }
}
