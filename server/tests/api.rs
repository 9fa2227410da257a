//! REST API v1 against the real app, on SQLite and PostgreSQL.

mod common;

use reqwest::Method;
use serde_json::json;

fn fields(body: &serde_json::Value) -> Vec<String> {
    body["error"]["fields"].as_array().map(|a| a.iter().map(|f| f["field"].as_str().unwrap_or("").to_string()).collect()).unwrap_or_default()
}

both_backends!(health_and_openapi, |app: common::TestApp| async move {
    let res = app.http.get(app.url("/health")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["database"], "ok");
    let doc: serde_json::Value = app.http.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    for path in ["/api/v1/tickets", "/api/v1/tickets/{id}", "/api/v1/tickets/{id}/comments", "/api/v1/tickets/{id}/history"] {
        assert!(doc["paths"][path].is_object(), "openapi lacks {path}");
    }
    assert!(doc["components"]["schemas"]["TicketDetail"].is_object());
});

both_backends!(create_and_read_ticket, |app: common::TestApp| async move {
    let token = app.token("requester").await;
    let (status, t) = app
        .api(Method::POST, "/api/v1/tickets", &token, Some(json!({"title": "  Wi-Fi down on floor 2 ", "description": "No SSID", "impact": "high", "urgency": "medium"})))
        .await;
    assert_eq!(status, 201, "{t}");
    assert_eq!(t["title"], "Wi-Fi down on floor 2");
    assert_eq!(t["state"], "new");
    assert_eq!(t["priority"], 2, "High impact × medium urgency is priority 2");
    let number = t["number"].as_str().unwrap().to_string();
    assert!(number.starts_with("INC-") && number.len() == 10, "{number}");
    let id = t["id"].as_i64().unwrap();
    let (s1, by_id) = app.api(Method::GET, &format!("/api/v1/tickets/{id}"), &token, None).await;
    let (s2, by_number) = app.api(Method::GET, &format!("/api/v1/tickets/{number}"), &token, None).await;
    assert_eq!((s1, s2), (200, 200));
    assert_eq!(by_id["id"], by_number["id"]);
    // Numbers are sequential per type: the demo data made INC-000001..5.
    assert_eq!(number, "INC-000006");
    let (_, rq) = app.api(Method::POST, "/api/v1/tickets", &token, Some(json!({"type": "service_request", "title": "New monitor", "impact": "low", "urgency": "low"}))).await;
    // The demo desk ordered two catalog requests (REQ-000001 and 2).
    assert_eq!(rq["number"], "REQ-000003");
    assert_eq!(rq["priority"], 5);
});

both_backends!(bad_input_is_refused_with_field_messages_and_changes_nothing, |app: common::TestApp| async move {
    let token = app.token("requester").await;
    let before = app.ticket_count().await;
    let (status, body) = app
        .api(Method::POST, "/api/v1/tickets", &token, Some(json!({"title": "   ", "impact": "catastrophic", "urgency": "high"})))
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "validation_failed");
    assert_eq!(fields(&body), ["title", "impact"]);
    assert!(body["error"]["fields"][1]["message"].as_str().unwrap().contains("catastrophic"));
    let (status, body) = app.api(Method::POST, "/api/v1/tickets", &token, Some(json!({"type": "meeting", "title": "x", "impact": "low", "urgency": "low"}))).await;
    assert_eq!((status, fields(&body)), (422, vec!["type".to_string()]));
    let res = app.http.post(app.url("/api/v1/tickets")).bearer_auth(&token).header("content-type", "application/json").body("{not json").send().await.unwrap();
    assert_eq!(res.status(), 400);
    let (status, _) = app.api(Method::GET, "/api/v1/tickets?limit=abc", &token, None).await;
    assert_eq!(status, 400);
    let (status, body) = app.api(Method::GET, "/api/v1/tickets?state=sleeping", &token, None).await;
    assert_eq!((status, fields(&body)), (422, vec!["state".to_string()]));
    assert_eq!(app.ticket_count().await, before);
});

both_backends!(authentication_is_required, |app: common::TestApp| async move {
    let res = app.http.get(app.url("/api/v1/tickets")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    let (status, body) = app.api(Method::GET, "/api/v1/tickets", "oxd_not-a-real-token", None).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "unauthenticated");
});

both_backends!(requesters_see_only_their_own_tickets, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let jordan = app.token("jordan").await;
    let (_, mine) = app.api(Method::GET, "/api/v1/tickets", &riley, None).await;
    let riley_id = app.user_id("requester").await;
    assert!(mine["total"].as_u64().unwrap() >= 1);
    assert!(mine["tickets"].as_array().unwrap().iter().all(|t| t["requester_id"] == riley_id));
    let (_, theirs) = app.api(Method::GET, "/api/v1/tickets", &jordan, None).await;
    let jordans_ticket = theirs["tickets"][0]["number"].as_str().unwrap().to_string();
    let (status, body) = app.api(Method::GET, &format!("/api/v1/tickets/{jordans_ticket}"), &riley, None).await;
    assert_eq!(status, 404, "{body}");
    let (status, _) = app.api(Method::POST, &format!("/api/v1/tickets/{jordans_ticket}/comments"), &riley, Some(json!({"body": "hi"}))).await;
    assert_eq!(status, 404);
    let (status, _) = app.api(Method::GET, &format!("/api/v1/tickets/{jordans_ticket}/history"), &riley, None).await;
    assert_eq!(status, 404);
    // Requesters cannot change tickets through PATCH at all.
    let (_, own) = app.api(Method::GET, "/api/v1/tickets", &riley, None).await;
    let own_number = own["tickets"][0]["number"].as_str().unwrap().to_string();
    let (status, _) = app.api(Method::PATCH, &format!("/api/v1/tickets/{own_number}"), &riley, Some(json!({"state": "closed"}))).await;
    assert_eq!(status, 403);
    // An agent sees the whole queue.
    let agent = app.token("agent").await;
    let (_, all) = app.api(Method::GET, "/api/v1/tickets", &agent, None).await;
    assert!(all["total"].as_u64().unwrap() > mine["total"].as_u64().unwrap());
});

both_backends!(internal_notes_never_reach_requesters, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let (_, t) = app.api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": "Badge reader", "impact": "low", "urgency": "low"}))).await;
    let n = t["number"].as_str().unwrap().to_string();
    let (s, _) = app.api(Method::POST, &format!("/api/v1/tickets/{n}/comments"), &agent, Some(json!({"body": "Secret: vendor contract lapsed", "internal": true}))).await;
    assert_eq!(s, 201);
    let (s, _) = app.api(Method::POST, &format!("/api/v1/tickets/{n}/comments"), &agent, Some(json!({"body": "We are on it", "internal": false}))).await;
    assert_eq!(s, 201);
    let (s, body) = app.api(Method::POST, &format!("/api/v1/tickets/{n}/comments"), &riley, Some(json!({"body": "sneaky", "internal": true}))).await;
    assert_eq!((s, body["error"]["code"].as_str()), (403, Some("forbidden")));
    let (_, seen) = app.api(Method::GET, &format!("/api/v1/tickets/{n}"), &riley, None).await;
    let text = seen.to_string();
    assert!(!text.contains("vendor contract"), "requester saw an internal note: {text}");
    assert_eq!(seen["comments"].as_array().unwrap().len(), 1);
    let (_, history) = app.api(Method::GET, &format!("/api/v1/tickets/{n}/history"), &riley, None).await;
    assert!(!history.to_string().contains("internal"), "{history}");
    let (_, agent_view) = app.api(Method::GET, &format!("/api/v1/tickets/{n}"), &agent, None).await;
    assert_eq!(agent_view["comments"].as_array().unwrap().len(), 2);
    assert!(agent_view["first_response_at"].is_string(), "public agent reply sets first response");
});

both_backends!(agent_works_a_ticket_to_resolution_with_audit_trail, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let agent_id = app.user_id("agent").await;
    let (_, t) = app.api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": "Disk full", "impact": "medium", "urgency": "medium"}))).await;
    let n = t["number"].as_str().unwrap().to_string();
    let (s, t) = app.api(Method::PATCH, &format!("/api/v1/tickets/{n}"), &agent, Some(json!({"assignee_id": agent_id, "version": 1}))).await;
    assert_eq!(s, 200, "{t}");
    assert_eq!(t["assignee_name"], "Alex Agent");
    assert_eq!(t["state"], "in_progress", "assigning a new ticket starts work on it");
    let (s, t) = app.api(Method::PATCH, &format!("/api/v1/tickets/{n}"), &agent, Some(json!({"impact": "high", "urgency": "high"}))).await;
    assert_eq!((s, t["priority"].as_i64()), (200, Some(1)));
    // Resolving needs a code and a note.
    let (s, body) = app.api(Method::PATCH, &format!("/api/v1/tickets/{n}"), &agent, Some(json!({"state": "resolved"}))).await;
    assert_eq!(s, 422);
    assert_eq!(fields(&body), ["resolution_code", "resolution_note"]);
    let (s, t) = app
        .api(Method::PATCH, &format!("/api/v1/tickets/{n}"), &agent, Some(json!({"state": "resolved", "resolution_code": "solved_permanently", "resolution_note": "Cleaned temp files"})))
        .await;
    assert_eq!((s, t["state"].as_str()), (200, Some("resolved")), "{t}");
    assert!(t["resolved_at"].is_string());
    // Illegal transition is refused with a clear message.
    let (s, body) = app.api(Method::PATCH, &format!("/api/v1/tickets/{n}"), &agent, Some(json!({"state": "on_hold"}))).await;
    assert_eq!(s, 422);
    assert_eq!(body["error"]["fields"][0]["message"], "A ticket cannot go from Resolved to On hold");
    // Unassign with explicit null.
    let (s, t) = app.api(Method::PATCH, &format!("/api/v1/tickets/{n}"), &agent, Some(json!({"assignee_id": null}))).await;
    assert_eq!((s, t["assignee_id"].is_null()), (200, true));

    let (_, history) = app.api(Method::GET, &format!("/api/v1/tickets/{n}/history"), &agent, None).await;
    let lines: Vec<(String, String, String, String)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let s = |k: &str| h[k].as_str().unwrap_or("").to_string();
            (s("action"), s("field"), s("old_value"), s("new_value"))
        })
        .collect();
    let has = |action: &str, field: &str, old: &str, new: &str| {
        lines.iter().any(|l| l.0 == action && l.1 == field && l.2 == old && l.3 == new)
    };
    assert_eq!(lines[0].0, "created");
    assert!(has("field_changed", "assignee", "", "Alex Agent"), "{lines:?}");
    assert!(has("field_changed", "state", "new", "in_progress"));
    assert!(has("field_changed", "priority", "3", "1"));
    assert!(has("field_changed", "state", "in_progress", "resolved"));
    assert!(has("field_changed", "assignee", "Alex Agent", ""));
    assert!(history[1]["actor_name"] == "Alex Agent");

    // Every committed change left exactly one outbox event, in order.
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    use app::services::entities::outbox_event;
    let events = outbox_event::Entity::find()
        .filter(outbox_event::Column::EntityId.eq(t["id"].as_i64().unwrap()))
        .filter(outbox_event::Column::EntityType.eq("ticket"))
        .order_by_asc(outbox_event::Column::Seq)
        .all(&app.ctx.db)
        .await
        .unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["ticket.created", "ticket.updated", "ticket.updated", "ticket.updated", "ticket.updated"]);
    assert!(events.windows(2).all(|w| w[0].seq < w[1].seq));
});

both_backends!(stale_version_is_refused, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let netops = app.token("netops").await;
    let (_, t) = app.api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": "Router reboot", "impact": "low", "urgency": "low"}))).await;
    let n = t["number"].as_str().unwrap().to_string();
    let v = t["version"].as_i64().unwrap();
    let (s, _) = app.api(Method::PATCH, &format!("/api/v1/tickets/{n}"), &netops, Some(json!({"title": "Router reboot loop", "version": v}))).await;
    assert_eq!(s, 200);
    let (s, body) = app.api(Method::PATCH, &format!("/api/v1/tickets/{n}"), &agent, Some(json!({"title": "Mine", "version": v}))).await;
    assert_eq!(s, 409, "{body}");
    let msg = body["error"]["message"].as_str().unwrap();
    assert!(msg.contains("changed by Nia Network"), "{msg}");
    let (_, now) = app.api(Method::GET, &format!("/api/v1/tickets/{n}"), &agent, None).await;
    assert_eq!(now["title"], "Router reboot loop", "the refused change was not applied");
});

both_backends!(concurrent_creates_get_unique_sequential_numbers, |app: common::TestApp| async move {
    let token = app.token("requester").await;
    let mut handles = Vec::new();
    for i in 0..12 {
        let app = app.clone();
        let token = token.clone();
        handles.push(tokio::spawn(async move {
            app.api(Method::POST, "/api/v1/tickets", &token, Some(json!({"title": format!("Concurrent {i}"), "impact": "low", "urgency": "low"}))).await
        }));
    }
    let mut numbers = Vec::new();
    for h in handles {
        let (s, t) = h.await.unwrap();
        assert_eq!(s, 201, "{t}");
        numbers.push(t["number"].as_str().unwrap().to_string());
    }
    numbers.sort();
    let expected: Vec<String> = (6..18).map(|i| format!("INC-{i:06}")).collect();
    assert_eq!(numbers, expected);
});

both_backends!(create_answers_what_a_read_returns, |app: common::TestApp| async move {
    // The POST response is built without reading the new ticket back; it must match a read.
    use sea_orm::EntityTrait;
    let service = app::services::entities::service::Entity::find().one(&app.ctx.db).await.unwrap().expect("demo services");
    let agent = app.token("agent").await;
    let body = json!({"title": "Printer jams on every job", "description": "Tray 2", "impact": "medium", "urgency": "high",
        "requester_id": app.user_id("requester").await, "service_id": service.id});
    let (status, created) = app.api(Method::POST, "/api/v1/tickets", &agent, Some(body)).await;
    assert_eq!(status, 201, "{created}");
    let (status, read) = app.api(Method::GET, &format!("/api/v1/tickets/{}", created["number"].as_str().unwrap()), &agent, None).await;
    assert_eq!(status, 200, "{read}");
    // Clocks are evaluated at the time of each answer; their targets must agree.
    let targets_only = |mut v: serde_json::Value| {
        for clock in v["sla"].as_array_mut().unwrap() {
            let due = clock["status"]["due_at"].clone();
            clock["status"] = json!({ "due_at": due });
        }
        v
    };
    assert_eq!(targets_only(created.clone()), targets_only(read.clone()));
    assert_eq!(created["requester_name"], "Riley Requester");
    assert_eq!(created["service_name"], service.name.as_str());
    assert_eq!(created["sla"].as_array().unwrap().len(), 2, "staff see the new ticket's clocks: {created}");
    // A requester's own ticket: no clocks, and their name.
    let requester = app.token("requester").await;
    let (status, own) = app.api(Method::POST, "/api/v1/tickets", &requester, Some(json!({"title": "VPN drops", "impact": "low", "urgency": "low"}))).await;
    assert_eq!(status, 201, "{own}");
    let (_, read) = app.api(Method::GET, &format!("/api/v1/tickets/{}", own["number"].as_str().unwrap()), &requester, None).await;
    assert_eq!(own, read);
});

both_backends!(concurrent_creates_are_written_together_and_each_answered, |app: common::TestApp| async move {
    use app::services::entities::{audit_entry, outbox_event, sla_timer};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let agent = app.token("agent").await;
    let before = app.ticket_count().await;
    let calls = (0..40).map(|i| {
        let (app, agent) = (app.clone(), agent.clone());
        async move {
            let body = json!({"title": format!("Burst ticket {i}"), "impact": if i % 2 == 0 { "high" } else { "low" }, "urgency": "high"});
            app.api(Method::POST, "/api/v1/tickets", &agent, Some(body)).await
        }
    });
    let answers = futures::future::join_all(calls).await;
    let mut numbers = std::collections::HashSet::new();
    for (i, (status, t)) in answers.iter().enumerate() {
        assert_eq!(*status, 201, "{t}");
        assert_eq!(t["title"], format!("Burst ticket {i}"), "each caller gets its own ticket");
        assert_eq!(t["priority"], if i % 2 == 0 { 1 } else { 3 }, "{t}");
        assert!(numbers.insert(t["number"].as_str().unwrap().to_string()), "duplicate number {}", t["number"]);
        let id = t["id"].as_i64().unwrap();
        let events = outbox_event::Entity::find()
            .filter(outbox_event::Column::EntityType.eq("ticket"))
            .filter(outbox_event::Column::EntityId.eq(id))
            .filter(outbox_event::Column::Kind.eq("ticket.created"))
            .count(&app.ctx.db)
            .await
            .unwrap();
        assert_eq!(events, 1, "one event for {}", t["number"]);
        let created = audit_entry::Entity::find()
            .filter(audit_entry::Column::EntityType.eq("ticket"))
            .filter(audit_entry::Column::EntityId.eq(id))
            .filter(audit_entry::Column::Action.eq("created"))
            .count(&app.ctx.db)
            .await
            .unwrap();
        assert_eq!(created, 1, "one audit line for {}", t["number"]);
        let timers = sla_timer::Entity::find().filter(sla_timer::Column::TicketId.eq(id)).count(&app.ctx.db).await.unwrap();
        assert_eq!(timers, 4, "warning and breach for both clocks of {}", t["number"]);
    }
    assert_eq!(app.ticket_count().await, before + 40);
    // One transaction stamps all of its events with one instant: fewer instants than tickets
    // means requests that arrived while a batch was being written were committed together.
    let ids: Vec<i64> = answers.iter().map(|(_, t)| t["id"].as_i64().unwrap()).collect();
    let batches: std::collections::HashSet<String> = outbox_event::Entity::find()
        .filter(outbox_event::Column::EntityType.eq("ticket"))
        .filter(outbox_event::Column::EntityId.is_in(ids))
        .all(&app.ctx.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.created_at.to_rfc3339())
        .collect();
    assert!(batches.len() < 40, "40 concurrent creates took {} transactions", batches.len());
});
