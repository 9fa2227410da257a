//! The service catalog on SQLite and PostgreSQL: conditional forms judged on the server as the
//! browser shows them (GLPI #21630, #21240, #22745), versioned definitions, requests with items,
//! approvals (manager, N of M, not required, expiry), fulfilment tasks order by order, cancel,
//! audiences, and what a requester may see.

mod common;

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{json, Value};

fn fields(body: &Value) -> Vec<String> {
    let mut f: Vec<String> = body["error"]["fields"].as_array().map(|f| f.iter().filter_map(|f| f["field"].as_str().map(String::from)).collect()).unwrap_or_default();
    f.sort();
    f
}

/// The id of the demo catalog item called `name`, as `token` browses the catalog.
async fn item_id(app: &common::TestApp, token: &str, name: &str) -> Option<i64> {
    let (s, browse) = app.api(Method::GET, "/api/v1/catalog", token, None).await;
    assert_eq!(s, 200, "{browse}");
    browse["categories"].as_array().unwrap().iter().flat_map(|c| c["items"].as_array().unwrap().iter()).find(|i| i["name"] == name).and_then(|i| i["id"].as_i64())
}

async fn order(app: &common::TestApp, token: &str, item: i64, answers: Value) -> (u16, Value) {
    app.api(Method::POST, "/api/v1/requests", token, Some(json!({"items": [{"item_id": item, "answers": answers}]}))).await
}

fn answer<'a>(item: &'a Value, key: &str) -> Option<&'a Value> {
    item["answers"].as_array().unwrap().iter().find(|a| a["key"] == key).map(|a| &a["value"])
}

fn approval_for<'a>(list: &'a Value, number: &str) -> Option<&'a Value> {
    list["items"].as_array().unwrap().iter().find(|a| a["number"] == number)
}

both_backends!(forms_are_judged_on_the_server_as_the_browser_shows_them, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let laptop = item_id(&app, &riley, "Laptop").await.expect("laptop in the catalog");
    let (s, form) = app.api(Method::GET, &format!("/api/v1/catalog/items/{laptop}/form"), &riley, None).await;
    assert_eq!(s, 200, "{form}");
    assert_eq!((form["form_version"].as_i64(), form["stages"][0].as_str()), (Some(1), Some("Manager approval")));

    // GLPI #21630: a required field hidden by its condition is not required.
    let (s, r) = order(&app, &riley, laptop, json!({"model": "Standard 14-inch"})).await;
    assert_eq!(s, 201, "{r}");
    assert!(r["number"].as_str().unwrap().starts_with("REQ-"), "{r}");
    let item = &r["items"][0];
    assert!(item["number"].as_str().unwrap().starts_with("RITM-"), "{item}");
    assert_eq!(answer(item, "dev_os"), None);
    // GLPI #22745: what was sent for a hidden field is dropped.
    let (s, r) = order(&app, &riley, laptop, json!({"model": "Standard 14-inch", "developer": false, "dev_os": "Fedora 41", "dev_tools": ["Rust"]})).await;
    assert_eq!(s, 201, "{r}");
    assert_eq!((answer(&r["items"][0], "dev_os"), answer(&r["items"][0], "dev_tools")), (None, None), "{r}");
    // A visible required field left empty is a 422 naming it; bad values too, all at once.
    let (s, e) = order(&app, &riley, laptop, json!({"model": "Standard 14-inch", "developer": true})).await;
    assert_eq!((s, fields(&e)), (422, vec!["items.0.answers.dev_os".to_string()]), "{e}");
    let (s, e) = order(&app, &riley, laptop, json!({"model": "Huge 20-inch", "developer": true, "needed_by": "tomorrow"})).await;
    assert_eq!((s, fields(&e)), (422, vec!["items.0.answers.dev_os", "items.0.answers.model", "items.0.answers.needed_by"].into_iter().map(String::from).collect::<Vec<_>>()), "{e}");
    let (s, r) = order(&app, &riley, laptop, json!({"model": "Performance 16-inch", "developer": true, "dev_os": "Fedora 41", "dev_tools": ["Docker", "Rust", "Rust"]})).await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(answer(&r["items"][0], "dev_tools"), Some(&json!(["Rust", "Docker"])), "choices in form order, once each");
    // GLPI #21240: pre-filled defaults count as answers (the monitor's quantity defaults to 1).
    let monitor = item_id(&app, &riley, "Monitor").await.unwrap();
    let (s, r) = order(&app, &riley, monitor, json!({})).await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(answer(&r["items"][0], "quantity"), Some(&json!("1")));
    let (s, e) = order(&app, &riley, monitor, json!({"quantity": 3})).await;
    assert_eq!((s, fields(&e)), (422, vec!["items.0.answers.quantity".to_string()]), "at most 2: {e}");
    // Required when: roaming makes the countries required.
    let phone = item_id(&app, &riley, "Mobile phone").await.unwrap();
    let (s, e) = order(&app, &riley, phone, json!({"model": "Pixel 9", "roaming": true})).await;
    assert_eq!((s, fields(&e)), (422, vec!["items.0.answers.countries".to_string()]), "{e}");
    // CI pickers take a CI of their class; user pickers an active user.
    let printer = item_id(&app, &riley, "Printer access").await.unwrap();
    let (s, e) = order(&app, &riley, printer, json!({"printer": "EXCH-01"})).await;
    assert_eq!((s, fields(&e)), (422, vec!["items.0.answers.printer".to_string()]), "{e}");
    assert_eq!(order(&app, &riley, printer, json!({"printer": "PRN-3F-01"})).await.0, 201);
    let badge = item_id(&app, &riley, "Access badge").await.unwrap();
    let (s, e) = order(&app, &riley, badge, json!({"reason": "Lost", "requested_for": "ghost@example.com"})).await;
    assert_eq!((s, fields(&e)), (422, vec!["items.0.answers.requested_for".to_string()]), "{e}");
    // Answers must be scalars or lists; the order must name items.
    let (s, e) = order(&app, &riley, monitor, json!({"quantity": {"n": 1}})).await;
    assert_eq!((s, fields(&e)), (422, vec!["items.0.answers.quantity".to_string()]), "{e}");
    let (s, e) = app.api(Method::POST, "/api/v1/requests", &riley, Some(json!({"items": []}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["items".to_string()]), "{e}");
});

both_backends!(a_laptop_is_approved_by_the_manager_and_fulfilled_task_by_task, |app: common::TestApp| async move {
    let (riley, jordan, agent, netops) = (app.token("requester").await, app.token("jordan").await, app.token("agent").await, app.token("netops").await);
    let laptop = item_id(&app, &riley, "Laptop").await.unwrap();
    let vpn = item_id(&app, &riley, "VPN access").await.unwrap();
    // A cart: one request, two items, each with its own approval.
    let cart = json!({"items": [
        {"item_id": laptop, "answers": {"model": "Standard 14-inch", "developer": true, "dev_os": "Ubuntu 24.04"}},
        {"item_id": vpn, "answers": {"reason": "Travelling", "duration": "1 month"}}]});
    let (s, r) = app.api(Method::POST, "/api/v1/requests", &riley, Some(cart)).await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(r["state"], "awaiting_approval", "{r}");
    let req = r["number"].as_str().unwrap().to_string();
    let ritm = r["items"][0]["number"].as_str().unwrap().to_string();
    let vpn_ritm = r["items"][1]["number"].as_str().unwrap().to_string();
    assert_eq!((r["items"][0]["state"].as_str(), r["items"][0]["stages"][0]["outcome"].as_str()), (Some("awaiting_approval"), Some("pending")));
    assert_eq!(r["items"][0]["stages"][0]["approvers"][0]["approver_name"], "Jordan Employee", "Riley's manager");
    assert!(r["items"][0]["due_at"].is_string(), "the delivery target runs: {r}");
    // The item is a ticket on hold awaiting approval (the delivery clock pauses).
    let (_, t) = app.api(Method::GET, &format!("/api/v1/tickets/{ritm}"), &agent, None).await;
    assert_eq!((t["state"].as_str(), t["on_hold_reason"].as_str()), (Some("on_hold"), Some("awaiting_approval")), "{t}");
    // Agents cannot move it by hand.
    let (s, e) = app.api(Method::PATCH, &format!("/api/v1/tickets/{ritm}"), &agent, Some(json!({"state": "resolved"}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["state".to_string()]), "{e}");

    // Jordan (a requester) sees both approvals; Riley has none; nobody else may answer.
    let (_, mine) = app.api(Method::GET, "/api/v1/approvals", &jordan, None).await;
    let approval = approval_for(&mine, &ritm).expect("laptop approval").clone();
    assert!(approval_for(&mine, &vpn_ritm).is_some());
    assert_eq!((approval["request_number"].as_str(), approval["requester_name"].as_str()), (Some(req.as_str()), Some("Riley Requester")));
    assert!(approval["answers"].as_array().unwrap().iter().any(|a| a["key"] == "dev_os" && a["text"] == "Ubuntu 24.04"), "{approval}");
    let id = approval["id"].as_i64().unwrap();
    let (_, none) = app.api(Method::GET, "/api/v1/approvals", &riley, None).await;
    assert!(none["items"].as_array().unwrap().is_empty());
    assert_eq!(app.api(Method::POST, &format!("/api/v1/approvals/{id}"), &riley, Some(json!({"decision": "approved"}))).await.0, 404);
    let (s, e) = app.api(Method::POST, &format!("/api/v1/approvals/{id}"), &jordan, Some(json!({"decision": "rejected"}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["comment".to_string()]), "a rejection says why: {e}");
    let (s, e) = app.api(Method::POST, &format!("/api/v1/approvals/{id}"), &jordan, Some(json!({"decision": "maybe"}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["decision".to_string()]), "{e}");

    // Approved: the first task opens, the second waits for it.
    let (s, item) = app.api(Method::POST, &format!("/api/v1/approvals/{id}"), &jordan, Some(json!({"decision": "approved", "comment": "Go ahead"}))).await;
    assert_eq!(s, 200, "{item}");
    assert_eq!(item["state"], "in_fulfilment", "{item}");
    assert_eq!(item["stages"][0]["approvers"][0]["comment"], "Go ahead");
    let tasks = item["tasks"].as_array().unwrap().clone();
    assert_eq!(tasks.iter().map(|t| (t["state"].as_str().unwrap(), t["group_name"].as_str().unwrap())).collect::<Vec<_>>(), [("open", "Service Desk"), ("waiting", "Network Operations")]);
    assert_eq!(app.api(Method::POST, &format!("/api/v1/approvals/{id}"), &jordan, Some(json!({"decision": "approved"}))).await.0, 409, "answered once");
    let (first, second) = (tasks[0]["number"].as_str().unwrap().to_string(), tasks[1]["number"].as_str().unwrap().to_string());
    // The form's answers are on every task; requesters do not see tasks.
    let (_, t1) = app.api(Method::GET, &format!("/api/v1/tickets/{first}"), &agent, None).await;
    assert!(t1["description"].as_str().unwrap().contains("Ubuntu 24.04"), "{t1}");
    assert_eq!(app.api(Method::GET, &format!("/api/v1/tickets/{first}"), &riley, None).await.0, 404);
    let (_, list) = app.api(Method::GET, "/api/v1/tickets?limit=100", &riley, None).await;
    assert!(!list.to_string().contains("TASK-"), "{list}");
    assert_eq!(app.api(Method::PUT, &format!("/api/v1/tasks/{first}/state"), &riley, Some(json!({"state": "completed"}))).await.0, 403);
    // The waiting task cannot be completed before its turn.
    let (s, e) = app.api(Method::PUT, &format!("/api/v1/tasks/{second}/state"), &netops, Some(json!({"state": "completed"}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["state".to_string()]), "{e}");

    // Two agents complete the two tasks: the item is fulfilled; the request waits for the VPN.
    let (s, item) = app.api(Method::PUT, &format!("/api/v1/tasks/{first}/state"), &agent, Some(json!({"state": "in_progress"}))).await;
    assert_eq!((s, item["tasks"][0]["state"].as_str()), (200, Some("in_progress")), "{item}");
    let (_, item) = app.api(Method::PUT, &format!("/api/v1/tasks/{first}/state"), &agent, Some(json!({"state": "completed", "note": "Imaged"}))).await;
    assert_eq!((item["tasks"][0]["state"].as_str(), item["tasks"][1]["state"].as_str()), (Some("completed"), Some("open")), "{item}");
    let (_, item) = app.api(Method::PUT, &format!("/api/v1/tasks/{second}/state"), &netops, Some(json!({"state": "completed"}))).await;
    assert_eq!(item["state"], "fulfilled", "{item}");
    let (_, r) = app.api(Method::GET, &format!("/api/v1/requests/{req}"), &riley, None).await;
    assert_eq!((r["state"].as_str(), r["items"][1]["state"].as_str()), (Some("awaiting_approval"), Some("awaiting_approval")), "{r}");
    // Jordan rejects the VPN: the item closes with the reason; the request is fulfilled (what went ahead was delivered).
    let (_, mine) = app.api(Method::GET, "/api/v1/approvals", &jordan, None).await;
    let vpn_approval = approval_for(&mine, &vpn_ritm).unwrap()["id"].as_i64().unwrap();
    let (_, item) = app.api(Method::POST, &format!("/api/v1/approvals/{vpn_approval}"), &jordan, Some(json!({"decision": "rejected", "comment": "Use the office Wi-Fi"}))).await;
    assert_eq!(item["state"], "rejected", "{item}");
    let (_, t) = app.api(Method::GET, &format!("/api/v1/tickets/{vpn_ritm}"), &riley, None).await;
    assert!(t["resolution_note"].as_str().unwrap_or_default().contains("Use the office Wi-Fi"), "{t}");
    let (_, r) = app.api(Method::GET, "/api/v1/requests", &riley, None).await;
    let mine = r["items"].as_array().unwrap().iter().find(|x| x["number"] == req.as_str()).unwrap();
    assert_eq!(mine["state"], "fulfilled", "{mine}");
    let (_, t) = app.api(Method::GET, &format!("/api/v1/tickets/{req}"), &riley, None).await;
    assert_eq!(t["state"], "resolved", "{t}");
    // Every move is in the item's history.
    let history = app.audit_fields("ticket", item["ticket_id"].as_i64().unwrap()).await;
    assert!(history.iter().filter(|f| *f == "stage").count() >= 2 && history.contains(&"approval".to_string()), "{history:?}");
});

both_backends!(n_of_m_stages_release_the_approvals_no_longer_needed_and_expire, |app: common::TestApp| async move {
    let (admin, agent, netops, riley) = (app.token("admin").await, app.token("agent").await, app.token("netops").await, app.token("requester").await);
    let ids = [app.user_id("admin").await, app.user_id("agent").await, app.user_id("netops").await];
    let desk = app.api(Method::GET, "/api/v1/groups", &admin, None).await.1.as_array().unwrap().iter().find(|g| g["name"] == "Service Desk").unwrap()["id"].as_i64().unwrap();
    let cab = json!({"name": "Firewall rule", "summary": "Open a port", "group_id": desk, "form": [{"key": "port", "label": "Port", "kind": {"type": "number", "min": 1, "max": 65535}, "required": true}],
        "approvals": [{"name": "Security board", "approvers": {"kind": "users", "user_ids": ids}, "rule": {"rule": "at_least", "n": 2}, "due_hours": 1, "on_expiry": "escalate"},
                      {"name": "CISO", "approvers": {"kind": "users", "user_ids": [ids[0]]}, "rule": {"rule": "any"}, "due_hours": 2, "on_expiry": "escalate"}],
        "tasks": [{"title": "Open the port", "order": 1}]});
    let (s, item) = app.api(Method::POST, "/api/v1/catalog/items", &admin, Some(cab)).await;
    assert_eq!(s, 201, "{item}");
    let cab_id = item["id"].as_i64().unwrap();

    let (_, r) = order(&app, &riley, cab_id, json!({"port": 8443})).await;
    let ritm = r["items"][0]["number"].as_str().unwrap().to_string();
    assert_eq!(r["items"][0]["stages"][0]["rule"], "2 of 3");
    assert_eq!(r["items"][0]["stages"][1]["approvers"][0]["decision"], "pending", "later stages wait");
    let (_, ciso_list) = app.api(Method::GET, "/api/v1/approvals", &admin, None).await;
    assert_eq!(ciso_list["items"].as_array().unwrap().iter().filter(|a| a["number"] == ritm.as_str()).count(), 1, "only the asking stage is listed: {ciso_list}");
    let decide = |token: String, list: Value| {
        let id = approval_for(&list, &ritm).unwrap()["id"].as_i64().unwrap();
        (token, id)
    };
    let (t, id) = decide(admin.clone(), ciso_list);
    assert_eq!(app.api(Method::POST, &format!("/api/v1/approvals/{id}"), &t, Some(json!({"decision": "approved"}))).await.0, 200);
    let (_, l) = app.api(Method::GET, "/api/v1/approvals", &agent, None).await;
    let (t, id) = decide(agent.clone(), l);
    let (_, item) = app.api(Method::POST, &format!("/api/v1/approvals/{id}"), &t, Some(json!({"decision": "approved"}))).await;
    let board: Vec<&str> = item["stages"][0]["approvers"].as_array().unwrap().iter().map(|a| a["decision"].as_str().unwrap()).collect();
    assert_eq!((item["stages"][0]["outcome"].as_str(), board), (Some("approved"), vec!["approved", "approved", "not_required"]), "{item}");
    // Netops's answer is no longer asked for.
    let (_, l) = app.api(Method::GET, "/api/v1/approvals", &netops, None).await;
    assert!(approval_for(&l, &ritm).is_none(), "{l}");
    let netops_id = item["stages"][0]["approvers"][2]["id"].as_i64().unwrap();
    assert_eq!(app.api(Method::POST, &format!("/api/v1/approvals/{netops_id}"), &netops, Some(json!({"decision": "approved"}))).await.0, 409);

    // The CISO stage asks now and escalates on expiry; the last stage escalating rejects.
    assert_eq!(item["stages"][1]["outcome"], "pending");
    assert_eq!(app::services::approvals::fire_due(&app.ctx, Utc::now() + Duration::minutes(90)).await.unwrap(), 0, "two hours from when it started asking");
    assert_eq!(app::services::approvals::fire_due(&app.ctx, Utc::now() + Duration::hours(3)).await.unwrap(), 1);
    assert_eq!(app::services::approvals::fire_due(&app.ctx, Utc::now() + Duration::hours(3)).await.unwrap(), 0, "fired once");
    let (_, r) = app.api(Method::GET, &format!("/api/v1/requests/{ritm}"), &riley, None).await;
    assert_eq!((r["items"][0]["state"].as_str(), r["items"][0]["stages"][1]["outcome"].as_str(), r["state"].as_str()), (Some("rejected"), Some("escalated"), Some("rejected")), "{r}");

    // A first stage left unanswered escalates to the next one.
    let (_, r) = order(&app, &riley, cab_id, json!({"port": 22})).await;
    app::services::approvals::fire_due(&app.ctx, Utc::now() + Duration::minutes(61)).await.unwrap();
    let (_, r) = app.api(Method::GET, &format!("/api/v1/requests/{}", r["number"].as_str().unwrap()), &riley, None).await;
    assert_eq!((r["items"][0]["stages"][0]["outcome"].as_str(), r["items"][0]["stages"][1]["outcome"].as_str()), (Some("escalated"), Some("pending")), "{r}");
});

both_backends!(requesters_cancel_before_fulfilment_and_see_only_what_they_may, |app: common::TestApp| async move {
    let (riley, jordan, agent, admin) = (app.token("requester").await, app.token("jordan").await, app.token("agent").await, app.token("admin").await);
    let vpn = item_id(&app, &riley, "VPN access").await.unwrap();
    let (_, r) = order(&app, &riley, vpn, json!({"reason": "Home", "duration": "Permanent"})).await;
    let ritm = r["items"][0]["number"].as_str().unwrap().to_string();
    assert_eq!(r["items"][0]["may_cancel"], true);
    // Another requester cannot see or cancel it.
    assert_eq!(app.api(Method::GET, &format!("/api/v1/requests/{ritm}"), &jordan, None).await.0, 404);
    assert_eq!(app.api(Method::POST, &format!("/api/v1/request-items/{ritm}/cancel"), &jordan, Some(json!({"reason": "no"}))).await.0, 404);
    let (s, e) = app.api(Method::POST, &format!("/api/v1/request-items/{ritm}/cancel"), &riley, Some(json!({}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["reason".to_string()]), "{e}");
    let (s, item) = app.api(Method::POST, &format!("/api/v1/request-items/{ritm}/cancel"), &riley, Some(json!({"reason": "Not needed after all"}))).await;
    assert_eq!((s, item["state"].as_str()), (200, Some("canceled")), "{item}");
    assert_eq!(item["stages"][0]["approvers"][0]["decision"], "not_required");
    let (_, l) = app.api(Method::GET, "/api/v1/approvals", &jordan, None).await;
    assert!(approval_for(&l, &ritm).is_none(), "withdrawn from the manager's list");

    // Once fulfilment started, the requester asks the desk; an agent can still cancel (tasks go with it).
    let monitor = item_id(&app, &riley, "Monitor").await.unwrap();
    let (_, r) = order(&app, &riley, monitor, json!({"quantity": 2})).await;
    let m = r["items"][0]["number"].as_str().unwrap().to_string();
    assert_eq!((r["items"][0]["state"].as_str(), r["items"][0]["may_cancel"].as_bool()), (Some("in_fulfilment"), Some(false)), "no approval: fulfilment starts at once");
    let (s, e) = app.api(Method::POST, &format!("/api/v1/request-items/{m}/cancel"), &riley, Some(json!({"reason": "Changed my mind"}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["state".to_string()]), "{e}");
    let (_, item) = app.api(Method::POST, &format!("/api/v1/request-items/{m}/cancel"), &agent, Some(json!({"reason": "Duplicate order"}))).await;
    assert_eq!((item["state"].as_str(), item["tasks"][0]["state"].as_str()), (Some("canceled"), Some("canceled")), "{item}");

    // Audiences: onboarding is for agents; a requester neither sees nor orders it.
    assert!(item_id(&app, &riley, "New-hire onboarding").await.is_none());
    let onboarding = item_id(&app, &agent, "New-hire onboarding").await.expect("agents see it");
    let (s, e) = order(&app, &riley, onboarding, json!({})).await;
    assert_eq!((s, fields(&e)), (422, vec!["items.0.item_id".to_string()]), "{e}");
    assert_eq!(app.api(Method::GET, &format!("/api/v1/catalog/items/{onboarding}/form"), &riley, None).await.0, 404);
    // Four tasks: one, then two side by side, then one.
    let (s, r) = order(&app, &agent, onboarding, json!({"full_name": "Sam New", "start_date": "2027-01-04", "department": "Sales"})).await;
    assert_eq!(s, 201, "{r}");
    let states: Vec<&str> = r["items"][0]["tasks"].as_array().unwrap().iter().map(|t| t["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["open", "waiting", "waiting", "waiting"]);
    let first = r["items"][0]["tasks"][0]["number"].as_str().unwrap().to_string();
    let (_, item) = app.api(Method::PUT, &format!("/api/v1/tasks/{first}/state"), &agent, Some(json!({"state": "completed"}))).await;
    let states: Vec<&str> = item["tasks"].as_array().unwrap().iter().map(|t| t["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["completed", "open", "open", "waiting"]);
    // Canceling a task closes the item incomplete and cancels the rest.
    let second = item["tasks"][1]["number"].as_str().unwrap().to_string();
    let (s, e) = app.api(Method::PUT, &format!("/api/v1/tasks/{second}/state"), &agent, Some(json!({"state": "canceled"}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["note".to_string()]), "{e}");
    let (_, item) = app.api(Method::PUT, &format!("/api/v1/tasks/{second}/state"), &agent, Some(json!({"state": "canceled", "note": "Start date moved"}))).await;
    assert_eq!(item["state"], "incomplete", "{item}");
    assert!(item["tasks"].as_array().unwrap().iter().skip(1).all(|t| t["state"] == "canceled"), "{item}");

    // On behalf of: Ada orders for Riley; the manager asked is Riley's.
    let (s, r) = app.api(Method::POST, "/api/v1/requests", &admin, Some(json!({"requested_for": "requester@example.com", "items": [{"item_id": vpn, "answers": {"reason": "Trip", "duration": "1 month"}}]}))).await;
    assert_eq!(s, 201, "{r}");
    assert_eq!((r["items"][0]["requested_for_name"].as_str(), r["items"][0]["stages"][0]["approvers"][0]["approver_name"].as_str()), (Some("Riley Requester"), Some("Jordan Employee")), "{r}");
    // Riley sees the request ordered for her (not to cancel: that is the orderer's).
    let number = r["number"].as_str().unwrap().to_string();
    let (_, mine) = app.api(Method::GET, "/api/v1/requests", &riley, None).await;
    assert!(mine["items"].as_array().unwrap().iter().any(|q| q["number"] == number.as_str()), "{mine}");
    let (s, seen) = app.api(Method::GET, &format!("/api/v1/requests/{number}"), &riley, None).await;
    assert_eq!((s, seen["items"][0]["may_cancel"].as_bool()), (200, Some(false)), "{seen}");
    let (s, e) = app.api(Method::POST, "/api/v1/requests", &admin, Some(json!({"requested_for": "ghost", "items": [{"item_id": vpn, "answers": {}}]}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["requested_for".to_string()]), "{e}");
    // Nobody to approve (the agent has no manager): rejected at once, with the reason.
    let (_, r) = order(&app, &agent, vpn, json!({"reason": "On call", "duration": "Permanent"})).await;
    assert_eq!(r["items"][0]["state"], "rejected", "{r}");
});

both_backends!(admins_build_versioned_items_and_old_requests_keep_theirs, |app: common::TestApp| async move {
    let (admin, agent, riley) = (app.token("admin").await, app.token("agent").await, app.token("requester").await);
    let bad = json!({"name": "x", "icon": "Big Icon", "form": [{"key": "Bad Key", "label": "", "kind": {"type": "select", "options": []}},
        {"key": "b", "label": "B", "kind": {"type": "text"}, "visible_when": {"op": "checked", "field": "later"}}],
        "approvals": [{"name": "", "approvers": {"kind": "users", "user_ids": []}, "rule": {"rule": "percent", "n": 0}}],
        "tasks": [{"title": "Do it", "order": 0}]});
    let (s, e) = app.api(Method::POST, "/api/v1/catalog/items", &admin, Some(bad)).await;
    assert_eq!(s, 422, "{e}");
    let expected = ["approvals.0.approvers", "approvals.0.name", "approvals.0.rule", "form.fields.0.key", "form.fields.0.label", "form.fields.0.options", "form.fields.1.visible_when", "icon", "name", "tasks.0.order"];
    assert_eq!(fields(&e), expected.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{e}");
    assert_eq!(app.api(Method::POST, "/api/v1/catalog/items", &agent, Some(json!({"name": "Mine"}))).await.0, 403);
    let (s, e) = app.api(Method::POST, "/api/v1/catalog/items", &admin, Some(json!({"name": "laptop"}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["name".to_string()]), "names are unique, case ignored: {e}");

    let laptop = item_id(&app, &riley, "Laptop").await.unwrap();
    let (_, before) = order(&app, &riley, laptop, json!({"model": "Standard 14-inch"})).await;
    let (_, item) = app.api(Method::GET, &format!("/api/v1/catalog/items/{laptop}"), &admin, None).await;
    assert_eq!((item["form_version"].as_i64(), item["requested"].as_i64()), (Some(1), Some(1)));
    let mut changed = item.clone();
    changed["form"][0]["label"] = json!("Laptop model");
    let (s, saved) = app.api(Method::PUT, &format!("/api/v1/catalog/items/{laptop}"), &admin, Some(changed.clone())).await;
    assert_eq!((s, saved["form_version"].as_i64()), (200, Some(2)), "{saved}");
    assert_eq!(app.api(Method::PUT, &format!("/api/v1/catalog/items/{laptop}"), &admin, Some(changed)).await.0, 409, "stale version");
    let (_, old) = app.api(Method::GET, &format!("/api/v1/requests/{}", before["number"].as_str().unwrap()), &riley, None).await;
    assert_eq!((old["items"][0]["form_version"].as_i64(), old["items"][0]["answers"][0]["label"].as_str()), (Some(1), Some("Model")), "old requests keep their version: {old}");
    let (_, new) = order(&app, &riley, laptop, json!({"model": "Standard 14-inch"})).await;
    assert_eq!((new["items"][0]["form_version"].as_i64(), new["items"][0]["answers"][0]["label"].as_str()), (Some(2), Some("Laptop model")));
    // Retired: gone from the portal, not orderable; admins still see it.
    let mut retired = saved.clone();
    retired["active"] = json!(false);
    assert_eq!(app.api(Method::PUT, &format!("/api/v1/catalog/items/{laptop}"), &admin, Some(retired)).await.0, 200);
    assert!(item_id(&app, &riley, "Laptop").await.is_none());
    assert_eq!(order(&app, &riley, laptop, json!({"model": "Standard 14-inch"})).await.0, 422);
    assert!(app.audit_fields("catalog_item", laptop).await.contains(&"definition_version".to_string()));
});

both_backends!(catalog_items_are_found_beside_articles_by_their_audience, |app: common::TestApp| async move {
    app::services::search::indexer::catch_up(&app.ctx).await.unwrap();
    let search = |token: String, q: &'static str| {
        let app = &app;
        async move {
            let (s, r) = app.api(Method::GET, &format!("/api/v1/kb/search?q={q}&limit=20"), &token, None).await;
            assert_eq!(s, 200, "{r}");
            r["hits"].as_array().unwrap().iter().filter(|h| h["kind"] == "catalog").map(|h| (h["title"].as_str().unwrap().to_string(), h["url"].as_str().unwrap().to_string())).collect::<Vec<_>>()
        }
    };
    let (riley, agent) = (app.token("requester").await, app.token("agent").await);
    let laptop = item_id(&app, &riley, "Laptop").await.unwrap();
    // Typo tolerant, and the hit opens the item's order form.
    let hits = search(riley.clone(), "laptp").await;
    assert!(hits.contains(&("Laptop".to_string(), format!("/portal/catalog/{laptop}"))), "{hits:?}");
    // New-hire onboarding is for agents and admins only.
    assert!(!search(riley.clone(), "onboarding").await.iter().any(|(t, _)| t == "New-hire onboarding"));
    assert!(search(agent.clone(), "onboarding").await.iter().any(|(t, _)| t == "New-hire onboarding"));

    // A retired item leaves the index once the indexer has read its change.
    let admin = app.token("admin").await;
    let (s, mut item) = app.api(Method::GET, &format!("/api/v1/catalog/items/{laptop}"), &admin, None).await;
    assert_eq!(s, 200, "{item}");
    item["active"] = json!(false);
    let (s, saved) = app.api(Method::PUT, &format!("/api/v1/catalog/items/{laptop}"), &admin, Some(item)).await;
    assert_eq!(s, 200, "{saved}");
    app::services::search::indexer::catch_up(&app.ctx).await.unwrap();
    assert!(!search(riley, "laptop").await.iter().any(|(t, _)| t == "Laptop"));
});

both_backends!(the_portal_order_form_posts_answers_as_an_html_form_would, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let laptop = item_id(&app, &riley, "Laptop").await.unwrap().to_string();
    let cookie = app.login("requester", "oxidesk-demo").await.expect("signed in");
    let before = app.api(Method::GET, "/api/v1/requests", &riley, None).await.1["items"].as_array().unwrap().len();
    // The developer configuration reveals a required field: left empty, it is named.
    let (s, refused) = app
        .call_fn("/api/catalog/order", &cookie, &[("item_id", &laptop), ("answers[model][]", "Standard 14-inch"), ("answers[developer][]", "true")])
        .await;
    assert_eq!(s, 422, "{refused}");
    assert!(refused.to_string().contains("items.0.answers.dev_os"), "{refused}");
    // Several values of a multi-select arrive as several answers; a hidden field's value is dropped.
    let (s, placed) = app
        .call_fn(
            "/api/catalog/order",
            &cookie,
            &[
                ("item_id", &laptop),
                ("answers[model][]", "Standard 14-inch"),
                ("answers[developer][]", "true"),
                ("answers[dev_os][]", "Fedora 41"),
                ("answers[dev_tools][]", "Rust"),
                ("answers[dev_tools][]", "Docker"),
                ("requested_for", ""),
            ],
        )
        .await;
    assert!(s < 400, "{s} {placed}");
    let list = app.api(Method::GET, "/api/v1/requests", &riley, None).await.1;
    let requests = list["items"].as_array().unwrap();
    assert_eq!(requests.len(), before + 1);
    let item = &requests[0]["items"][0];
    assert_eq!(answer(item, "dev_os"), Some(&json!("Fedora 41")));
    assert_eq!(answer(item, "dev_tools"), Some(&json!(["Rust", "Docker"])));
});
