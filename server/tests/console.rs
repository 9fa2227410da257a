//! Console queues on SQLite and PostgreSQL: built-in and saved views with counts, filters and
//! sorting, bulk actions (API and JS-off form) and macros.

mod common;

use reqwest::Method;
use serde_json::{json, Value};

async fn raise(app: &common::TestApp, token: &str, title: &str, impact: &str, urgency: &str) -> String {
    let body = json!({"title": title, "description": "console test", "impact": impact, "urgency": urgency});
    let (s, t) = app.api(Method::POST, "/api/v1/tickets", token, Some(body)).await;
    assert_eq!(s, 201, "{t}");
    t["number"].as_str().unwrap().to_string()
}

async fn call_fn(app: &common::TestApp, path: &str, cookie: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let res = app.http.post(app.url(path)).header("cookie", cookie).header("origin", &app.base).form(form).send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn count(views: &Value, key: &str) -> u64 {
    views.as_array().unwrap().iter().find(|v| v["key"] == key).and_then(|v| v["count"].as_u64()).unwrap_or(u64::MAX)
}

async fn list(app: &common::TestApp, token: &str, query: &str) -> Vec<Value> {
    let (s, page) = app.api(Method::GET, &format!("/api/v1/tickets?{query}&limit=200"), token, None).await;
    assert_eq!(s, 200, "{page}");
    page["tickets"].as_array().unwrap().clone()
}

both_backends!(views_count_and_save, |app: common::TestApp| async move {
    let agent = app.token("agent").await;
    let cookie = app.login("agent", "oxidesk-demo").await.unwrap();
    let (s, views) = call_fn(&app, "/api/tickets/views", &cookie, &[]).await;
    assert_eq!(s, 200, "{views}");
    let keys: Vec<&str> = views.as_array().unwrap().iter().map(|v| v["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["open", "mine", "my_groups", "unassigned", "breaching", "recent"]);
    assert_eq!(count(&views, "unassigned"), list(&app, &agent, "state=open&assignee=none").await.len() as u64);
    let mine_before = count(&views, "mine");

    let number = raise(&app, &agent, "Console view check", "high", "high").await;
    let (s, _) = app.api(Method::PATCH, &format!("/api/v1/tickets/{number}"), &agent, Some(json!({"assignee_id": app.user_id("agent").await}))).await;
    assert_eq!(s, 200);
    let (_, views) = call_fn(&app, "/api/tickets/views", &cookie, &[]).await;
    assert_eq!(count(&views, "mine"), mine_before + 1);
    // A P1/P2 incident on the 24×7 calendar is due within the hour: it is "breaching soon".
    let breaching = list(&app, &agent, "state=open&sla=breaching&sort=sla").await;
    assert!(breaching.iter().any(|t| t["number"] == number.as_str()), "{breaching:?}");

    let (s, saved) = call_fn(&app, "/api/tickets/views/save", &cookie, &[("name", "Urgent"), ("query", "state=open&priority=1,2&sort=priority")]).await;
    assert_eq!(s, 200, "{saved}");
    let (_, views) = call_fn(&app, "/api/tickets/views", &cookie, &[]).await;
    let key = format!("saved-{}", saved["id"]);
    assert_eq!(count(&views, &key), list(&app, &agent, "state=open&priority=1,2").await.len() as u64);
    let (s, e) = call_fn(&app, "/api/tickets/views/save", &cookie, &[("name", "Bad"), ("query", "priority=9")]).await;
    assert_eq!(s, 422, "{e}");
    // Views are per agent.
    let other = app.login("netops", "oxidesk-demo").await.unwrap();
    let (_, theirs) = call_fn(&app, "/api/tickets/views", &other, &[]).await;
    assert_eq!(count(&theirs, &key), u64::MAX);
    let (s, _) = call_fn(&app, "/api/tickets/views/delete", &other, &[("id", &saved["id"].to_string())]).await;
    assert_eq!(s, 404, "someone else's view cannot be deleted");
    let (s, _) = call_fn(&app, "/api/tickets/views/delete", &cookie, &[("id", &saved["id"].to_string())]).await;
    assert_eq!(s, 200);
    // Requesters have no console views.
    let requester = app.login("requester", "oxidesk-demo").await.unwrap();
    assert_eq!(call_fn(&app, "/api/tickets/views", &requester, &[]).await.0, 403);
});

both_backends!(filters_and_sorting, |app: common::TestApp| async move {
    let agent = app.token("agent").await;
    raise(&app, &agent, "Sort check low", "low", "low").await;
    raise(&app, &agent, "Sort check high", "high", "high").await;
    let by_priority = list(&app, &agent, "state=open&sort=priority").await;
    let priorities: Vec<i64> = by_priority.iter().map(|t| t["priority"].as_i64().unwrap()).collect();
    assert!(priorities.windows(2).all(|w| w[0] <= w[1]), "{priorities:?}");
    let p1 = list(&app, &agent, "state=open&priority=1").await;
    assert!(!p1.is_empty() && p1.iter().all(|t| t["priority"] == 1));
    let recent = list(&app, &agent, "updated=1").await;
    assert!(recent.iter().any(|t| t["title"] == "Sort check low"));
    let (s, e) = app.api(Method::GET, "/api/v1/tickets?sort=oldest", &agent, None).await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["fields"][0]["field"], "sort");
});

both_backends!(bulk_actions_report_each_ticket, |app: common::TestApp| async move {
    let agent = app.token("agent").await;
    let a = raise(&app, &agent, "Bulk one", "low", "low").await;
    let b = raise(&app, &agent, "Bulk two", "low", "low").await;
    let original = raise(&app, &agent, "Bulk original", "low", "low").await;
    let (s, r) = app
        .api(Method::POST, "/api/v1/tickets/bulk", &agent, Some(json!({"tickets": [a, b, "INC-999999"], "action": "assign_me"})))
        .await;
    assert_eq!(s, 200, "{r}");
    let oks: Vec<bool> = r.as_array().unwrap().iter().map(|x| x["ok"].as_bool().unwrap()).collect();
    assert_eq!(oks, [true, true, false]);
    assert_eq!(r[2]["message"], "Ticket not found");
    let (_, t) = app.api(Method::GET, &format!("/api/v1/tickets/{b}"), &agent, None).await;
    assert_eq!(t["assignee_name"], "Alex Agent");
    let (s, r) = app.api(Method::POST, "/api/v1/tickets/bulk", &agent, Some(json!({"tickets": [a], "action": "state", "state": "on_hold"}))).await;
    assert_eq!((s, r[0]["ok"].as_bool()), (200, Some(false)), "on hold needs a reason: {r}");
    let (s, r) = app.api(Method::POST, "/api/v1/tickets/bulk", &agent, Some(json!({"tickets": [], "action": "assign_me"}))).await;
    assert_eq!(s, 422, "{r}");
    // JS-off form: tickets[] checkboxes, merge as duplicates.
    let cookie = app.login("agent", "oxidesk-demo").await.unwrap();
    let res = app.post_form("/api/tickets/bulk", Some(&cookie), &[("tickets[]", &a), ("tickets[]", &b), ("action", "merge"), ("target", &original)]).await;
    assert_eq!(res.status(), 302);
    for n in [&a, &b] {
        let (_, t) = app.api(Method::GET, &format!("/api/v1/tickets/{n}"), &agent, None).await;
        assert_eq!(t["duplicate_of"]["number"].as_str().or(t["duplicate_of"].as_str()), Some(original.as_str()), "{t}");
    }
    let requester = app.token("requester").await;
    let (s, _) = app.api(Method::POST, "/api/v1/tickets/bulk", &requester, Some(json!({"tickets": [a], "action": "assign_me"}))).await;
    assert_eq!(s, 403);
});

both_backends!(macros_reply_and_move_the_ticket, |app: common::TestApp| async move {
    let agent = app.token("agent").await;
    let admin = app.token("admin").await;
    let number = raise(&app, &agent, "Macro check", "low", "low").await;
    let (s, macros) = app.api(Method::GET, "/api/v1/macros", &agent, None).await;
    assert_eq!(s, 200);
    let ask = macros.as_array().unwrap().iter().find(|m| m["name"] == "Ask for details").unwrap()["id"].as_i64().unwrap();
    let (s, e) = app.api(Method::POST, &format!("/api/v1/tickets/{number}/macro"), &agent, Some(json!({"macro_id": ask}))).await;
    assert_eq!(s, 204, "{e}");
    let (_, t) = app.api(Method::GET, &format!("/api/v1/tickets/{number}"), &agent, None).await;
    assert_eq!(t["state"], "on_hold");
    assert_eq!(t["on_hold_reason"], "awaiting_caller");
    assert!(t["comments"].as_array().unwrap().iter().any(|c| c["body"].as_str().unwrap().starts_with("Thanks for reporting this")));
    // Admin form: validation, and agents may not define macros.
    let admin_cookie = app.login("admin", "oxidesk-demo").await.unwrap();
    let (s, e) = call_fn(&app, "/api/admin/macro", &admin_cookie, &[("name", "Hold"), ("body", "Waiting"), ("state", "on_hold")]).await;
    assert_eq!(s, 422, "{e}");
    let (s, e) = call_fn(&app, "/api/admin/macro", &admin_cookie, &[("name", "Close it"), ("body", "Done"), ("state", "resolved")]).await;
    assert_eq!(s, 422, "{e}");
    let (s, m) = call_fn(&app, "/api/admin/macro", &admin_cookie, &[("name", "Vendor"), ("body", "Waiting for the vendor."), ("internal", "on"), ("state", "on_hold"), ("on_hold_reason", "awaiting_vendor")]).await;
    assert_eq!((s, m["internal"].as_bool()), (200, Some(true)), "{m}");
    let (s, e) = call_fn(&app, "/api/admin/macro", &admin_cookie, &[("name", "Vendor"), ("body", "Again")]).await;
    assert_eq!(s, 422, "duplicate names are refused: {e}");
    let agent_cookie = app.login("agent", "oxidesk-demo").await.unwrap();
    assert_eq!(call_fn(&app, "/api/admin/macro", &agent_cookie, &[("name", "Mine"), ("body", "x")]).await.0, 403);
    let _ = admin;
});

both_backends!(huge_queues_count_up_to_the_cap, |app: common::TestApp| async move {
    use sea_orm::ConnectionTrait;
    let agent = app.token("agent").await;
    let cookie = app.login("agent", "oxidesk-demo").await.unwrap();
    let template = raise(&app, &agent, "Bulk-loaded template", "low", "low").await;
    // 10,050 more open, unassigned tickets, written straight to the table (the API would take
    // minutes); they copy the template's timestamps.
    let sql = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10050) \
         INSERT INTO ticket (number, ticket_type, title, description, state, impact, urgency, priority, requester_id, \
           created_at, updated_at, reopen_count, reassignment_count, version, priority_overridden) \
         SELECT 'LOAD' || n.i, t.ticket_type, t.title, t.description, t.state, t.impact, t.urgency, t.priority, t.requester_id, \
           t.created_at, t.updated_at, 0, 0, 1, t.priority_overridden FROM n, ticket t WHERE t.number = '{template}'"
    );
    app.ctx.db.execute_unprepared(&sql).await.unwrap();
    let (s, views) = call_fn(&app, "/api/tickets/views", &cookie, &[]).await;
    assert_eq!(s, 200, "{views}");
    let unassigned = views.as_array().unwrap().iter().find(|v| v["key"] == "unassigned").unwrap();
    assert_eq!((unassigned["count"].as_u64(), unassigned["count_capped"].as_bool()), (Some(10_000), Some(true)));
    let mine = views.as_array().unwrap().iter().find(|v| v["key"] == "mine").unwrap();
    assert_eq!(mine["count_capped"], false, "small views are counted exactly: {mine}");
    let (s, page) = app.api(Method::GET, "/api/v1/tickets?state=open&assignee=none&limit=5", &agent, None).await;
    assert_eq!(s, 200, "{page}");
    assert_eq!((page["total"].as_u64(), page["total_capped"].as_bool()), (Some(10_000), Some(true)));
    assert_eq!(page["tickets"].as_array().unwrap().len(), 5);
    let (s, page) = app.api(Method::GET, "/api/v1/tickets?state=open&assignee=none&q=nothing-matches-this", &agent, None).await;
    assert_eq!(s, 200);
    assert_eq!((page["total"].as_u64(), page["total_capped"].as_bool()), (Some(0), Some(false)));
    let html = app.http.get(app.url("/console?state=open&assignee=none")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("10000+"), "the console shows the capped count");
});

both_backends!(the_text_filter_finds_words_of_titles, |app: common::TestApp| async move {
    let agent = app.token("agent").await;
    let dock = raise(&app, &agent, "Docking station flickers on desk 4", "low", "low").await;
    let vpn = raise(&app, &agent, "VPN-GW-0412 unreachable from Lyon", "low", "low").await;
    let toner = raise(&app, &agent, "Printer out of toner in Lyon", "low", "low").await;
    let found = |q: &str| {
        let (app, agent, q) = (app.clone(), agent.clone(), q.to_string());
        async move {
            let (s, page) = app.api(Method::GET, &format!("/api/v1/tickets?q={}", urlencoding(&q)), &agent, None).await;
            assert_eq!(s, 200, "{q}: {page}");
            let mut numbers: Vec<String> = page["tickets"].as_array().unwrap().iter().map(|t| t["number"].as_str().unwrap().to_string()).collect();
            numbers.sort();
            assert_eq!(page["total"].as_u64(), Some(numbers.len() as u64), "{q}: the count agrees with the rows");
            numbers
        }
    };
    assert_eq!(found("vpn-gw-0412").await, [vpn.clone()], "a CI name, punctuation and all");
    assert_eq!(found("dock").await, [dock.clone()], "the start of a word");
    assert_eq!(found("LYON vpn").await, [vpn.clone()], "every word, in any order and case");
    let mut lyon = vec![vpn.clone(), toner.clone()];
    lyon.sort();
    assert_eq!(found("lyon").await, lyon);
    assert!(found("vpn toner").await.is_empty(), "all words must match");
    assert!(found("ocking").await.is_empty(), "words match from their start, not inside");
    assert!(found("%_*\"-").await.is_empty(), "punctuation alone matches nothing");
    assert!(found("\"toner\" OR dock*").await.is_empty(), "query syntax is taken as words");
    assert_eq!(found(&toner).await, [toner.clone()], "a ticket number");
    // A renamed ticket is found by its new title only.
    let (s, t) = app.api(Method::PATCH, &format!("/api/v1/tickets/{dock}"), &agent, Some(json!({"title": "Monitor stays black on desk 4"}))).await;
    assert_eq!(s, 200, "{t}");
    assert!(found("docking").await.is_empty());
    assert_eq!(found("monitor black").await, [dock.clone()]);
    // Filters combine with the words.
    let (s, page) = app.api(Method::GET, "/api/v1/tickets?q=lyon&assignee=me", &agent, None).await;
    assert_eq!((s, page["total"].as_u64()), (200, Some(0)), "{page}");
    // Many matches (SQLite then walks the tickets in page order instead of sorting every match):
    // 2,100 copies of the toner ticket, same instants, so the newest ids come first.
    use sea_orm::ConnectionTrait;
    let queries = ["printer", "PRINTER jam", "jam"];
    let mut before = Vec::new();
    for q in queries {
        before.push(found(q).await.len() as u64);
    }
    let sql = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2100) \
         INSERT INTO ticket (number, ticket_type, title, description, state, impact, urgency, priority, requester_id, \
           created_at, updated_at, reopen_count, reassignment_count, version, priority_overridden) \
         SELECT 'BULK' || n.i, t.ticket_type, 'Printer jam ' || n.i, t.description, t.state, t.impact, t.urgency, t.priority, t.requester_id, \
           t.created_at, t.updated_at, 0, 0, 1, t.priority_overridden FROM n, ticket t WHERE t.number = '{toner}'"
    );
    app.ctx.db.execute_unprepared(&sql).await.unwrap();
    for (q, before) in queries.into_iter().zip(before) {
        let (s, page) = app.api(Method::GET, &format!("/api/v1/tickets?q={}&limit=50", urlencoding(q)), &agent, None).await;
        assert_eq!(s, 200, "{page}");
        let numbers: Vec<&str> = page["tickets"].as_array().unwrap().iter().map(|t| t["number"].as_str().unwrap()).collect();
        assert!(before < 1000, "{q}");
        assert_eq!((page["total"].as_u64(), page["total_capped"].as_bool()), (Some(1000), Some(true)), "a text search counts up to 1000: {q}");
        assert_eq!((numbers.len(), numbers.first().copied(), numbers.last().copied()), (50, Some("BULK2100"), Some("BULK2051")), "{q}");
    }
    assert_eq!(found("jam 1234").await, ["BULK1234"]);
});

fn urlencoding(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn due(t: &Value) -> Option<chrono::DateTime<chrono::Utc>> {
    t["sla_due_at"].as_str().map(|s| chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc())
}

async fn summary(app: &common::TestApp, token: &str, number: &str) -> Value {
    let (s, t) = app.api(Method::GET, &format!("/api/v1/tickets/{number}"), token, None).await;
    assert_eq!(s, 200, "{t}");
    t
}

both_backends!(sla_queue_follows_the_timers, |app: common::TestApp| async move {
    use app::services::sla::fire_due_timers;
    use chrono::{Duration, Utc};
    let agent = app.token("agent").await;
    let requester = app.token("requester").await;
    let urgent = raise(&app, &requester, "SLA order urgent", "high", "high").await;
    let routine = raise(&app, &requester, "SLA order routine", "low", "low").await;

    // The row's due instant is the earliest breach its clocks project (here: first response).
    let (s, clocks) = app.api(Method::GET, &format!("/api/v1/tickets/{urgent}/sla"), &agent, None).await;
    assert_eq!(s, 200, "{clocks}");
    let earliest = clocks.as_array().unwrap().iter().filter_map(|c| c["status"]["due_at"].as_str()).map(|s| chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc()).min();
    let urgent_due = due(&summary(&app, &agent, &urgent).await);
    assert!(urgent_due.is_some() && urgent_due == earliest, "{urgent_due:?} vs {clocks}");
    let routine_due = due(&summary(&app, &agent, &routine).await).expect("routine ticket has targets");
    assert!(routine_due > urgent_due.unwrap());

    // Sorted most urgent first, tickets without targets last; "breaching soon" is due within the hour.
    let by_sla = list(&app, &agent, "state=open&sort=sla").await;
    let dues: Vec<_> = by_sla.iter().map(due).collect();
    let first_none = dues.iter().position(Option::is_none).unwrap_or(dues.len());
    assert!(dues[first_none..].iter().all(Option::is_none), "{dues:?}");
    assert!(dues[..first_none].windows(2).all(|w| w[0] <= w[1]), "{dues:?}");
    let breaching = list(&app, &agent, "state=open&sla=breaching&sort=sla").await;
    let soon = Utc::now() + Duration::minutes(60);
    assert!(breaching.iter().all(|t| due(t).is_some_and(|d| d < soon)), "{breaching:?}");
    assert!(breaching.iter().any(|t| t["number"] == urgent.as_str()));
    assert!(!breaching.iter().any(|t| t["number"] == routine.as_str()));

    // Once answered and on hold (the resolution clock pauses), a ticket with nothing breached has
    // no target; resuming brings it back.
    let (s, c) = app.api(Method::POST, &format!("/api/v1/tickets/{routine}/comments"), &agent, Some(json!({"body": "Which printer?"}))).await;
    assert_eq!(s, 201, "{c}");
    let (s, t) = app.api(Method::PATCH, &format!("/api/v1/tickets/{routine}"), &agent, Some(json!({"state": "on_hold", "on_hold_reason": "awaiting_caller"}))).await;
    assert_eq!(s, 200, "{t}");
    assert_eq!(due(&summary(&app, &agent, &routine).await), None);
    app.api(Method::PATCH, &format!("/api/v1/tickets/{routine}"), &agent, Some(json!({"state": "in_progress"}))).await;
    assert!(due(&summary(&app, &agent, &routine).await).is_some_and(|d| d >= routine_due));

    // A breach that fired stays the ticket's due instant after the clock stops and while on hold.
    assert!(fire_due_timers(&app.ctx, Utc::now() + Duration::minutes(20)).await.unwrap() >= 2);
    let (s, c) = app.api(Method::POST, &format!("/api/v1/tickets/{urgent}/comments"), &agent, Some(json!({"body": "Looking at it now."}))).await;
    assert_eq!(s, 201, "{c}");
    app.api(Method::PATCH, &format!("/api/v1/tickets/{urgent}"), &agent, Some(json!({"state": "on_hold", "on_hold_reason": "awaiting_vendor"}))).await;
    let held = summary(&app, &agent, &urgent).await;
    assert_eq!(held["state"], "on_hold");
    assert_eq!(due(&held), urgent_due, "the breached response target is still what is due");
    assert!(list(&app, &agent, "state=open&sla=breaching").await.iter().any(|t| t["number"] == urgent.as_str()));

    // Requesters do not see SLA targets.
    let mine = list(&app, &requester, "state=open").await;
    assert!(!mine.is_empty() && mine.iter().all(|t| t["sla_due_at"].is_null()), "{mine:?}");
});
