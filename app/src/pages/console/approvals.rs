use crate::api::catalog::{my_approvals, DecideApproval};
use crate::components::{ApprovalInbox, Guard};
use crate::domain::Actor;
use leptos::prelude::*;

/// `/console/approvals`: the approvals waiting for the signed-in agent.
#[component]
pub fn ConsoleApprovals() -> impl IntoView {
    let decide = ServerAction::<DecideApproval>::new();
    let list = Resource::new(move || decide.version().get(), |_| my_approvals());
    view! {
        <Guard allow=Actor::is_staff>
            <ApprovalInbox list decide/>
        </Guard>
    }
}
