//! Incident management through REST API v1, on SQLite and PostgreSQL: lifecycle, priority matrix,
//! on-hold and reopen rules, note privacy, major incidents, duplicates, escalation, time tracking,
//! attachments, auto-close and desk configuration.

mod common;

use reqwest::Method;
use serde_json::json;

fn fields(body: &serde_json::Value) -> Vec<String> {
    body["error"]["fields"].as_array().map(|a| a.iter().map(|f| f["field"].as_str().unwrap_or("").to_string()).collect()).unwrap_or_default()
}

fn field_message(body: &serde_json::Value, field: &str) -> String {
    body["error"]["fields"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["field"] == field))
        .and_then(|f| f["message"].as_str())
        .unwrap_or("")
        .to_string()
}

/// Raises a ticket and returns its id and number.
async fn new_ticket(app: &common::TestApp, token: &str, title: &str, impact: &str, urgency: &str) -> (i64, String) {
    let (s, t) = app
        .api(Method::POST, "/api/v1/tickets", token, Some(json!({"title": title, "description": "Raised by a test", "impact": impact, "urgency": urgency})))
        .await;
    assert_eq!(s, 201, "{t}");
    (t["id"].as_i64().unwrap(), t["number"].as_str().unwrap().to_string())
}

async fn get(app: &common::TestApp, token: &str, key: &str) -> serde_json::Value {
    let (s, t) = app.api(Method::GET, &format!("/api/v1/tickets/{key}"), token, None).await;
    assert_eq!(s, 200, "{t}");
    t
}

async fn patch(app: &common::TestApp, token: &str, key: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
    app.api(Method::PATCH, &format!("/api/v1/tickets/{key}"), token, Some(body)).await
}

async fn comment(app: &common::TestApp, token: &str, key: &str, body: &str, internal: bool) -> (u16, serde_json::Value) {
    app.api(Method::POST, &format!("/api/v1/tickets/{key}/comments"), token, Some(json!({"body": body, "internal": internal}))).await
}

async fn link(app: &common::TestApp, token: &str, key: &str, kind: &str, target: &str) -> (u16, serde_json::Value) {
    app.api(Method::POST, &format!("/api/v1/tickets/{key}/links"), token, Some(json!({"kind": kind, "target": target}))).await
}

fn resolve_body(code: &str, note: &str) -> serde_json::Value {
    json!({"state": "resolved", "resolution_code": code, "resolution_note": note})
}

async fn resolve(app: &common::TestApp, token: &str, key: &str) -> serde_json::Value {
    let (s, t) = patch(app, token, key, resolve_body("solved_permanently", "Fixed")).await;
    assert_eq!((s, t["state"].as_str()), (200, Some("resolved")), "{t}");
    t
}

async fn group_id(app: &common::TestApp, token: &str, name: &str) -> i64 {
    let (s, groups) = app.api(Method::GET, "/api/v1/groups", token, None).await;
    assert_eq!(s, 200, "{groups}");
    groups.as_array().unwrap().iter().find(|g| g["name"] == name).and_then(|g| g["id"].as_i64()).expect("group exists")
}

async fn notifications(app: &common::TestApp, token: &str) -> Vec<serde_json::Value> {
    let (s, n) = app.api(Method::GET, "/api/v1/notifications", token, None).await;
    assert_eq!(s, 200, "{n}");
    n.as_array().expect("notifications are a list").clone()
}

/// One audit-trail line, with missing values as "".
#[derive(Debug, Clone)]
struct Line {
    actor: Option<String>,
    action: String,
    field: String,
    old: String,
    new: String,
}

async fn history(app: &common::TestApp, token: &str, key: &str) -> Vec<Line> {
    let (s, h) = app.api(Method::GET, &format!("/api/v1/tickets/{key}/history"), token, None).await;
    assert_eq!(s, 200, "{h}");
    h.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or("").to_string();
            Line { actor: e["actor_name"].as_str().map(str::to_string), action: s("action"), field: s("field"), old: s("old_value"), new: s("new_value") }
        })
        .collect()
}

fn has(lines: &[Line], action: &str, field: &str, old: &str, new: &str) -> bool {
    lines.iter().any(|l| l.action == action && l.field == field && l.old == old && l.new == new)
}

fn numbers(refs: &serde_json::Value) -> Vec<String> {
    let mut n: Vec<String> = refs.as_array().unwrap().iter().map(|r| r["number"].as_str().unwrap().to_string()).collect();
    n.sort();
    n
}

async fn upload(app: &common::TestApp, token: &str, key: &str, filename: &str, data: Vec<u8>, internal: bool) -> (u16, serde_json::Value) {
    let part = reqwest::multipart::Part::bytes(data).file_name(filename.to_string());
    let mut form = reqwest::multipart::Form::new().part("file", part);
    if internal {
        form = form.text("internal", "true");
    }
    let res = app
        .http
        .post(app.url(&format!("/api/v1/tickets/{key}/attachments")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let status = res.status().as_u16();
    let text = res.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)))
}

/// Downloads an attachment: status, content type, content disposition, bytes.
async fn download(app: &common::TestApp, token: &str, id: i64) -> (u16, String, String, Vec<u8>) {
    let res = app.http.get(app.url(&format!("/api/v1/attachments/{id}"))).bearer_auth(token).send().await.expect("download");
    let status = res.status().as_u16();
    let header = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let content_type = header("content-type");
    let disposition = header("content-disposition");
    let bytes = res.bytes().await.expect("body").to_vec();
    (status, content_type, disposition, bytes)
}

/// Moves a test ticket to `state` along allowed steps.
async fn drive_to(app: &common::TestApp, agent: &str, key: &str, state: &str) {
    let steps = match state {
        "new" => vec![],
        "in_progress" => vec![json!({"state": "in_progress"})],
        "on_hold" => vec![json!({"state": "on_hold", "on_hold_reason": "awaiting_vendor"})],
        "resolved" => vec![resolve_body("solved_permanently", "Fixed")],
        "closed" => vec![resolve_body("solved_permanently", "Fixed"), json!({"state": "closed"})],
        "canceled" => vec![json!({"state": "canceled"})],
        other => panic!("unknown state {other}"),
    };
    for step in steps {
        let (s, t) = patch(app, agent, key, step).await;
        assert_eq!(s, 200, "driving {key} to {state}: {t}");
    }
    assert_eq!(get(app, agent, key).await["state"], state);
}

const STATES: [(&str, &str); 6] = [
    ("new", "New"),
    ("in_progress", "In progress"),
    ("on_hold", "On hold"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("canceled", "Canceled"),
];

fn allowed(from: &str, to: &str) -> bool {
    matches!(
        (from, to),
        ("new", "in_progress" | "on_hold" | "resolved" | "canceled")
            | ("in_progress", "on_hold" | "resolved" | "canceled")
            | ("on_hold", "in_progress" | "resolved" | "canceled")
            | ("resolved", "in_progress" | "closed")
    )
}

both_backends!(every_state_transition_is_allowed_or_refused_as_the_lifecycle_says, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let (mut moved, mut refused) = (0, 0);
    for (from, from_label) in STATES {
        for (to, to_label) in STATES {
            let (_, n) = new_ticket(&app, &riley, &format!("{from} to {to}"), "low", "low").await;
            drive_to(&app, &agent, &n, from).await;
            let before = get(&app, &agent, &n).await;
            let body = if from == to {
                json!({"state": to})
            } else {
                match to {
                    "on_hold" => json!({"state": "on_hold", "on_hold_reason": "awaiting_change"}),
                    "resolved" => resolve_body("solved_workaround", "Restarted the service"),
                    other => json!({"state": other}),
                }
            };
            let (s, t) = patch(&app, &agent, &n, body).await;
            if from == to {
                // Sending the current state again is not a transition: nothing changes.
                assert_eq!(s, 200, "{from} → {to}: {t}");
                assert_eq!(t["state"], from);
                assert_eq!(t["version"], before["version"], "{from} → {to} must not bump the version");
            } else if allowed(from, to) {
                assert_eq!(s, 200, "{from} → {to} must be allowed: {t}");
                assert_eq!(t["state"], to, "{from} → {to}");
                assert_eq!(t["version"].as_i64().unwrap(), before["version"].as_i64().unwrap() + 1);
                match to {
                    "on_hold" => assert_eq!(t["on_hold_reason"], "awaiting_change"),
                    "resolved" => {
                        assert_eq!(t["resolution_code"], "solved_workaround");
                        assert_eq!(t["resolution_note"], "Restarted the service");
                        assert!(t["resolved_at"].is_string(), "{t}");
                    }
                    "closed" | "canceled" => assert!(t["closed_at"].is_string(), "{from} → {to}: {t}"),
                    _ => {}
                }
                if from == "on_hold" {
                    assert!(t["on_hold_reason"].is_null(), "leaving on hold clears the reason: {t}");
                }
                if from == "resolved" && to == "in_progress" {
                    assert_eq!(t["reopen_count"], 1);
                    assert!(t["resolved_at"].is_null());
                }
                let lines = history(&app, &agent, &n).await;
                assert!(has(&lines, "field_changed", "state", from, to), "{from} → {to}: {lines:?}");
                moved += 1;
            } else {
                assert_eq!(s, 422, "{from} → {to} must be refused: {t}");
                assert_eq!(t["error"]["code"], "validation_failed");
                assert_eq!(fields(&t), ["state"], "{from} → {to}");
                assert_eq!(field_message(&t, "state"), format!("A ticket cannot go from {from_label} to {to_label}"));
                let after = get(&app, &agent, &n).await;
                assert_eq!(after["state"], from, "refused change left the state alone");
                assert_eq!(after["version"], before["version"]);
                refused += 1;
            }
        }
    }
    assert_eq!((moved, refused), (12, 18));
});

both_backends!(priority_follows_the_default_and_a_custom_matrix, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let admin = app.token("admin").await;
    let levels = ["high", "medium", "low"];

    let (s, desk) = app.api(Method::GET, "/api/v1/desk", &agent, None).await;
    assert_eq!(s, 200, "{desk}");
    let cells = desk["matrix"].as_array().unwrap();
    assert_eq!(cells.len(), 9);
    for (i, impact) in levels.iter().enumerate() {
        for (u, urgency) in levels.iter().enumerate() {
            let expected = (i + u + 1) as i64;
            let cell = cells.iter().find(|c| c["impact"] == *impact && c["urgency"] == *urgency).expect("cell listed");
            assert_eq!(cell["priority"].as_i64(), Some(expected), "{impact}/{urgency}");
            let (s, t) = app
                .api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": format!("{impact} {urgency}"), "impact": impact, "urgency": urgency})))
                .await;
            assert_eq!(s, 201, "{t}");
            assert_eq!(t["priority"].as_i64(), Some(expected), "default matrix {impact}/{urgency}");
            assert_eq!(t["priority_overridden"], false);
        }
    }
    let (_, before) = new_ticket(&app, &riley, "Made before the matrix changed", "medium", "medium").await;

    let custom = json!({
        "high_high": 1, "high_medium": 1, "high_low": 2,
        "medium_high": 2, "medium_medium": 2, "medium_low": 3,
        "low_high": 4, "low_medium": 5, "low_low": 5
    });
    let expected_custom = [[1, 1, 2], [2, 2, 3], [4, 5, 5]];
    // Incomplete or out-of-range matrices are refused cell by cell and change nothing.
    let mut missing = custom.clone();
    missing.as_object_mut().unwrap().remove("low_low");
    let (s, body) = app.api(Method::PUT, "/api/v1/desk/matrix", &admin, Some(missing)).await;
    assert_eq!((s, fields(&body)), (422, vec!["low_low".to_string()]), "{body}");
    let mut too_big = custom.clone();
    too_big["high_high"] = json!(6);
    too_big["medium_low"] = json!(0);
    let (s, body) = app.api(Method::PUT, "/api/v1/desk/matrix", &admin, Some(too_big)).await;
    assert_eq!((s, fields(&body)), (422, vec!["high_high".to_string(), "medium_low".to_string()]), "{body}");
    let (s, body) = app.api(Method::PUT, "/api/v1/desk/matrix", &agent, Some(custom.clone())).await;
    assert_eq!(s, 403, "{body}");
    let (_, t) = app.api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": "Still default", "impact": "low", "urgency": "high"}))).await;
    assert_eq!(t["priority"].as_i64(), Some(3), "refused matrix changes were not applied");

    let (s, view) = app.api(Method::PUT, "/api/v1/desk/matrix", &admin, Some(custom)).await;
    assert_eq!(s, 200, "{view}");
    for (i, impact) in levels.iter().enumerate() {
        for (u, urgency) in levels.iter().enumerate() {
            let cell = view["matrix"].as_array().unwrap().iter().find(|c| c["impact"] == *impact && c["urgency"] == *urgency).unwrap();
            assert_eq!(cell["priority"].as_i64(), Some(expected_custom[i][u]), "saved {impact}/{urgency}");
            let (s, t) = app
                .api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": format!("custom {impact} {urgency}"), "impact": impact, "urgency": urgency})))
                .await;
            assert_eq!(s, 201, "{t}");
            assert_eq!(t["priority"].as_i64(), Some(expected_custom[i][u]), "custom matrix {impact}/{urgency}");
        }
    }
    let (_, desk) = app.api(Method::GET, "/api/v1/desk", &riley, None).await;
    assert_eq!(desk["matrix"], view["matrix"], "the saved matrix is what everyone reads");

    // Existing tickets keep their priority until impact or urgency changes.
    assert_eq!(get(&app, &agent, &before).await["priority"].as_i64(), Some(3));
    let (s, t) = patch(&app, &agent, &before, json!({"impact": "low"})).await;
    assert_eq!((s, t["priority"].as_i64()), (200, Some(5)), "low/medium is 5 in the custom matrix (4 in the default): {t}");
    let (s, t) = patch(&app, &agent, &before, json!({"impact": "high", "urgency": "medium"})).await;
    assert_eq!((s, t["priority"].as_i64()), (200, Some(1)), "high/medium is 1 in the custom matrix (2 in the default): {t}");
});

both_backends!(priority_override_needs_a_reason_and_auto_returns_to_the_matrix, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let (_, n) = new_ticket(&app, &riley, "Printer offline", "medium", "medium").await;

    let (s, body) = patch(&app, &agent, &n, json!({"priority": "1"})).await;
    assert_eq!((s, fields(&body)), (422, vec!["priority_reason".to_string()]), "{body}");
    let (s, body) = patch(&app, &agent, &n, json!({"priority": "1", "priority_reason": "   "})).await;
    assert_eq!((s, fields(&body)), (422, vec!["priority_reason".to_string()]), "{body}");
    let (s, body) = patch(&app, &agent, &n, json!({"priority": "9", "priority_reason": "Very urgent"})).await;
    assert_eq!((s, fields(&body)), (422, vec!["priority".to_string()]), "{body}");
    let t = get(&app, &agent, &n).await;
    assert_eq!((t["priority"].as_i64(), t["priority_overridden"].as_bool()), (Some(3), Some(false)), "refusals changed nothing");

    let (s, t) = patch(&app, &agent, &n, json!({"priority": "1", "priority_reason": "Board meeting in an hour"})).await;
    assert_eq!(s, 200, "{t}");
    assert_eq!(t["priority"].as_i64(), Some(1));
    assert_eq!(t["priority_overridden"], true);
    assert_eq!(t["priority_reason"], "Board meeting in an hour");

    // While overridden, impact/urgency changes do not touch the priority.
    let (s, t) = patch(&app, &agent, &n, json!({"impact": "low", "urgency": "low"})).await;
    assert_eq!(s, 200, "{t}");
    assert_eq!((t["impact"].as_str(), t["urgency"].as_str()), (Some("low"), Some("low")));
    assert_eq!(t["priority"].as_i64(), Some(1), "override survives impact/urgency changes");

    let (s, t) = patch(&app, &agent, &n, json!({"priority": "auto"})).await;
    assert_eq!(s, 200, "{t}");
    assert_eq!(t["priority"].as_i64(), Some(5), "back on the matrix: low/low is 5");
    assert_eq!(t["priority_overridden"], false);
    assert!(t["priority_reason"].is_null(), "{t}");
    let (_, t) = patch(&app, &agent, &n, json!({"urgency": "high"})).await;
    assert_eq!(t["priority"].as_i64(), Some(3), "matrix applies again after auto");

    let lines = history(&app, &agent, &n).await;
    assert!(has(&lines, "field_changed", "priority", "3", "1"), "{lines:?}");
    assert!(has(&lines, "field_changed", "priority_reason", "", "Board meeting in an hour"), "{lines:?}");
    assert!(has(&lines, "field_changed", "priority", "1", "5"), "{lines:?}");
    assert!(has(&lines, "field_changed", "priority", "5", "3"), "{lines:?}");
});

both_backends!(on_hold_needs_a_reason_and_a_requester_reply_resumes_work, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let (_, n) = new_ticket(&app, &riley, "Cannot print payslip", "low", "medium").await;

    let (s, body) = patch(&app, &agent, &n, json!({"state": "on_hold"})).await;
    assert_eq!((s, fields(&body)), (422, vec!["on_hold_reason".to_string()]), "{body}");
    let (s, body) = patch(&app, &agent, &n, json!({"state": "on_hold", "on_hold_reason": "lunch"})).await;
    assert_eq!((s, fields(&body)), (422, vec!["on_hold_reason".to_string()]), "{body}");
    assert_eq!(get(&app, &agent, &n).await["state"], "new");

    let (s, t) = patch(&app, &agent, &n, json!({"state": "on_hold", "on_hold_reason": "awaiting_vendor"})).await;
    assert_eq!((s, t["state"].as_str(), t["on_hold_reason"].as_str()), (200, Some("on_hold"), Some("awaiting_vendor")), "{t}");
    // Waiting on a vendor: the requester's reply does not resume work.
    let (s, _) = comment(&app, &riley, &n, "Any news?", false).await;
    assert_eq!(s, 201);
    let t = get(&app, &agent, &n).await;
    assert_eq!((t["state"].as_str(), t["on_hold_reason"].as_str()), (Some("on_hold"), Some("awaiting_vendor")));

    // Changing only the reason while on hold.
    let (s, t) = patch(&app, &agent, &n, json!({"on_hold_reason": "awaiting_caller"})).await;
    assert_eq!((s, t["state"].as_str(), t["on_hold_reason"].as_str()), (200, Some("on_hold"), Some("awaiting_caller")), "{t}");
    // An agent's public reply does not resume it either.
    let (s, _) = comment(&app, &agent, &n, "Which printer are you using?", false).await;
    assert_eq!(s, 201);
    assert_eq!(get(&app, &agent, &n).await["state"], "on_hold");

    let (s, c) = comment(&app, &riley, &n, "The one on floor 3", false).await;
    assert_eq!(s, 201, "{c}");
    let t = get(&app, &agent, &n).await;
    assert_eq!(t["state"], "in_progress", "the caller answered: work resumes");
    assert!(t["on_hold_reason"].is_null(), "{t}");
    assert_eq!(t["comments"].as_array().unwrap().len(), 3);

    let lines = history(&app, &agent, &n).await;
    assert!(has(&lines, "field_changed", "on_hold_reason", "awaiting_vendor", "awaiting_caller"), "{lines:?}");
    assert!(has(&lines, "field_changed", "on_hold_reason", "awaiting_caller", ""), "{lines:?}");
    let resumed = lines.iter().find(|l| l.action == "field_changed" && l.field == "state" && l.old == "on_hold" && l.new == "in_progress").expect("resume recorded");
    assert_eq!(resumed.actor.as_deref(), Some("Riley Requester"));
});

both_backends!(reopens_are_counted_and_recorded, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let agent_id = app.user_id("agent").await;
    let (_, n) = new_ticket(&app, &riley, "Mail bounces", "medium", "high").await;
    let (s, t) = patch(&app, &agent, &n, json!({"assignee_id": agent_id})).await;
    assert_eq!((s, t["state"].as_str()), (200, Some("in_progress")), "{t}");
    assert_eq!(t["reopen_count"], 0);

    resolve(&app, &agent, &n).await;
    let (s, c) = comment(&app, &riley, &n, "Still bouncing", false).await;
    assert_eq!(s, 201, "{c}");
    let t = get(&app, &agent, &n).await;
    assert_eq!(t["state"], "in_progress", "a reply inside the window reopens");
    assert_eq!(t["reopen_count"], 1);
    assert!(t["resolved_at"].is_null(), "{t}");

    resolve(&app, &agent, &n).await;
    let (s, t) = patch(&app, &agent, &n, json!({"state": "in_progress"})).await;
    assert_eq!(s, 200, "{t}");
    assert_eq!(t["reopen_count"], 2);

    let lines = history(&app, &agent, &n).await;
    assert!(has(&lines, "field_changed", "reopen_count", "0", "1"), "{lines:?}");
    assert!(has(&lines, "field_changed", "reopen_count", "1", "2"), "{lines:?}");
    let first = lines.iter().find(|l| l.field == "reopen_count" && l.new == "1").unwrap();
    assert_eq!(first.actor.as_deref(), Some("Riley Requester"));
    let second = lines.iter().find(|l| l.field == "reopen_count" && l.new == "2").unwrap();
    assert_eq!(second.actor.as_deref(), Some("Alex Agent"));
    assert_eq!(lines.iter().filter(|l| l.field == "state" && l.old == "resolved" && l.new == "in_progress").count(), 2);
});

both_backends!(replies_outside_the_reopen_window_or_to_final_tickets_are_refused, |app: common::TestApp| async move {
    use app::services::entities::ticket;
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let admin = app.token("admin").await;
    let (id, n) = new_ticket(&app, &riley, "Old laptop issue", "low", "low").await;
    resolve(&app, &agent, &n).await;

    let mut row: ticket::ActiveModel = ticket::Entity::find_by_id(id).one(&app.ctx.db).await.unwrap().unwrap().into();
    row.resolved_at = Set(Some(chrono::Utc::now() - chrono::Duration::days(10)));
    row.update(&app.ctx.db).await.unwrap();

    let (s, body) = comment(&app, &riley, &n, "It broke again", false).await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(fields(&body), ["body"]);
    assert!(field_message(&body, "body").contains("more than 7 days"), "{body}");
    let t = get(&app, &agent, &n).await;
    assert_eq!((t["state"].as_str(), t["reopen_count"].as_i64()), (Some("resolved"), Some(0)));
    assert!(t["comments"].as_array().unwrap().is_empty(), "the refused reply was not stored: {t}");

    // A longer window, set by an admin, lets the same reply through.
    let (s, _) = app.api(Method::PUT, "/api/v1/desk/settings", &agent, Some(json!({"reopen_window_days": 14, "auto_close_days": 3}))).await;
    assert_eq!(s, 403);
    let (s, view) = app.api(Method::PUT, "/api/v1/desk/settings", &admin, Some(json!({"reopen_window_days": 14, "auto_close_days": 3}))).await;
    assert_eq!(s, 200, "{view}");
    assert_eq!(view["settings"]["reopen_window_days"], 14);
    let (s, c) = comment(&app, &riley, &n, "It broke again", false).await;
    assert_eq!(s, 201, "{c}");
    let t = get(&app, &agent, &n).await;
    assert_eq!((t["state"].as_str(), t["reopen_count"].as_i64()), (Some("in_progress"), Some(1)));

    // Closed and canceled tickets take no more replies, from anyone.
    let (_, closed) = new_ticket(&app, &riley, "Closed one", "low", "low").await;
    drive_to(&app, &agent, &closed, "closed").await;
    let (s, body) = comment(&app, &riley, &closed, "Hello?", false).await;
    assert_eq!((s, fields(&body)), (422, vec!["body".to_string()]), "{body}");
    let (s, body) = comment(&app, &agent, &closed, "Late note", false).await;
    assert_eq!((s, fields(&body)), (422, vec!["body".to_string()]), "{body}");
    let (_, canceled) = new_ticket(&app, &riley, "Canceled one", "low", "low").await;
    drive_to(&app, &agent, &canceled, "canceled").await;
    let (s, body) = comment(&app, &riley, &canceled, "Hello?", false).await;
    assert_eq!((s, fields(&body)), (422, vec!["body".to_string()]), "{body}");
    assert_eq!(get(&app, &agent, &closed).await["comments"].as_array().unwrap().len(), 0);
    assert_eq!(get(&app, &agent, &canceled).await["state"], "canceled");
});

both_backends!(requesters_never_see_internal_notes_or_time_entries, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let (_, n) = new_ticket(&app, &riley, "Shared drive missing", "medium", "low").await;
    let (s, _) = comment(&app, &agent, &n, "SECRET-NOTE-42: user is on the leavers list", true).await;
    assert_eq!(s, 201);
    let (s, _) = comment(&app, &agent, &n, "We are looking into it", false).await;
    assert_eq!(s, 201);
    let (s, _) = app.api(Method::POST, &format!("/api/v1/tickets/{n}/time"), &agent, Some(json!({"minutes": 15, "note": "Checked ACLs"}))).await;
    assert_eq!(s, 201);

    let seen = get(&app, &riley, &n).await;
    assert!(!seen.to_string().contains("SECRET-NOTE-42"), "requester saw an internal note: {seen}");
    let comments = seen["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0]["body"], "We are looking into it");
    assert!(comments.iter().all(|c| c["internal"] == false));
    assert!(seen["time_entries"].as_array().unwrap().is_empty(), "{seen}");

    let mine = history(&app, &riley, &n).await;
    assert!(!mine.iter().any(|l| l.action == "comment_added" && l.new == "internal"), "{mine:?}");
    assert!(mine.iter().any(|l| l.action == "comment_added" && l.new == "public"), "{mine:?}");

    let staff = get(&app, &agent, &n).await;
    assert_eq!(staff["comments"].as_array().unwrap().len(), 2);
    assert!(staff.to_string().contains("SECRET-NOTE-42"));
    assert_eq!(staff["time_entries"].as_array().unwrap().len(), 1);
    let theirs = history(&app, &agent, &n).await;
    assert!(theirs.iter().any(|l| l.action == "comment_added" && l.new == "internal"), "{theirs:?}");
});

both_backends!(resolving_a_major_incident_resolves_its_open_children, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let (_, parent) = new_ticket(&app, &riley, "Core switch down", "high", "high").await;
    let (_, c1) = new_ticket(&app, &riley, "No network in room 101", "low", "high").await;
    let (_, c2) = new_ticket(&app, &riley, "No network in room 102", "low", "high").await;
    let (_, c3) = new_ticket(&app, &riley, "No network in room 103", "low", "high").await;
    let (_, unrelated) = new_ticket(&app, &riley, "Unrelated", "low", "low").await;
    for child in [&c1, &c2, &c3] {
        let (s, body) = link(&app, &agent, child, "child_of", &parent).await;
        assert_eq!(s, 204, "{body}");
    }
    let p = get(&app, &agent, &parent).await;
    let mut expected = vec![c1.clone(), c2.clone(), c3.clone()];
    expected.sort();
    assert_eq!(numbers(&p["children"]), expected);
    assert!(p["parent"].is_null());
    let child = get(&app, &agent, &c1).await;
    assert_eq!(child["parent"]["number"], parent.as_str());
    assert_eq!(child["parent"]["state"], "new");
    assert!(child["children"].as_array().unwrap().is_empty());
    assert!(has(&history(&app, &agent, &c1).await, "linked", "parent", "", &parent));
    assert!(has(&history(&app, &agent, &parent).await, "linked", "child", "", &c1));

    drive_to(&app, &agent, &c2, "on_hold").await;
    drive_to(&app, &agent, &c3, "canceled").await;

    let (s, t) = patch(&app, &agent, &parent, resolve_body("solved_workaround", "Core switch replaced")).await;
    assert_eq!((s, t["state"].as_str()), (200, Some("resolved")), "{t}");
    for child in [&c1, &c2] {
        let c = get(&app, &agent, child).await;
        assert_eq!(c["state"], "resolved", "{child} resolved with its parent");
        assert_eq!(c["resolution_code"], "solved_workaround");
        let note = c["resolution_note"].as_str().unwrap_or("");
        assert!(note.starts_with(&format!("Resolved with major incident {parent}")), "{note}");
        assert!(c["resolved_at"].is_string());
        assert!(c["on_hold_reason"].is_null());
        let lines = history(&app, &agent, child).await;
        let resolved = lines.iter().find(|l| l.field == "state" && l.new == "resolved").expect("state change recorded");
        assert_eq!(resolved.actor.as_deref(), Some("Alex Agent"));
    }
    let c = get(&app, &agent, &c3).await;
    assert_eq!(c["state"], "canceled", "a canceled child stays canceled");
    assert!(c["resolution_code"].is_null(), "{c}");
    assert_eq!(get(&app, &agent, &unrelated).await["state"], "new", "only children are resolved");
    let p = get(&app, &agent, &parent).await;
    assert!(p["children"].as_array().unwrap().iter().filter(|r| r["number"] != c3.as_str()).all(|r| r["state"] == "resolved"), "{p}");
});

both_backends!(parent_child_links_refuse_bad_shapes_and_can_be_removed, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let (_, a) = new_ticket(&app, &riley, "A", "low", "low").await;
    let (_, b) = new_ticket(&app, &riley, "B", "low", "low").await;
    let (_, c) = new_ticket(&app, &riley, "C", "low", "low").await;
    let (_, d) = new_ticket(&app, &riley, "D", "low", "low").await;

    let refused = |what: &str, s: u16, body: &serde_json::Value| {
        assert_eq!((s, fields(body)), (422, vec!["parent".to_string()]), "{what}: {body}");
    };
    let (s, body) = link(&app, &agent, &a, "child_of", &a).await;
    refused("self", s, &body);
    let (s, body) = link(&app, &agent, &b, "child_of", &a).await;
    assert_eq!(s, 204, "{body}");
    let (s, body) = link(&app, &agent, &c, "child_of", &b).await;
    refused("target is already a child", s, &body);
    let (s, body) = link(&app, &agent, &b, "child_of", &c).await;
    refused("child already has a parent", s, &body);
    let (s, body) = link(&app, &agent, &a, "child_of", &c).await;
    refused("child has children", s, &body);
    let (s, body) = link(&app, &agent, &c, "child_of", "INC-999999").await;
    refused("unknown target", s, &body);
    resolve(&app, &agent, &d).await;
    let (s, body) = link(&app, &agent, &c, "child_of", &d).await;
    refused("target not open", s, &body);
    let (s, body) = link(&app, &agent, &c, "sibling_of", &a).await;
    assert_eq!((s, fields(&body)), (422, vec!["kind".to_string()]), "{body}");
    let (s, _) = link(&app, &riley, &c, "child_of", &a).await;
    assert_eq!(s, 403, "requesters cannot link");

    assert!(get(&app, &agent, &a).await["parent"].is_null());
    assert!(get(&app, &agent, &c).await["parent"].is_null());
    assert_eq!(numbers(&get(&app, &agent, &a).await["children"]), vec![b.clone()]);
    assert!(get(&app, &agent, &d).await["children"].as_array().unwrap().is_empty());

    let (s, body) = app.api(Method::DELETE, &format!("/api/v1/tickets/{b}/parent"), &agent, None).await;
    assert_eq!(s, 204, "{body}");
    assert!(get(&app, &agent, &b).await["parent"].is_null());
    assert!(get(&app, &agent, &a).await["children"].as_array().unwrap().is_empty());
    assert!(has(&history(&app, &agent, &b).await, "unlinked", "parent", &a, ""));
    let (s, body) = app.api(Method::DELETE, &format!("/api/v1/tickets/{a}/parent"), &agent, None).await;
    assert_eq!((s, fields(&body)), (422, vec!["parent".to_string()]), "{body}");

    // With the old link gone, the previously refused shapes are fine.
    let (s, body) = link(&app, &agent, &a, "child_of", &b).await;
    assert_eq!(s, 204, "{body}");
    assert_eq!(get(&app, &agent, &a).await["parent"]["number"], b.as_str());
});

both_backends!(marking_a_duplicate_resolves_it, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let jordan = app.token("jordan").await;
    let agent = app.token("agent").await;
    let (_, original) = new_ticket(&app, &riley, "Wi-Fi down on floor 4", "high", "medium").await;
    let (_, dup) = new_ticket(&app, &jordan, "No Wi-Fi on 4th floor", "medium", "medium").await;
    let (_, other) = new_ticket(&app, &jordan, "Wi-Fi slow", "low", "medium").await;

    let (s, body) = link(&app, &agent, &original, "duplicate_of", &original).await;
    assert_eq!((s, fields(&body)), (422, vec!["original".to_string()]), "{body}");
    let (s, body) = link(&app, &jordan, &dup, "duplicate_of", &original).await;
    assert_eq!(s, 403, "requesters cannot mark duplicates: {body}");
    assert_eq!(get(&app, &agent, &dup).await["state"], "new");

    let (s, body) = link(&app, &agent, &dup, "duplicate_of", &original).await;
    assert_eq!(s, 204, "{body}");
    let d = get(&app, &agent, &dup).await;
    assert_eq!(d["state"], "resolved");
    assert_eq!(d["resolution_code"], "duplicate");
    assert_eq!(d["resolution_note"], "Duplicate of a ticket already being worked on", "another requester's ticket is not named");
    assert_eq!(d["duplicate_of"]["number"], original.as_str());
    let o = get(&app, &agent, &original).await;
    assert_eq!(o["state"], "new", "the original is untouched");
    assert_eq!(numbers(&o["duplicates"]), vec![dup.clone()]);
    assert!(o["duplicate_of"].is_null());
    let lines = history(&app, &agent, &dup).await;
    assert!(has(&lines, "linked", "duplicate_of", "", &original), "{lines:?}");
    assert!(has(&lines, "field_changed", "resolution_code", "", "duplicate"), "{lines:?}");

    let (s, body) = link(&app, &agent, &other, "duplicate_of", &dup).await;
    assert_eq!((s, fields(&body)), (422, vec!["original".to_string()]), "a duplicate cannot be the original: {body}");
    let (s, body) = link(&app, &agent, &dup, "duplicate_of", &other).await;
    assert_eq!((s, fields(&body)), (422, vec!["original".to_string()]), "a resolved ticket cannot be marked again: {body}");
    let (s, body) = link(&app, &agent, &other, "duplicate_of", "INC-999999").await;
    assert_eq!((s, fields(&body)), (422, vec!["original".to_string()]), "{body}");
    let o = get(&app, &agent, &other).await;
    assert_eq!(o["state"], "new");
    assert!(o["duplicate_of"].is_null());
});

both_backends!(escalation_moves_tiers_and_notifies_managers, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let admin = app.token("admin").await;
    let agent_id = app.user_id("agent").await;
    let desk = group_id(&app, &agent, "Service Desk").await;
    let netops = group_id(&app, &agent, "Network Operations").await;
    let admin_before = notifications(&app, &admin).await.len();

    let (_, n) = new_ticket(&app, &riley, "VPN certificate expired", "medium", "high").await;
    let (s, t) = patch(&app, &agent, &n, json!({"group_id": desk, "assignee_id": agent_id})).await;
    assert_eq!(s, 200, "{t}");
    assert_eq!((t["group_name"].as_str(), t["state"].as_str()), (Some("Service Desk"), Some("in_progress")));

    let (s, body) = app.api(Method::POST, &format!("/api/v1/tickets/{n}/escalate"), &riley, Some(json!({"reason": "Please hurry"}))).await;
    assert_eq!(s, 403, "{body}");
    let (s, body) = app.api(Method::POST, &format!("/api/v1/tickets/{n}/escalate"), &agent, Some(json!({"reason": "  "}))).await;
    assert_eq!((s, fields(&body)), (422, vec!["reason".to_string()]), "{body}");

    let (s, body) = app.api(Method::POST, &format!("/api/v1/tickets/{n}/escalate"), &agent, Some(json!({"reason": "Needs firewall access"}))).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["group"], "Network Operations");
    let t = get(&app, &agent, &n).await;
    assert_eq!(t["group_id"].as_i64(), Some(netops));
    assert_eq!(t["group_name"], "Network Operations");
    assert!(t["assignee_id"].is_null(), "escalation clears the assignee: {t}");
    assert_eq!(t["state"], "in_progress");

    let mine = notifications(&app, &admin).await;
    assert_eq!(mine.len(), admin_before + 1);
    assert_eq!(mine[0]["kind"], "escalation");
    assert_eq!(mine[0]["ticket_number"], n.as_str());
    let message = mine[0]["message"].as_str().unwrap();
    assert!(message.contains("Network Operations") && message.contains("Needs firewall access"), "{message}");
    assert!(notifications(&app, &agent).await.is_empty(), "only the target group's manager is notified");

    // Network Operations is the highest tier.
    let (s, body) = app.api(Method::POST, &format!("/api/v1/tickets/{n}/escalate"), &agent, Some(json!({"reason": "Again"}))).await;
    assert_eq!((s, fields(&body)), (422, vec!["reason".to_string()]), "{body}");
    assert_eq!(get(&app, &agent, &n).await["group_name"], "Network Operations");
    let (_, no_group) = new_ticket(&app, &riley, "Nobody's ticket", "low", "low").await;
    let (s, body) = app.api(Method::POST, &format!("/api/v1/tickets/{no_group}/escalate"), &agent, Some(json!({"reason": "Help"}))).await;
    assert_eq!((s, fields(&body)), (422, vec!["reason".to_string()]), "{body}");
    assert_eq!(notifications(&app, &admin).await.len(), admin_before + 1, "refused escalations notify no one");

    let lines = history(&app, &agent, &n).await;
    let escalated = lines.iter().find(|l| l.action == "escalated").expect("escalation recorded");
    assert_eq!(escalated.old, "L1");
    assert!(escalated.new.starts_with("L2"), "{escalated:?}");
    assert!(has(&lines, "field_changed", "group", "Service Desk", "Network Operations"), "{lines:?}");
    assert!(has(&lines, "field_changed", "assignee", "Alex Agent", ""), "{lines:?}");

    // Hierarchical escalation: tell the group's manager.
    let (s, body) = app.api(Method::POST, &format!("/api/v1/tickets/{n}/notify-manager"), &agent, Some(json!({"message": "Customer is the CFO"}))).await;
    assert_eq!(s, 204, "{body}");
    let mine = notifications(&app, &admin).await;
    assert_eq!(mine.len(), admin_before + 2);
    assert_eq!(mine[0]["kind"], "manager_attention", "newest first");
    assert_eq!(mine[1]["kind"], "escalation");
    assert_eq!(mine[0]["ticket_number"], n.as_str());
    assert!(mine[0]["message"].as_str().unwrap().contains("Customer is the CFO"));
    let (s, body) = app.api(Method::POST, &format!("/api/v1/tickets/{no_group}/notify-manager"), &agent, Some(json!({"message": "Look"}))).await;
    assert_eq!((s, fields(&body)), (422, vec!["message".to_string()]), "{body}");
    let (s, _) = app.api(Method::POST, &format!("/api/v1/tickets/{n}/notify-manager"), &riley, Some(json!({"message": "Look"}))).await;
    assert_eq!(s, 403);
    assert_eq!(notifications(&app, &admin).await.len(), admin_before + 2);
    assert!(has(&history(&app, &agent, &n).await, "manager_notified", "manager", "", "Customer is the CFO"));
});

both_backends!(agents_log_time_within_bounds, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let netops = app.token("netops").await;
    let (_, n) = new_ticket(&app, &riley, "Slow file server", "medium", "medium").await;
    let path = format!("/api/v1/tickets/{n}/time");

    let (s, e) = app.api(Method::POST, &path, &agent, Some(json!({"minutes": 30, "note": "Checked disk queue"}))).await;
    assert_eq!(s, 201, "{e}");
    assert_eq!(e["agent_name"], "Alex Agent");
    assert_eq!(e["minutes"].as_i64(), Some(30));
    assert_eq!(e["note"], "Checked disk queue");
    assert!(e["id"].as_i64().is_some());
    let (s, e) = app.api(Method::POST, &path, &netops, Some(json!({"minutes": 1440, "note": "Replaced the array"}))).await;
    assert_eq!((s, e["minutes"].as_i64()), (201, Some(1440)), "{e}");
    let (s, e) = app.api(Method::POST, &path, &agent, Some(json!({"minutes": 1, "note": ""}))).await;
    assert_eq!((s, e["minutes"].as_i64()), (201, Some(1)), "{e}");

    for bad in [json!(0), json!(1441), json!(-5), json!("abc"), json!(null)] {
        let (s, body) = app.api(Method::POST, &path, &agent, Some(json!({"minutes": bad, "note": "x"}))).await;
        assert_eq!((s, fields(&body)), (422, vec!["minutes".to_string()]), "minutes {bad}: {body}");
    }
    let (s, body) = app.api(Method::POST, &path, &riley, Some(json!({"minutes": 10, "note": "My time"}))).await;
    assert_eq!(s, 403, "{body}");

    let t = get(&app, &agent, &n).await;
    let entries = t["time_entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries.iter().map(|e| e["minutes"].as_i64().unwrap()).sum::<i64>(), 1471);
    assert_eq!(entries[1]["agent_name"], "Nia Network");
    assert!(get(&app, &riley, &n).await["time_entries"].as_array().unwrap().is_empty());
    let lines = history(&app, &agent, &n).await;
    assert!(has(&lines, "time_logged", "time_spent", "", "30 min"), "{lines:?}");
    assert_eq!(lines.iter().filter(|l| l.action == "time_logged").count(), 3);
});

both_backends!(attachments_are_verified_and_served_as_downloads, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let (_, n) = new_ticket(&app, &riley, "Error dialog", "low", "medium").await;
    let png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];

    let (s, a) = upload(&app, &riley, &n, "screenshot.png", png.clone(), false).await;
    assert_eq!(s, 201, "{a}");
    assert_eq!(a["filename"], "screenshot.png");
    assert_eq!(a["content_type"], "image/png");
    assert_eq!(a["size"].as_i64(), Some(png.len() as i64));
    assert_eq!(a["uploader_name"], "Riley Requester");
    assert_eq!(a["internal"], false);
    let png_id = a["id"].as_i64().unwrap();

    let text = b"Event 4625: logon failure\n".to_vec();
    let (s, a) = upload(&app, &agent, &n, "notes.txt", text.clone(), false).await;
    assert_eq!(s, 201, "{a}");
    assert_eq!(a["content_type"], "text/plain");
    let txt_id = a["id"].as_i64().unwrap();
    // The content decides the type, not the name.
    let (s, a) = upload(&app, &agent, &n, "renamed.txt", png.clone(), false).await;
    assert_eq!((s, a["content_type"].as_str()), (201, Some("image/png")), "{a}");

    for (name, data) in [
        ("run.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec()),
        ("page.html", b"<script>alert(1)</script>".to_vec()),
        ("empty.txt", Vec::new()),
        ("binary.txt", vec![0xff, 0xfe, 0x00, 0x80]),
    ] {
        let (s, body) = upload(&app, &agent, &n, name, data, false).await;
        assert_eq!((s, fields(&body)), (422, vec!["file".to_string()]), "{name}: {body}");
    }
    let (s, body) = upload(&app, &riley, &n, "mine.txt", b"hello".to_vec(), true).await;
    assert_eq!(s, 403, "requesters cannot upload internal files: {body}");
    assert_eq!(get(&app, &agent, &n).await["attachments"].as_array().unwrap().len(), 3, "refused uploads stored nothing");

    for token in [&riley, &agent] {
        let (s, content_type, disposition, bytes) = download(&app, token, png_id).await;
        assert_eq!(s, 200);
        assert_eq!(content_type, "image/png");
        assert!(disposition.starts_with("attachment"), "{disposition}");
        assert!(disposition.contains("screenshot.png"), "{disposition}");
        assert_eq!(bytes, png);
    }
    let (s, content_type, disposition, bytes) = download(&app, &riley, txt_id).await;
    assert_eq!((s, content_type.as_str()), (200, "text/plain"));
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert_eq!(bytes, text);

    let jordan = app.token("jordan").await;
    let (s, _, _, _) = download(&app, &jordan, png_id).await;
    assert_eq!(s, 404, "another requester's file is not found");
    let (s, _, _, _) = download(&app, &agent, 987_654).await;
    assert_eq!(s, 404);

    let t = get(&app, &riley, &n).await;
    assert_eq!(t["attachments"].as_array().unwrap().len(), 3);
    let lines = history(&app, &agent, &n).await;
    assert!(has(&lines, "attachment_added", "attachment", "", "screenshot.png (public)"), "{lines:?}");
});

both_backends!(internal_attachments_are_hidden_from_requesters, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let (_, n) = new_ticket(&app, &riley, "Suspicious e-mail", "medium", "high").await;
    let (s, public) = upload(&app, &agent, &n, "instructions.txt", b"Do not click the link".to_vec(), false).await;
    assert_eq!(s, 201, "{public}");
    let (s, internal) = upload(&app, &agent, &n, "forensics-secret.txt", b"Sender IP 203.0.113.7".to_vec(), true).await;
    assert_eq!(s, 201, "{internal}");
    assert_eq!(internal["internal"], true);
    let internal_id = internal["id"].as_i64().unwrap();

    let seen = get(&app, &riley, &n).await;
    let files = seen["attachments"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{seen}");
    assert_eq!(files[0]["filename"], "instructions.txt");
    assert!(!seen.to_string().contains("forensics-secret"), "{seen}");
    let (s, _, _, bytes) = download(&app, &riley, internal_id).await;
    assert_eq!(s, 404);
    assert!(!String::from_utf8_lossy(&bytes).contains("203.0.113.7"));
    let (s, _, _, bytes) = download(&app, &agent, internal_id).await;
    assert_eq!((s, bytes), (200, b"Sender IP 203.0.113.7".to_vec()));

    let mine = history(&app, &riley, &n).await;
    assert!(
        !mine.iter().any(|l| l.new.contains("forensics-secret") || l.old.contains("forensics-secret")),
        "requester history mentions an internal attachment: {mine:?}"
    );
    let staff = history(&app, &agent, &n).await;
    assert!(has(&staff, "attachment_added", "internal_attachment", "", "forensics-secret.txt (internal)"), "{staff:?}");
    assert_eq!(get(&app, &agent, &n).await["attachments"].as_array().unwrap().len(), 2);
});

both_backends!(resolved_tickets_close_automatically_after_the_delay, |app: common::TestApp| async move {
    use app::services::tickets::close_due_resolved;
    use chrono::{Duration, Utc};
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let admin = app.token("admin").await;
    let (_, r1) = new_ticket(&app, &riley, "Resolved one", "low", "low").await;
    let (_, r2) = new_ticket(&app, &riley, "Resolved two", "low", "low").await;
    let (_, open) = new_ticket(&app, &riley, "Still open", "low", "low").await;
    resolve(&app, &agent, &r1).await;
    resolve(&app, &agent, &r2).await;
    drive_to(&app, &agent, &open, "in_progress").await;

    assert_eq!(close_due_resolved(&app.ctx, Utc::now()).await.unwrap(), 0, "just resolved: not due");
    assert_eq!(close_due_resolved(&app.ctx, Utc::now() + Duration::days(2)).await.unwrap(), 0, "two days is inside the default three");
    assert_eq!(get(&app, &agent, &r1).await["state"], "resolved");

    assert_eq!(close_due_resolved(&app.ctx, Utc::now() + Duration::days(4)).await.unwrap(), 2);
    for n in [&r1, &r2] {
        let t = get(&app, &agent, n).await;
        assert_eq!(t["state"], "closed", "{n}");
        assert!(t["closed_at"].is_string(), "{t}");
        let lines = history(&app, &agent, n).await;
        let last = lines.last().unwrap();
        assert_eq!((last.action.as_str(), last.field.as_str(), last.old.as_str(), last.new.as_str()), ("field_changed", "state", "resolved", "closed"));
        assert!(last.actor.is_none(), "closed by the system: {last:?}");
    }
    assert_eq!(get(&app, &agent, &open).await["state"], "in_progress", "open tickets are never auto-closed");
    assert_eq!(close_due_resolved(&app.ctx, Utc::now() + Duration::days(4)).await.unwrap(), 0, "nothing left to close");

    // The delay is the desk's setting.
    let (s, view) = app.api(Method::PUT, "/api/v1/desk/settings", &admin, Some(json!({"reopen_window_days": 7, "auto_close_days": 1}))).await;
    assert_eq!(s, 200, "{view}");
    assert_eq!(view["settings"]["auto_close_days"], 1);
    let (_, r3) = new_ticket(&app, &riley, "Resolved three", "low", "low").await;
    resolve(&app, &agent, &r3).await;
    assert_eq!(close_due_resolved(&app.ctx, Utc::now() + Duration::days(2)).await.unwrap(), 1);
    assert_eq!(get(&app, &agent, &r3).await["state"], "closed");
});

both_backends!(desk_configuration_is_admin_only, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let admin = app.token("admin").await;
    let matrix = json!({
        "high_high": 1, "high_medium": 2, "high_low": 3,
        "medium_high": 2, "medium_medium": 3, "medium_low": 4,
        "low_high": 3, "low_medium": 4, "low_low": 5
    });
    for token in [&agent, &riley] {
        let (s, body) = app.api(Method::PUT, "/api/v1/desk/matrix", token, Some(matrix.clone())).await;
        assert_eq!((s, body["error"]["code"].as_str()), (403, Some("forbidden")), "{body}");
        let (s, _) = app.api(Method::PUT, "/api/v1/desk/settings", token, Some(json!({"reopen_window_days": 1, "auto_close_days": 1}))).await;
        assert_eq!(s, 403);
        let (s, _) = app.api(Method::PUT, "/api/v1/desk/resolution-codes/not_reproducible", token, Some(json!({"label": "Gone", "active": false}))).await;
        assert_eq!(s, 403);
        let (s, desk) = app.api(Method::GET, "/api/v1/desk", token, None).await;
        assert_eq!(s, 200, "everyone signed in may read the desk configuration");
        assert_eq!(desk["settings"]["reopen_window_days"], 7);
        assert_eq!(desk["settings"]["auto_close_days"], 3);
    }
    let (_, desk) = app.api(Method::GET, "/api/v1/desk", &agent, None).await;
    let codes = desk["resolution_codes"].as_array().unwrap();
    assert!(codes.iter().any(|c| c["code"] == "not_reproducible" && c["active"] == true), "{desk}");
    assert!(codes.iter().any(|c| c["code"] == "duplicate"));

    let (s, view) = app.api(Method::PUT, "/api/v1/desk/matrix", &admin, Some(matrix)).await;
    assert_eq!(s, 200, "{view}");
    let (s, body) = app.api(Method::PUT, "/api/v1/desk/settings", &admin, Some(json!({"reopen_window_days": 7, "auto_close_days": 0}))).await;
    assert_eq!((s, fields(&body)), (422, vec!["auto_close_days".to_string()]), "{body}");

    // Retiring a code stops agents using it; re-activating brings it back.
    let (s, view) = app.api(Method::PUT, "/api/v1/desk/resolution-codes/not_reproducible", &admin, Some(json!({"label": "Not reproducible", "active": false}))).await;
    assert_eq!(s, 200, "{view}");
    assert!(view["resolution_codes"].as_array().unwrap().iter().any(|c| c["code"] == "not_reproducible" && c["active"] == false), "{view}");
    let (_, n) = new_ticket(&app, &riley, "Ghost in the machine", "low", "low").await;
    let (s, body) = patch(&app, &agent, &n, resolve_body("not_reproducible", "Could not see it")).await;
    assert_eq!((s, fields(&body)), (422, vec!["resolution_code".to_string()]), "retired code refused: {body}");
    let (s, body) = patch(&app, &agent, &n, resolve_body("made_up", "Whatever")).await;
    assert_eq!((s, fields(&body)), (422, vec!["resolution_code".to_string()]), "unknown code refused: {body}");
    assert_eq!(get(&app, &agent, &n).await["state"], "new");
    let (s, _) = app.api(Method::PUT, "/api/v1/desk/resolution-codes/not_reproducible", &admin, Some(json!({"label": "Not reproducible", "active": true}))).await;
    assert_eq!(s, 200);
    let (s, t) = patch(&app, &agent, &n, resolve_body("not_reproducible", "Could not see it")).await;
    assert_eq!((s, t["resolution_code"].as_str()), (200, Some("not_reproducible")), "{t}");

    // A new code added by the admin can be used straight away.
    let (s, view) = app.api(Method::PUT, "/api/v1/desk/resolution-codes/user_training", &admin, Some(json!({"label": "User training", "active": true}))).await;
    assert_eq!(s, 200, "{view}");
    assert!(view["resolution_codes"].as_array().unwrap().iter().any(|c| c["code"] == "user_training" && c["label"] == "User training"));
    let (_, n2) = new_ticket(&app, &riley, "How do I share a calendar", "low", "low").await;
    let (s, t) = patch(&app, &agent, &n2, resolve_body("user_training", "Showed how")).await;
    assert_eq!((s, t["resolution_code"].as_str()), (200, Some("user_training")), "{t}");
});
