//! SLA engine end to end: policies, clocks from history, pauses, recomputation, durable timers.

mod common;

use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::{json, Value};

fn at(v: &Value) -> DateTime<Utc> {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("not an instant: {v}"))
}

fn clock<'a>(clocks: &'a Value, metric: &str) -> &'a Value {
    clocks.as_array().unwrap().iter().find(|c| c["metric"] == metric).unwrap_or_else(|| panic!("no {metric} clock in {clocks}"))
}

both_backends!(critical_incident_gets_the_critical_policy_and_24x7_targets, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let (_, t) = app.api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": "Core switch down", "impact": "high", "urgency": "high"}))).await;
    let n = t["number"].as_str().unwrap().to_string();
    let created = at(&t["created_at"]);
    let (s, clocks) = app.api(Method::GET, &format!("/api/v1/tickets/{n}/sla"), &agent, None).await;
    assert_eq!(s, 200, "{clocks}");
    let response = clock(&clocks, "first_response");
    assert_eq!(response["policy_name"], "Critical incidents");
    assert_eq!(response["status"]["state"], "running");
    assert_eq!(response["status"]["target_minutes"], 15);
    let due = at(&response["status"]["due_at"]);
    let created_minute = created - Duration::seconds(created.timestamp() % 60) - Duration::nanoseconds(created.timestamp_subsec_nanos() as i64);
    assert_eq!(due, created_minute + Duration::minutes(15));
    assert_eq!(at(&clock(&clocks, "resolution")["status"]["due_at"]), created_minute + Duration::minutes(240));
    let (s, _) = app.api(Method::GET, &format!("/api/v1/tickets/{n}/sla"), &riley, None).await;
    assert_eq!(s, 403, "requesters do not see SLA internals");

    // A public reply from an agent stops the response clock.
    app.api(Method::POST, &format!("/api/v1/tickets/{n}/comments"), &agent, Some(json!({"body": "On it"}))).await;
    let (_, clocks) = app.api(Method::GET, &format!("/api/v1/tickets/{n}/sla"), &agent, None).await;
    assert_eq!(clock(&clocks, "first_response")["status"]["state"], "stopped");
    assert_eq!(clock(&clocks, "first_response")["status"]["breached"], false);
    assert_eq!(clock(&clocks, "resolution")["status"]["state"], "running");
});

both_backends!(on_hold_pauses_the_resolution_clock_and_resume_continues_it, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let (_, t) = app.api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": "Printer", "impact": "high", "urgency": "medium"}))).await;
    let n = t["number"].as_str().unwrap().to_string();
    let (s, _) = app.api(Method::PATCH, &format!("/api/v1/tickets/{n}"), &agent, Some(json!({"state": "on_hold", "on_hold_reason": "awaiting_caller"}))).await;
    assert_eq!(s, 200);
    let (_, clocks) = app.api(Method::GET, &format!("/api/v1/tickets/{n}/sla"), &agent, None).await;
    let res = clock(&clocks, "resolution");
    assert_eq!(res["status"]["state"], "paused");
    assert!(res["status"]["due_at"].is_null(), "a paused clock has no projected due date: {res}");
    let segs = res["status"]["segments"].as_array().unwrap();
    assert_eq!(segs.last().unwrap()["reason"], "awaiting_caller");
    app.api(Method::POST, &format!("/api/v1/tickets/{n}/comments"), &riley, Some(json!({"body": "Here are the details"}))).await;
    let (_, clocks) = app.api(Method::GET, &format!("/api/v1/tickets/{n}/sla"), &agent, None).await;
    let res = clock(&clocks, "resolution");
    assert_eq!(res["status"]["state"], "running", "the caller's reply resumed the ticket and its clock");
    assert_eq!(res["status"]["segments"].as_array().unwrap().len(), 3);
});

both_backends!(priority_change_moves_the_ticket_to_another_policy_recomputed_from_history, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let (_, t) = app.api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": "Slow laptop", "impact": "low", "urgency": "low"}))).await;
    let n = t["number"].as_str().unwrap().to_string();
    let (_, clocks) = app.api(Method::GET, &format!("/api/v1/tickets/{n}/sla"), &agent, None).await;
    assert_eq!(clock(&clocks, "resolution")["policy_name"], "Standard");
    assert_eq!(clock(&clocks, "resolution")["calendar_name"], "Office hours (Paris)");
    app.api(Method::PATCH, &format!("/api/v1/tickets/{n}"), &agent, Some(json!({"impact": "high", "urgency": "high"}))).await;
    let (_, clocks) = app.api(Method::GET, &format!("/api/v1/tickets/{n}/sla"), &agent, None).await;
    let res = clock(&clocks, "resolution");
    assert_eq!(res["policy_name"], "Critical incidents");
    let created = at(&t["created_at"]);
    let due = at(&res["status"]["due_at"]);
    assert!(due <= created + Duration::minutes(240) && due > created + Duration::minutes(238), "target counted from creation: {due}");
    // The pending timers follow the new targets.
    use app::services::entities::sla_timer;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let timers = sla_timer::Entity::find().filter(sla_timer::Column::TicketId.eq(t["id"].as_i64().unwrap())).all(&app.ctx.db).await.unwrap();
    assert_eq!(timers.len(), 4, "warning + breach for both metrics: {timers:?}");
    assert!(timers.iter().any(|x| x.metric == "resolution" && x.kind == "breach" && x.due_at == due));
});

both_backends!(breach_fires_once_notifies_and_escalates_even_across_restarts, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let agent = app.token("agent").await;
    let admin = app.token("admin").await;
    let (_, t) = app.api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": "Datacenter power", "impact": "high", "urgency": "high"}))).await;
    let n = t["number"].as_str().unwrap().to_string();
    let (_, groups) = app.api(Method::GET, "/api/v1/groups", &agent, None).await;
    let desk = groups.as_array().unwrap().iter().find(|g| g["name"] == "Service Desk").unwrap()["id"].as_i64().unwrap();
    app.api(Method::PATCH, &format!("/api/v1/tickets/{n}"), &agent, Some(json!({"group_id": desk}))).await;

    use app::services::sla::fire_due_timers;
    let soon = Utc::now() + Duration::minutes(5);
    assert_eq!(fire_due_timers(&app.ctx, soon).await.unwrap(), 0, "nothing due yet");
    let later = Utc::now() + Duration::minutes(20);
    let fired = fire_due_timers(&app.ctx, later).await.unwrap();
    assert_eq!(fired, 2, "first-response warning and breach");
    assert_eq!(fire_due_timers(&app.ctx, later).await.unwrap(), 0, "no doubles");

    // A "restarted" node (fresh pool and context on the same database) finds nothing left to fire.
    let restarted = oxidesk_server::connect(&app.config).await.unwrap();
    assert_eq!(fire_due_timers(&restarted, later).await.unwrap(), 0);

    let (_, ticket) = app.api(Method::GET, &format!("/api/v1/tickets/{n}"), &agent, None).await;
    assert_eq!(ticket["group_name"], "Network Operations", "critical policy escalates on breach");
    let (_, history) = app.api(Method::GET, &format!("/api/v1/tickets/{n}/history"), &agent, None).await;
    let actions: Vec<&str> = history.as_array().unwrap().iter().map(|h| h["action"].as_str().unwrap()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "sla_breached").count(), 1);
    assert_eq!(actions.iter().filter(|a| **a == "sla_warning").count(), 1);
    let (_, notes) = app.api(Method::GET, "/api/v1/notifications", &admin, None).await;
    assert!(notes.as_array().unwrap().iter().any(|x| x["kind"] == "sla_breach" && x["ticket_number"] == n.as_str()), "{notes}");

    // The resolution clock's warning and breach later fire exactly once as well (other tickets'
    // timers fire too by then, so count this ticket's rows).
    let much_later = Utc::now() + Duration::hours(5);
    assert!(fire_due_timers(&app.ctx, much_later).await.unwrap() >= 2);
    assert_eq!(fire_due_timers(&app.ctx, much_later).await.unwrap(), 0);
    use app::services::entities::sla_timer;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let mine = sla_timer::Entity::find().filter(sla_timer::Column::TicketId.eq(t["id"].as_i64().unwrap())).all(&app.ctx.db).await.unwrap();
    let mut fired: Vec<(String, String)> = mine.iter().filter(|x| x.fired_at.is_some()).map(|x| (x.metric.clone(), x.kind.clone())).collect();
    fired.sort();
    assert_eq!(
        fired,
        [("first_response", "breach"), ("first_response", "warning"), ("resolution", "breach"), ("resolution", "warning")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert!(mine.iter().all(|x| x.fired_at.is_some()), "nothing left pending on a fully breached ticket");
});

both_backends!(calendars_are_validated_and_edits_recompute_open_tickets, |app: common::TestApp| async move {
    let admin = app.token("admin").await;
    let agent = app.token("agent").await;
    let riley = app.token("requester").await;
    let bad = json!({"name": "Broken", "time_zone": "Mars/Olympus", "week": ["09:00-17:00", "17:00-09:00", "", "", "", "", ""], "holidays": "13-45"});
    let (s, body) = app.api(Method::POST, "/api/v1/sla/calendars", &admin, Some(bad)).await;
    assert_eq!(s, 422, "{body}");
    let fields: Vec<&str> = body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"hours_tue") && fields.contains(&"holidays"), "{fields:?}");
    let (s, _) = app.api(Method::POST, "/api/v1/sla/calendars", &agent, Some(json!({"name": "x", "time_zone": "UTC", "week": ["","","","","","",""]}))).await;
    assert_eq!(s, 403);
    let (s, body) = app.api(Method::POST, "/api/v1/sla/calendars", &admin, Some(json!({"name": "Nobody works", "time_zone": "UTC", "week": ["","","","","","",""]}))).await;
    assert_eq!((s, body["error"]["fields"][0]["field"].as_str()), (422, Some("hours")));

    let (_, t) = app.api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": "Monitor", "impact": "low", "urgency": "medium"}))).await;
    let n = t["number"].as_str().unwrap().to_string();
    let (_, before) = app.api(Method::GET, &format!("/api/v1/tickets/{n}/sla"), &agent, None).await;
    assert_eq!(clock(&before, "resolution")["calendar_name"], "Office hours (Paris)");
    let (_, cals) = app.api(Method::GET, "/api/v1/sla/calendars", &agent, None).await;
    let office = cals.as_array().unwrap().iter().find(|c| c["name"] == "Office hours (Paris)").unwrap()["id"].as_i64().unwrap();
    let all_day = json!({"name": "Office hours (Paris)", "time_zone": "Europe/Paris", "week": vec!["00:00-24:00"; 7], "holidays": ""});
    let (s, saved) = app.api(Method::PUT, &format!("/api/v1/sla/calendars/{office}"), &admin, Some(all_day)).await;
    assert_eq!(s, 200, "{saved}");
    let (_, after) = app.api(Method::GET, &format!("/api/v1/tickets/{n}/sla"), &agent, None).await;
    let created = at(&t["created_at"]);
    let due = at(&clock(&after, "resolution")["status"]["due_at"]);
    assert!(due <= created + Duration::minutes(2400) && due > created + Duration::minutes(2398), "round the clock now: {due}");
    use app::services::entities::sla_timer;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let timers = sla_timer::Entity::find().filter(sla_timer::Column::TicketId.eq(t["id"].as_i64().unwrap())).all(&app.ctx.db).await.unwrap();
    assert!(timers.iter().any(|x| x.kind == "breach" && x.metric == "resolution" && x.due_at == due), "pending timer follows the edit: {timers:?}");
});

both_backends!(policies_are_ordered_validated_and_applied, |app: common::TestApp| async move {
    let admin = app.token("admin").await;
    let agent = app.token("agent").await;
    let riley = app.token("requester").await;
    let (s, body) = app.api(Method::POST, "/api/v1/sla/policies", &admin, Some(json!({"name": "x", "response_minutes": 0, "resolution_minutes": "soon", "warn_percent": 150}))).await;
    assert_eq!(s, 422);
    let fields: Vec<&str> = body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    for f in ["name", "position", "response_minutes", "resolution_minutes", "warn_percent", "calendar_id"] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    let (_, t) = app.api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": "Mouse", "impact": "low", "urgency": "medium"}))).await;
    let n = t["number"].as_str().unwrap().to_string();
    let policy = json!({"name": "Low priority fast lane", "position": 0, "ticket_type": "incident", "priority": 4, "response_minutes": 60, "resolution_minutes": 120, "calendar_id": 1, "pause_reasons": ["awaiting_caller"]});
    let (s, _) = app.api(Method::POST, "/api/v1/sla/policies", &agent, Some(policy.clone())).await;
    assert_eq!(s, 403);
    let (s, p) = app.api(Method::POST, "/api/v1/sla/policies", &admin, Some(policy)).await;
    assert_eq!(s, 201, "{p}");
    assert_eq!(p["calendar_name"], "24×7");
    let (_, policies) = app.api(Method::GET, "/api/v1/sla/policies", &agent, None).await;
    assert_eq!(policies[0]["name"], "Low priority fast lane", "position 0 is evaluated first");
    let (_, clocks) = app.api(Method::GET, &format!("/api/v1/tickets/{n}/sla"), &agent, None).await;
    let res = clock(&clocks, "resolution");
    assert_eq!(res["policy_name"], "Low priority fast lane", "the existing open ticket moved to the new policy");
    assert_eq!(res["status"]["target_minutes"], 120);
    // Only awaiting_caller pauses under this policy.
    app.api(Method::PATCH, &format!("/api/v1/tickets/{n}"), &agent, Some(json!({"state": "on_hold", "on_hold_reason": "awaiting_vendor"}))).await;
    let (_, clocks) = app.api(Method::GET, &format!("/api/v1/tickets/{n}/sla"), &agent, None).await;
    assert_eq!(clock(&clocks, "resolution")["status"]["state"], "running");
    // Service and group conditions: unknown ids are refused field by field.
    let (s, body) = app
        .api(Method::POST, "/api/v1/sla/policies", &admin, Some(json!({"name": "Ghost", "position": 5, "service_id": 999_999, "group_id": 999_999,
            "response_minutes": 60, "resolution_minutes": 120, "calendar_id": 1})))
        .await;
    assert_eq!(s, 422, "{body}");
    let fields: Vec<&str> = body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(fields == ["service_id"] || fields == ["group_id"], "{fields:?}");
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let netops = app::services::entities::assignment_group::Entity::find()
        .filter(app::services::entities::assignment_group::Column::Name.eq("Network Operations"))
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    let (s, p) = app
        .api(Method::POST, "/api/v1/sla/policies", &admin, Some(json!({"name": "Network queue", "position": -1, "group_id": netops.id,
            "response_minutes": 30, "resolution_minutes": 77, "calendar_id": 1})))
        .await;
    assert_eq!(s, 201, "{p}");
    let (_, clocks) = app.api(Method::GET, &format!("/api/v1/tickets/{n}/sla"), &agent, None).await;
    assert_eq!(clock(&clocks, "resolution")["policy_name"], "Low priority fast lane", "not in the group yet");
    let (s, moved) = app.api(Method::PATCH, &format!("/api/v1/tickets/{n}"), &agent, Some(json!({"group_id": netops.id}))).await;
    assert_eq!(s, 200, "{moved}");
    let (_, clocks) = app.api(Method::GET, &format!("/api/v1/tickets/{n}/sla"), &agent, None).await;
    assert_eq!(clock(&clocks, "resolution")["policy_name"], "Network queue", "moving to the group applies its policy");
    assert_eq!(clock(&clocks, "resolution")["status"]["target_minutes"], 77);

    // Category condition: unknown categories are refused on the field; tickets in it get the policy.
    let (s, body) = app
        .api(Method::POST, "/api/v1/sla/policies", &admin, Some(json!({"name": "Ghost category", "position": -2, "category_id": 999_999,
            "response_minutes": 60, "resolution_minutes": 120, "calendar_id": 1})))
        .await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "category_id");
    let category = app::services::entities::category::Entity::find().one(&app.ctx.db).await.unwrap().expect("demo categories");
    let (s, p) = app
        .api(Method::POST, "/api/v1/sla/policies", &admin, Some(json!({"name": "Category lane", "position": -2, "category_id": category.id,
            "response_minutes": 20, "resolution_minutes": 55, "calendar_id": 1})))
        .await;
    assert_eq!((s, p["category_id"].as_i64()), (201, Some(category.id)), "{p}");
    let (_, in_category) = app.api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": "Categorised", "impact": "low", "urgency": "low", "category_id": category.id}))).await;
    let (_, clocks) = app.api(Method::GET, &format!("/api/v1/tickets/{}/sla", in_category["number"].as_str().unwrap()), &agent, None).await;
    assert_eq!((clock(&clocks, "resolution")["policy_name"].as_str(), clock(&clocks, "resolution")["status"]["target_minutes"].as_i64()), (Some("Category lane"), Some(55)));
    let (_, clocks) = app.api(Method::GET, &format!("/api/v1/tickets/{n}/sla"), &agent, None).await;
    assert_eq!(clock(&clocks, "resolution")["policy_name"], "Network queue", "tickets outside the category keep theirs");
});

both_backends!(compliance_report_counts_met_breached_and_running, |app: common::TestApp| async move {
    let agent = app.token("agent").await;
    let riley = app.token("requester").await;
    let (_, fast) = app.api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": "Met", "impact": "high", "urgency": "high"}))).await;
    let fast = fast["number"].as_str().unwrap().to_string();
    app.api(Method::POST, &format!("/api/v1/tickets/{fast}/comments"), &agent, Some(json!({"body": "Answered in time"}))).await;
    let (_, slow) = app.api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": "Breached", "impact": "high", "urgency": "high"}))).await;
    let slow_id = slow["id"].as_i64().unwrap();
    // Pretend the second one was raised an hour ago with no answer: rewrite its creation time.
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let row = app::services::entities::ticket::Entity::find_by_id(slow_id).one(&app.ctx.db).await.unwrap().unwrap();
    let mut row: app::services::entities::ticket::ActiveModel = row.into();
    row.created_at = Set(Utc::now() - Duration::hours(1));
    row.update(&app.ctx.db).await.unwrap();
    let (s, report) = app.api(Method::GET, "/api/v1/sla/compliance?by=policy", &agent, None).await;
    assert_eq!(s, 200, "{report}");
    let line = report
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "Critical incidents" && r["metric"] == "first_response")
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!((line["total"].as_u64(), line["met"].as_u64(), line["breached"].as_u64()), (Some(2), Some(1), Some(1)));
    assert_eq!(line["compliance_percent"], 50.0);
    let (s, body) = app.api(Method::GET, "/api/v1/sla/compliance?by=moon", &agent, None).await;
    assert_eq!((s, body["error"]["fields"][0]["field"].as_str()), (422, Some("by")));
    let (s, _) = app.api(Method::GET, "/api/v1/sla/compliance?from=2026-13-01", &agent, None).await;
    assert_eq!(s, 422);
    let (s, _) = app.api(Method::GET, "/api/v1/sla/compliance?from=2026-11-10&to=2026-11-01", &agent, None).await;
    assert_eq!(s, 422);
    let (s, _) = app.api(Method::GET, "/api/v1/sla/compliance", &riley, None).await;
    assert_eq!(s, 403);
});
