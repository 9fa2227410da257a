use crate::api::catalog::{get_request, my_approvals, my_requests, CancelRequestItem, DecideApproval};
use crate::components::{when, ApprovalInbox, Guard, RequestItemCard};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/portal/requests`: the requester's service requests with each item's state.
#[component]
pub fn PortalRequests() -> impl IntoView {
    let requests = Resource::new(|| (), |_| my_requests());
    view! {
        <Guard allow=|_| true>
            <h1>"My requests"</h1>
            <p><a href="/portal/catalog">"Request something"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match requests.await {
                        Ok(list) if list.items.is_empty() => view! { <p class="empty">"You have not requested anything yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="tickets" id="my-requests">
                                <thead><tr><th>"Number"</th><th>"Items"</th><th>"State"</th><th>"Ordered"</th></tr></thead>
                                <tbody>
                                    {list.items.into_iter().map(|r| view! {
                                        <tr data-number=r.number.clone() data-state=r.state.code()>
                                            <td><a href=format!("/portal/requests/{}", r.number)>{r.number.clone()}</a></td>
                                            <td>{r.items.iter().map(|i| format!("{} ({})", i.item_name, i.state.label())).collect::<Vec<_>>().join(", ")}</td>
                                            <td><span class="badge">{r.state.label()}</span></td>
                                            <td>{when(&r.created_at)}</td>
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

/// `/portal/requests/:number`: one request with each item's approvals and tasks; items not yet in
/// fulfilment can be canceled.
#[component]
pub fn PortalRequest() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number")).unwrap_or_default();
    let cancel = ServerAction::<CancelRequestItem>::new();
    let request = Resource::new(move || (number(), cancel.version().get()), |(n, _)| get_request(n));
    view! {
        <Guard allow=|_| true>
            <p><a href="/portal/requests">"← My requests"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match request.await {
                        Ok(r) => view! {
                            <h1 id="request" data-state=r.state.code()><span class="number">{r.number.clone()}</span> " " {r.title.clone()}
                                " " <span class="badge">{r.state.label()}</span></h1>
                            <p class="muted">"Ordered by " {r.requester_name.clone()} " · " {when(&r.created_at)}</p>
                            {r.items.into_iter().map(|item| view! { <RequestItemCard item cancel/> }).collect_view()}
                        }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Guard>
    }
}

/// `/portal/approvals`: what waits for the signed-in person's approval (managers are often
/// requesters too).
#[component]
pub fn PortalApprovals() -> impl IntoView {
    let decide = ServerAction::<DecideApproval>::new();
    let list = Resource::new(move || decide.version().get(), |_| my_approvals());
    view! {
        <Guard allow=|_| true>
            <ApprovalInbox list decide/>
        </Guard>
    }
}
