//! CMDB relationships on SQLite and PostgreSQL: adding and removing them (validation, version
//! checks, audit on both CIs, events), impact analysis up and down with paths, cycles, depth and
//! redundancy, the map, a CI's incident record, and the ticket context that uses them.

mod common;

use reqwest::Method;
use serde_json::{json, Value};

fn fields(body: &Value) -> Vec<String> {
    body["error"]["fields"].as_array().map(|f| f.iter().filter_map(|f| f["field"].as_str().map(String::from)).collect()).unwrap_or_default()
}

fn names(list: &Value, key: &str) -> Vec<String> {
    let mut out: Vec<String> = list.as_array().unwrap().iter().map(|n| n[key]["name"].as_str().unwrap().to_string()).collect();
    out.sort();
    out
}

async fn ci(app: &common::TestApp, admin: &str, name: &str, class: &str) -> i64 {
    let (s, c) = app.api(Method::POST, "/api/v1/cis", admin, Some(json!({"name": name, "class": class}))).await;
    assert_eq!(s, 201, "{c}");
    c["id"].as_i64().unwrap()
}

async fn relate(app: &common::TestApp, admin: &str, from: &str, rel_type: &str, to: &str, extra: Value) -> (u16, Value) {
    let mut body = json!({"type": rel_type, "target": to});
    body.as_object_mut().unwrap().extend(extra.as_object().cloned().unwrap_or_default());
    app.api(Method::POST, &format!("/api/v1/cis/{from}/relationships"), admin, Some(body)).await
}

both_backends!(relationships_are_validated_versioned_and_audited_on_both_cis, |app: common::TestApp| async move {
    let admin = app.token("admin").await;
    let agent = app.token("agent").await;
    let riley = app.token("requester").await;
    let app_id = ci(&app, &admin, "LEDGER-APP", "application").await;
    let db_id = ci(&app, &admin, "LEDGER-DB", "database").await;

    // Bad input: a 422 naming the field, nothing written.
    for (rel_type, target, field) in [("likes", "LEDGER-DB", "type"), ("depends_on", "NOPE-404", "target"), ("depends_on", "ledger-app", "target"), ("depends_on", "", "target")] {
        let (s, e) = relate(&app, &admin, "LEDGER-APP", rel_type, target, json!({})).await;
        assert_eq!((s, fields(&e)), (422, vec![field.to_string()]), "{rel_type} {target}: {e}");
    }
    let (s, e) = relate(&app, &admin, "LEDGER-APP", "used_by", "LEDGER-DB", json!({"redundancy_set": "pair"})).await;
    assert_eq!((s, fields(&e)), (422, vec!["redundancy_set".to_string()]), "only the dependent side groups: {e}");
    assert_eq!(relate(&app, &agent, "LEDGER-APP", "depends_on", "LEDGER-DB", json!({})).await.0, 403);
    assert_eq!(relate(&app, &admin, "NOPE-404", "depends_on", "LEDGER-DB", json!({})).await.0, 404);
    let (s, stale) = relate(&app, &admin, "LEDGER-APP", "depends_on", "LEDGER-DB", json!({"version": 99})).await;
    assert_eq!(s, 409, "{stale}");
    assert_eq!(app.api(Method::GET, "/api/v1/cis/LEDGER-APP/relationships", &agent, None).await.1["items"], json!([]));

    // Added by name from the CI that depends; read from both ends with its inverse name.
    let (s, list) = relate(&app, &admin, "LEDGER-APP", "depends_on", "ledger-db", json!({"version": 1})).await;
    assert_eq!(s, 201, "{list}");
    assert_eq!((list["items"][0]["type"].as_str(), list["items"][0]["other"]["name"].as_str(), list["version"].as_i64()), (Some("depends_on"), Some("LEDGER-DB"), Some(2)));
    let (s, from_db) = app.api(Method::GET, &format!("/api/v1/cis/{db_id}/relationships"), &agent, None).await;
    assert_eq!(s, 200, "{from_db}");
    assert_eq!((from_db["items"][0]["type"].as_str(), from_db["items"][0]["label"].as_str(), from_db["items"][0]["other"]["id"].as_i64()), (Some("used_by"), Some("Used by"), Some(app_id)));
    assert_eq!(from_db["version"], 2, "both CIs' versions move on");
    assert_eq!(app.api(Method::GET, "/api/v1/cis/LEDGER-APP/relationships", &riley, None).await.0, 403);
    // The same relationship typed from the other end is a duplicate.
    let (s, e) = relate(&app, &admin, "LEDGER-DB", "used_by", "LEDGER-APP", json!({})).await;
    assert_eq!((s, fields(&e)), (422, vec!["target".to_string()]), "{e}");
    assert!(e["error"]["fields"][0]["message"].as_str().unwrap().contains("already"), "{e}");
    // A symmetric link is one row whichever end it is typed from.
    assert_eq!(relate(&app, &admin, "LEDGER-DB", "connected_to", "LEDGER-APP", json!({})).await.0, 201);
    assert_eq!(relate(&app, &admin, "LEDGER-APP", "connected_to", "LEDGER-DB", json!({})).await.0, 422);
    // A stale CI form is refused after a relationship change (its version moved on).
    let (s, _) = app.api(Method::PUT, &format!("/api/v1/cis/{app_id}"), &admin, Some(json!({"name": "LEDGER-APP", "class": "application", "location": "Lyon", "version": 1}))).await;
    assert_eq!(s, 409);

    // Removing: version-checked, found only through one of its CIs.
    let (_, list) = app.api(Method::GET, "/api/v1/cis/LEDGER-APP/relationships", &agent, None).await;
    let link = list["items"].as_array().unwrap().iter().find(|r| r["type"] == "connected_to").unwrap()["id"].as_i64().unwrap();
    let version = list["version"].as_i64().unwrap();
    let other = ci(&app, &admin, "UNRELATED-01", "server").await;
    assert_eq!(app.api(Method::DELETE, &format!("/api/v1/cis/{other}/relationships/{link}"), &admin, None).await.0, 404);
    assert_eq!(app.api(Method::DELETE, &format!("/api/v1/cis/LEDGER-APP/relationships/{link}?version={}", version - 1), &admin, None).await.0, 409);
    assert_eq!(app.api(Method::DELETE, &format!("/api/v1/cis/LEDGER-APP/relationships/{link}"), &agent, None).await.0, 403);
    let (s, after) = app.api(Method::DELETE, &format!("/api/v1/cis/LEDGER-APP/relationships/{link}?version={version}"), &admin, None).await;
    assert_eq!((s, after["items"].as_array().unwrap().len()), (200, 1), "{after}");

    // Audited on both CIs.
    let audited = app.audit_fields("configuration_item", db_id).await;
    assert_eq!(audited, ["connected_to", "connected_to", "created", "used_by"], "{audited:?}");
    let audited = app.audit_fields("configuration_item", app_id).await;
    assert_eq!(audited, ["connected_to", "connected_to", "created", "depends_on"], "{audited:?}");
    // One event per change naming both CIs, for the live console.
    let kinds: Vec<(String, String)> = sea_orm::ConnectionTrait::query_all_raw(
        &app.ctx.db,
        sea_orm::Statement::from_string(app.ctx.db.get_database_backend(), "SELECT kind, payload FROM outbox_event WHERE kind LIKE 'ci.%related' ORDER BY seq"),
    )
    .await
    .unwrap()
    .into_iter()
    .map(|r| (r.try_get::<String>("", "kind").unwrap(), r.try_get::<String>("", "payload").unwrap()))
    .collect();
    let mine: Vec<&(String, String)> = kinds.iter().filter(|(_, p)| p.contains(&format!("[{app_id},{db_id}]")) || p.contains(&format!("[{db_id},{app_id}]"))).collect();
    assert_eq!(mine.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["ci.related", "ci.related", "ci.unrelated"], "{kinds:?}");
});

both_backends!(impact_follows_dependencies_through_cycles_and_redundancy, |app: common::TestApp| async move {
    let admin = app.token("admin").await;
    let agent = app.token("agent").await;
    let riley = app.token("requester").await;
    // PAY (business service) depends on PAY-APP, which depends on the PAY-DB pair (1 of 2) and
    // runs on PAY-VM, hosted on PAY-HV; both databases sit on PAY-SAN; PAY-APP and PAY-MON depend
    // on each other (a cycle); PAY-HV is connected to PAY-SW (no failure travels along that).
    for (name, class) in [("PAY", "business_service"), ("PAY-APP", "application"), ("PAY-DB-A", "database"), ("PAY-DB-B", "database"), ("PAY-VM", "server"), ("PAY-HV", "server"), ("PAY-SAN", "storage"), ("PAY-MON", "application"), ("PAY-SW", "network_device")] {
        ci(&app, &admin, name, class).await;
    }
    for (from, rel_type, to, extra) in [
        ("PAY", "depends_on", "PAY-APP", json!({})),
        ("PAY-APP", "depends_on", "PAY-DB-A", json!({"redundancy_set": "db-pair"})),
        ("PAY-APP", "depends_on", "PAY-DB-B", json!({"redundancy_set": "db-pair", "min_up": 1})),
        ("PAY-APP", "runs_on", "PAY-VM", json!({})),
        ("PAY-HV", "hosts", "PAY-VM", json!({})),
        ("PAY-SAN", "used_by", "PAY-DB-A", json!({})),
        ("PAY-DB-B", "depends_on", "PAY-SAN", json!({})),
        ("PAY-APP", "depends_on", "PAY-MON", json!({})),
        ("PAY-MON", "depends_on", "PAY-APP", json!({})),
        ("PAY-HV", "connected_to", "PAY-SW", json!({})),
    ] {
        let (s, e) = relate(&app, &admin, from, rel_type, to, extra).await;
        assert_eq!(s, 201, "{from} {rel_type} {to}: {e}");
    }
    let (s, e) = relate(&app, &admin, "PAY-APP", "depends_on", "PAY-SW", json!({"redundancy_set": "db-pair", "min_up": 4})).await;
    assert_eq!((s, fields(&e)), (422, vec!["min_up".to_string()]), "k above n: {e}");
    let (_, sets) = app.api(Method::GET, "/api/v1/cis/PAY-APP/relationships", &agent, None).await;
    assert_eq!(sets["redundancy_sets"], json!([{"id": sets["redundancy_sets"][0]["id"], "name": "db-pair", "min_up": 1, "members": 2}]), "{sets}");

    let impact = |q: String| {
        let (app, agent) = (&app, agent.clone());
        async move {
            let (s, r) = app.api(Method::GET, &format!("/api/v1/cis/{q}"), &agent, None).await;
            assert_eq!(s, 200, "{q}: {r}");
            r
        }
    };
    // The hypervisor fails: the VM, the application, its monitor (cycle) and the service, with paths.
    let r = impact("PAY-HV/impact".into()).await;
    assert_eq!(names(&r["nodes"], "ci"), ["PAY", "PAY-APP", "PAY-MON", "PAY-VM"], "{r}");
    let pay = r["nodes"].as_array().unwrap().iter().find(|n| n["ci"]["name"] == "PAY").unwrap();
    let path: Vec<(&str, &str)> = pay["path"].as_array().unwrap().iter().map(|s| (s["type"].as_str().unwrap(), s["name"].as_str().unwrap())).collect();
    assert_eq!(path, [("hosts", "PAY-VM"), ("runs", "PAY-APP"), ("used_by", "PAY")]);
    assert_eq!(pay["depth"], 3);
    assert_eq!(r["business_services"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect::<Vec<_>>(), ["PAY"]);
    // Depth bounds the walk.
    assert_eq!(names(&impact("PAY-HV/impact?depth=1".into()).await["nodes"], "ci"), ["PAY-VM"]);
    // One database down: the pair holds, nothing above it is affected.
    let r = impact("PAY-DB-A/impact".into()).await;
    assert_eq!(r["nodes"], json!([]), "{r}");
    assert_eq!((r["held"][0]["ci"]["name"].as_str(), r["held"][0]["up"].as_u64(), r["held"][0]["needed"].as_u64()), (Some("PAY-APP"), Some(1), Some(1)), "{r}");
    // The storage under both fails: the pair goes, and everything above.
    assert_eq!(names(&impact("PAY-SAN/impact".into()).await["nodes"], "ci"), ["PAY", "PAY-APP", "PAY-DB-A", "PAY-DB-B", "PAY-MON"]);
    // The other database already down on its own (a priority 1 incident): one more failure takes the pair down.
    let (s, t) = app.api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": "Payments database B is down", "impact": "high", "urgency": "high", "ci": "PAY-DB-B"}))).await;
    assert_eq!((s, t["priority"].as_u64()), (201, Some(1)), "{t}");
    let r = impact("PAY-DB-A/impact".into()).await;
    assert_eq!(names(&r["nodes"], "ci"), ["PAY", "PAY-APP", "PAY-MON"], "{r}");
    assert_eq!(r["held"], json!([]));
    // Down: what the application needs (not its service; links between peers not followed).
    let r = impact("PAY-APP/impact?direction=down".into()).await;
    assert_eq!(names(&r["nodes"], "ci"), ["PAY-DB-A", "PAY-DB-B", "PAY-HV", "PAY-MON", "PAY-SAN", "PAY-VM"], "{r}");
    let b = r["nodes"].as_array().unwrap().iter().find(|n| n["ci"]["name"] == "PAY-DB-B").unwrap();
    assert_eq!((b["open_incidents"].as_u64(), b["failed"].as_bool()), (Some(1), Some(true)), "{b}");
    // Bad parameters are named.
    for (q, field) in [("depth=11", "depth"), ("depth=0", "depth"), ("direction=sideways", "direction")] {
        let (s, e) = app.api(Method::GET, &format!("/api/v1/cis/PAY-APP/impact?{q}"), &agent, None).await;
        assert_eq!((s, fields(&e)), (422, vec![field.to_string()]), "{q}: {e}");
    }
    assert_eq!(app.api(Method::GET, "/api/v1/cis/PAY-APP/impact", &riley, None).await.0, 403);
    assert_eq!(app.api(Method::GET, "/api/v1/cis/NOPE-404/impact", &agent, None).await.0, 404);

    // The map: every relationship either way, the links between peers too.
    let (s, m) = app.api(Method::GET, "/api/v1/cis/PAY-HV/map?depth=1", &agent, None).await;
    assert_eq!(s, 200, "{m}");
    assert_eq!(names(&m["nodes"], "ci"), ["PAY-SW", "PAY-VM"]);
    assert_eq!(m["edges"].as_array().unwrap().len(), 2, "{m}");
    let (_, m) = app.api(Method::GET, "/api/v1/cis/PAY-HV/map?depth=10", &agent, None).await;
    assert_eq!(m["nodes"].as_array().unwrap().len(), 8, "every other PAY CI once: {m}");
    assert_eq!(m["edges"].as_array().unwrap().len(), 10, "every relationship among them: {m}");

    // A ticket on the application: the service it impacts and the open incident two hops away,
    // offered as a parent.
    let (_, t2) = app.api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": "Payments app errors", "impact": "medium", "urgency": "medium", "ci": "PAY-APP"}))).await;
    let (s, c) = app.api(Method::GET, &format!("/api/v1/tickets/{}/context", t2["number"].as_str().unwrap()), &agent, None).await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["impacted_services"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect::<Vec<_>>(), ["PAY"], "{c}");
    assert_eq!(c["nearby_incidents"].as_array().unwrap().iter().map(|n| n["ticket"]["number"].as_str().unwrap()).collect::<Vec<_>>(), [t["number"].as_str().unwrap()], "{c}");
    assert_eq!(c["nearby_incidents"][0]["ci"]["name"], "PAY-DB-B");

    // The CI's incident record.
    let (_, d) = app.api(Method::GET, "/api/v1/cis/PAY-DB-B", &agent, None).await;
    assert_eq!((d["stats"]["incidents_90d"].as_u64(), d["stats"]["resolved_90d"].as_u64()), (Some(1), Some(0)), "{d}");
    let number = t["number"].as_str().unwrap();
    let (s, e) = app.api(Method::PATCH, &format!("/api/v1/tickets/{number}"), &agent, Some(json!({"state": "in_progress"}))).await;
    assert_eq!(s, 200, "{e}");
    let (s, e) = app.api(Method::PATCH, &format!("/api/v1/tickets/{number}"), &agent, Some(json!({"state": "resolved", "resolution_code": "solved_permanently", "resolution_note": "Replaced the failed disk"}))).await;
    assert_eq!(s, 200, "{e}");
    let (_, d) = app.api(Method::GET, "/api/v1/cis/PAY-DB-B", &agent, None).await;
    assert_eq!((d["stats"]["resolved_90d"].as_u64(), d["stats"]["mean_minutes_to_resolve"].as_i64()), (Some(1), Some(0)), "{d}");
    // Resolved: PAY-DB-B is up again, so one database failing holds once more.
    assert_eq!(impact("PAY-DB-A/impact".into()).await["nodes"], json!([]));

    // Removing a member lowers the set's minimum no lower than its members; the last one ends it.
    let (_, list) = app.api(Method::GET, "/api/v1/cis/PAY-APP/relationships", &agent, None).await;
    let members: Vec<i64> = list["items"].as_array().unwrap().iter().filter(|r| !r["redundancy"].is_null()).map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(members.len(), 2);
    for id in members {
        assert_eq!(app.api(Method::DELETE, &format!("/api/v1/cis/PAY-APP/relationships/{id}"), &admin, None).await.0, 200);
    }
    assert_eq!(app.api(Method::GET, "/api/v1/cis/PAY-APP/relationships", &agent, None).await.1["redundancy_sets"], json!([]));
});

both_backends!(demo_desk_has_a_map, |app: common::TestApp| async move {
    let agent = app.token("agent").await;
    // The core switch fails: Exchange and a VPN gateway are hit; the VPN pair holds.
    let (s, r) = app.api(Method::GET, "/api/v1/cis/CORE-SW-PAR/impact", &agent, None).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(names(&r["nodes"], "ci"), ["EXCH-01", "Email service", "VPN-GW-01"], "{r}");
    assert_eq!(r["held"][0]["ci"]["name"], "Remote access", "{r}");
    // The incident on Exchange shows the business service it impacts.
    let (_, page) = app.api(Method::GET, "/api/v1/tickets?q=outlook", &agent, None).await;
    let number = page["tickets"][0]["number"].as_str().unwrap().to_string();
    let (_, c) = app.api(Method::GET, &format!("/api/v1/tickets/{number}/context"), &agent, None).await;
    assert_eq!(c["impacted_services"][0]["name"], "Email service", "{c}");
});
