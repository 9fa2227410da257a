//! Assets and software licences on SQLite and PostgreSQL: a CI's asset record (validation,
//! lifecycle moves and the CI status they set, version checks, audit), warranty and lease notices
//! that fire once to the support group and follow a changed date, licences with installations,
//! over-use and expiry, and the report admins read.

mod common;

use app::services::cmdb;
use chrono::{Duration, NaiveTime, Utc};
use reqwest::Method;
use serde_json::{json, Value};

fn fields(body: &Value) -> Vec<String> {
    let mut f: Vec<String> = body["error"]["fields"].as_array().map(|f| f.iter().filter_map(|f| f["field"].as_str().map(String::from)).collect()).unwrap_or_default();
    f.sort();
    f
}

/// Fires every notice the demo data scheduled, so that a test counts only its own.
async fn fire_demo_notices(app: &common::TestApp) {
    cmdb::fire_due_notices(&app.ctx, Utc::now() + Duration::days(2_000)).await.unwrap();
}

fn product<'a>(list: &'a Value, name: &str) -> Option<&'a Value> {
    list.as_array().unwrap().iter().find(|l| l["product"] == name)
}

fn day(offset: i64) -> String {
    (Utc::now().date_naive() + Duration::days(offset)).to_string()
}

/// The caller's notifications of `kind` about `about` (a CI name or a product).
async fn notifications(app: &common::TestApp, token: &str, kind: &str, about: &str) -> Vec<String> {
    let (s, list) = app.api(Method::GET, "/api/v1/notifications", token, None).await;
    assert_eq!(s, 200, "{list}");
    list.as_array().unwrap().iter().filter(|n| n["kind"] == kind).filter_map(|n| n["message"].as_str()).filter(|m| m.starts_with(&format!("{about}: "))).map(String::from).collect()
}

both_backends!(asset_records_are_validated_moved_through_their_lifecycle_and_audited, |app: common::TestApp| async move {
    let admin = app.token("admin").await;
    let agent = app.token("agent").await;
    let path = "/api/v1/cis/LT-0042/asset";

    // Bad input: every bad field named at once, nothing written.
    let bad = json!({"lifecycle": "lost", "asset_tag": "#1", "owner_email": "", "purchase_date": "2026-13-01", "cost": "12.345", "warranty_end": "soon", "notice_days": 0});
    let (s, e) = app.api(Method::PUT, path, &admin, Some(bad)).await;
    assert_eq!((s, fields(&e)), (422, vec!["asset_tag", "cost", "lifecycle", "notice_days", "purchase_date", "warranty_end"].into_iter().map(String::from).collect::<Vec<_>>()), "{e}");
    let (s, e) = app.api(Method::PUT, path, &admin, Some(json!({"lifecycle": "deployed", "purchase_date": "2026-06-01", "warranty_end": "2026-05-31", "lease_end": "2026-05-01"}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["lease_end".to_string(), "warranty_end".to_string()]), "{e}");
    let (s, e) = app.api(Method::PUT, path, &admin, Some(json!({"lifecycle": "deployed", "owner_email": "nobody@example.com"}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["owner_email".to_string()]), "{e}");
    assert_eq!(app.api(Method::PUT, path, &agent, Some(json!({"lifecycle": "deployed"}))).await.0, 403);
    assert_eq!(app.api(Method::PUT, "/api/v1/cis/NOPE-404/asset", &admin, Some(json!({"lifecycle": "deployed"}))).await.0, 404);
    assert_eq!(app.api(Method::PUT, path, &admin, Some(json!({"lifecycle": "deployed", "version": 3}))).await.0, 409, "no record yet: version 0");
    let (_, before) = app.api(Method::GET, "/api/v1/cis/LT-0042", &agent, None).await;
    assert_eq!(before["asset"], Value::Null, "nothing written: {before}");

    // Recorded: the owner found by email (case ignored), the cost kept to the cent.
    let record = json!({"lifecycle": "in_stock", "asset_tag": "lt-2026-0042", "serial_number": "PF3X9K2", "owner_email": "Jordan@Example.com", "vendor": "Lenovo",
        "purchase_date": "2026-01-15", "cost": "1 299,50", "warranty_end": day(200), "notice_days": 30, "version": 0});
    let (s, d) = app.api(Method::PUT, path, &admin, Some(record.clone())).await;
    assert_eq!(s, 200, "{d}");
    let a = &d["asset"];
    assert_eq!((a["lifecycle"].as_str(), a["asset_tag"].as_str(), a["owner_name"].as_str(), a["cost"].as_str(), a["version"].as_i64()), (Some("in_stock"), Some("lt-2026-0042"), Some("Jordan Employee"), Some("1299.50"), Some(1)));
    assert_eq!(d["status"], "planned", "in stock is not in service yet");
    let ci_id = d["id"].as_i64().unwrap();
    // A form opened before the record existed is stale now; the same record saved again changes nothing.
    let (s, same) = app.api(Method::PUT, path, &admin, Some(record.clone())).await;
    assert_eq!(s, 409, "the record is at version 1 now, the body still says 0: {same}");
    let mut again = record.clone();
    again["version"] = json!(1);
    let (_, same) = app.api(Method::PUT, path, &admin, Some(again)).await;
    assert_eq!(same["asset"]["version"], 1, "no change, no new version");

    // The tag is unique, ignoring case.
    let (s, e) = app.api(Method::PUT, "/api/v1/cis/EXCH-01/asset", &admin, Some(json!({"lifecycle": "deployed", "asset_tag": "LT-2026-0042"}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["asset_tag".to_string()]), "{e}");
    assert!(e["error"]["fields"][0]["message"].as_str().unwrap().contains("LT-0042"), "names the CI that has it: {e}");

    // Lifecycle: in stock → deployed sets the CI in service; deployed → disposed is refused.
    let mv = |stage: &str, version: i64| json!({"lifecycle": stage, "asset_tag": "lt-2026-0042", "owner_email": "jordan@example.com", "purchase_date": "2026-01-15", "cost": "1299.50", "warranty_end": day(200), "version": version});
    let (s, d) = app.api(Method::PUT, path, &admin, Some(mv("deployed", 1))).await;
    assert_eq!((s, d["status"].as_str(), d["asset"]["version"].as_i64()), (200, Some("in_service"), Some(2)), "{d}");
    let (s, e) = app.api(Method::PUT, path, &admin, Some(mv("disposed", 2))).await;
    assert_eq!((s, fields(&e)), (422, vec!["lifecycle".to_string()]), "{e}");
    assert_eq!(e["error"]["fields"][0]["message"], "An asset deployed cannot move to disposed: next is in stock, in repair, retired");
    let (_, d) = app.api(Method::PUT, path, &admin, Some(mv("in_repair", 2))).await;
    assert_eq!(d["status"], "maintenance", "in repair counts as failed for impact analysis");
    // Audited on the CI: the record, each changed field, the status it set.
    let audit = app.audit_fields("configuration_item", ci_id).await;
    for f in ["lifecycle", "asset_tag", "owner", "cost", "warranty_end", "status"] {
        assert!(audit.iter().any(|a| a == f), "{f} audited: {audit:?}");
    }
    // A changed CI form does not undo the record; a stale asset form is refused.
    assert_eq!(app.api(Method::PUT, path, &admin, Some(mv("deployed", 2))).await.0, 409);
    // Agents read it on the CI.
    let (_, seen) = app.api(Method::GET, &format!("/api/v1/cis/{ci_id}"), &agent, None).await;
    assert_eq!((seen["asset"]["lifecycle"].as_str(), seen["asset"]["serial_number"].as_str()), (Some("in_repair"), None), "{seen}");
});

both_backends!(warranty_and_lease_notices_fire_once_to_the_support_group_and_follow_the_date, |app: common::TestApp| async move {
    let admin = app.token("admin").await;
    let agent = app.token("agent").await;
    let netops = app.token("netops").await;
    let path = "/api/v1/cis/LT-0042/asset";
    fire_demo_notices(&app).await;
    let (s, d) = app.api(Method::PUT, path, &admin, Some(json!({"lifecycle": "deployed", "warranty_end": day(40), "lease_end": day(400), "notice_days": 30}))).await;
    assert_eq!(s, 200, "{d}");

    // Before the notice day nothing fires; on it, the desk group (member + manager) is told once.
    let today = Utc::now().date_naive();
    let at = |offset: i64| (today + Duration::days(offset)).and_time(NaiveTime::MIN).and_utc() + Duration::hours(9);
    assert_eq!(cmdb::fire_due_notices(&app.ctx, at(9) - Duration::hours(10)).await.unwrap(), 0);
    assert_eq!(cmdb::fire_due_notices(&app.ctx, at(10)).await.unwrap(), 1, "warranty notice 30 days before day 40");
    let told = notifications(&app, &agent, "warranty_expiry", "LT-0042").await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].starts_with(&format!("LT-0042: warranty ends on {}", day(40))), "{told:?}");
    assert_eq!(notifications(&app, &admin, "warranty_expiry", "LT-0042").await.len(), 1, "the group's manager");
    assert!(notifications(&app, &netops, "warranty_expiry", "LT-0042").await.is_empty(), "another group is not told");
    assert_eq!(cmdb::fire_due_notices(&app.ctx, at(11)).await.unwrap(), 0, "fired once");
    let audit = app.audit_fields("configuration_item", d["id"].as_i64().unwrap()).await;
    assert!(audit.iter().any(|f| f == "warranty_end"), "{audit:?}");

    // Saving the same date again does not fire again; a renewed warranty gets its own notice.
    let (_, d) = app.api(Method::PUT, path, &admin, Some(json!({"lifecycle": "deployed", "warranty_end": day(40), "lease_end": day(400), "notice_days": 20, "version": 1}))).await;
    assert_eq!(cmdb::fire_due_notices(&app.ctx, at(30)).await.unwrap(), 0, "{d}");
    let (_, d) = app.api(Method::PUT, path, &admin, Some(json!({"lifecycle": "deployed", "warranty_end": day(100), "lease_end": day(400), "notice_days": 20, "version": 2}))).await;
    assert_eq!(d["asset"]["version"], 3, "{d}");
    assert_eq!(cmdb::fire_due_notices(&app.ctx, at(79)).await.unwrap(), 0);
    assert_eq!(cmdb::fire_due_notices(&app.ctx, at(80)).await.unwrap(), 1);
    assert_eq!(notifications(&app, &agent, "warranty_expiry", "LT-0042").await.len(), 2);
    // A moved lease date replaces its unfired notice: only the new date fires.
    let (_, _) = app.api(Method::PUT, path, &admin, Some(json!({"lifecycle": "deployed", "warranty_end": day(100), "lease_end": day(500), "notice_days": 20, "version": 3}))).await;
    assert_eq!(cmdb::fire_due_notices(&app.ctx, at(390)).await.unwrap(), 0, "the old lease date is gone");
    // A retired asset raises no notice.
    let (_, d) = app.api(Method::PUT, path, &admin, Some(json!({"lifecycle": "retired", "warranty_end": day(100), "lease_end": day(500), "notice_days": 20, "version": 4}))).await;
    assert_eq!(d["status"], "retired", "{d}");
    assert_eq!(cmdb::fire_due_notices(&app.ctx, at(490)).await.unwrap(), 0);
    assert!(notifications(&app, &agent, "lease_expiry", "LT-0042").await.is_empty());
});

both_backends!(licences_count_installations_flag_over_use_and_expiry, |app: common::TestApp| async move {
    let admin = app.token("admin").await;
    let agent = app.token("agent").await;
    let netops = app.token("netops").await;
    let requester = app.token("requester").await;
    fire_demo_notices(&app).await;

    let (s, e) = app.api(Method::POST, "/api/v1/licences", &admin, Some(json!({"product": "X", "expires_on": "next year", "notice_days": 400}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["expires_on", "notice_days", "product", "seats"].into_iter().map(String::from).collect::<Vec<_>>()), "{e}");
    assert_eq!(app.api(Method::POST, "/api/v1/licences", &agent, Some(json!({"product": "Visio", "seats": 1}))).await.0, 403);
    let (_, groups) = app.api(Method::GET, "/api/v1/groups", &admin, None).await;
    let netops_group = groups.as_array().unwrap().iter().find(|g| g["name"] == "Network Operations").unwrap()["id"].as_i64().unwrap();
    let (s, l) = app.api(Method::POST, "/api/v1/licences", &admin, Some(json!({"product": "Visio Plan 2", "vendor": "Microsoft", "seats": 1, "expires_on": day(20), "support_group_id": netops_group, "notice_days": 30}))).await;
    assert_eq!(s, 201, "{l}");
    let id = l["id"].as_i64().unwrap();
    assert_eq!((l["seats"].as_u64(), l["installed"].as_u64(), l["days_left"].as_i64(), l["support_group_name"].as_str()), (Some(1), Some(0), Some(20), Some("Network Operations")));
    let (s, e) = app.api(Method::POST, "/api/v1/licences", &admin, Some(json!({"product": "visio plan 2", "seats": 3}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["product".to_string()]), "unique ignoring case: {e}");

    // Installations: by CI name; unknown, retired and duplicate CIs refused on `ci`.
    let install = |ci: &str, version: Option<i64>| json!({"ci": ci, "version": version});
    let url = format!("/api/v1/licences/{id}/installations");
    for (ci, why) in [("NOPE-404", "unknown"), ("", "empty")] {
        let (s, e) = app.api(Method::POST, &url, &admin, Some(install(ci, None))).await;
        assert_eq!((s, fields(&e)), (422, vec!["ci".to_string()]), "{why}: {e}");
    }
    let (s, d) = app.api(Method::POST, &url, &admin, Some(install("lt-0042", Some(1)))).await;
    assert_eq!((s, d["installed"].as_u64(), d["version"].as_i64()), (201, Some(1), Some(2)), "{d}");
    assert_eq!(app.api(Method::POST, &url, &admin, Some(install("EXCH-01", Some(1)))).await.0, 409, "stale version");
    let (s, e) = app.api(Method::POST, &url, &admin, Some(install("LT-0042", None))).await;
    assert_eq!((s, fields(&e)), (422, vec!["ci".to_string()]), "already installed: {e}");
    let (s, d) = app.api(Method::POST, &url, &admin, Some(install("EXCH-01", Some(2)))).await;
    assert_eq!((s, d["installed"].as_u64(), d["over_use"].as_u64()), (201, Some(2), Some(1)), "over the seats is allowed and shown: {d}");
    let names: Vec<&str> = d["installations"].as_array().unwrap().iter().map(|i| i["ci"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["EXCH-01", "LT-0042"]);
    let (_, ci) = app.api(Method::GET, "/api/v1/cis/EXCH-01", &agent, None).await;
    assert_eq!(ci["licences"][0]["product"], "Visio Plan 2", "the CI lists what is installed on it: {ci}");

    // The report: over-used and expiring, for admins only.
    let (s, r) = app.api(Method::GET, "/api/v1/assets/report", &admin, None).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(product(&r["over_used_licences"], "Visio Plan 2").map(|l| l["over_use"].clone()), Some(json!(1)), "{r}");
    assert!(product(&r["expiring_licences"], "Visio Plan 2").is_some(), "{r}");
    assert_eq!(app.api(Method::GET, "/api/v1/assets/report", &agent, None).await.0, 403);
    assert_eq!(app.api(Method::GET, "/api/v1/assets/report?days=0", &admin, None).await.0, 422);
    assert_eq!(app.api(Method::GET, "/api/v1/licences", &requester, None).await.0, 403);
    let (s, list) = app.api(Method::GET, "/api/v1/licences", &agent, None).await;
    assert_eq!((s, product(&list["items"], "Visio Plan 2").map(|l| l["installed"].clone())), (200, Some(json!(2))), "{list}");

    // Its expiry notice goes to its group (already inside the window: it fires at the next run).
    assert_eq!(cmdb::fire_due_notices(&app.ctx, Utc::now()).await.unwrap(), 1);
    let told = notifications(&app, &netops, "licence_expiry", "Visio Plan 2").await;
    assert_eq!(told, vec![format!("Visio Plan 2: licence expires on {} (in 20 days)", day(20))]);
    assert!(notifications(&app, &agent, "licence_expiry", "Visio Plan 2").await.is_empty());

    // Removing an installation: version-checked, 404 when there is none, audited on both.
    let (_, d) = app.api(Method::GET, &format!("/api/v1/licences/{id}"), &agent, None).await;
    let (version, exch) = (d["version"].as_i64().unwrap(), d["installations"][0]["ci"]["id"].as_i64().unwrap());
    assert_eq!(app.api(Method::DELETE, &format!("{url}/{exch}?version={}", version - 1), &admin, None).await.0, 409);
    let (s, d) = app.api(Method::DELETE, &format!("{url}/{exch}?version={version}"), &admin, None).await;
    assert_eq!((s, d["installed"].as_u64(), d["over_use"].as_u64()), (200, Some(1), Some(0)), "{d}");
    assert_eq!(app.api(Method::DELETE, &format!("{url}/{exch}"), &admin, None).await.0, 404);
    assert!(app.audit_fields("software_licence", id).await.iter().filter(|f| *f == "ci").count() >= 2);
    assert!(app.audit_fields("configuration_item", exch).await.iter().any(|f| f == "licence"));
    // Changing it: audited, version-checked; the report no longer lists it as over-used.
    let (s, d) = app.api(Method::PUT, &format!("/api/v1/licences/{id}"), &admin, Some(json!({"product": "Visio Plan 2", "seats": 5, "version": version + 1}))).await;
    assert_eq!((s, d["seats"].as_u64(), d["expires_on"].clone()), (200, Some(5), Value::Null), "{d}");
    assert_eq!(app.api(Method::PUT, &format!("/api/v1/licences/{id}"), &admin, Some(json!({"product": "Visio Plan 2", "seats": 6, "version": version}))).await.0, 409);
    let (_, r) = app.api(Method::GET, "/api/v1/assets/report", &admin, None).await;
    assert!(product(&r["over_used_licences"], "Visio Plan 2").is_none() && product(&r["expiring_licences"], "Visio Plan 2").is_none(), "{r}");
    assert!(app.audit_fields("software_licence", id).await.iter().any(|f| f == "seats"));
});

both_backends!(the_report_lists_warranties_and_leases_in_the_window, |app: common::TestApp| async move {
    let admin = app.token("admin").await;
    for (ci, body) in [
        ("LT-0042", json!({"lifecycle": "deployed", "asset_tag": "LT-1", "warranty_end": day(10)})),
        ("EXCH-01", json!({"lifecycle": "deployed", "lease_end": day(-5), "warranty_end": day(300)})),
        ("PRN-3F-01", json!({"lifecycle": "retired", "warranty_end": day(3)})),
        ("HV-PAR-01", json!({"lifecycle": "deployed", "warranty_end": day(95)})),
    ] {
        let (s, d) = app.api(Method::PUT, &format!("/api/v1/cis/{ci}/asset"), &admin, Some(body)).await;
        assert_eq!(s, 200, "{ci}: {d}");
    }
    let (_, r) = app.api(Method::GET, "/api/v1/assets/report", &admin, None).await;
    let mine = ["LT-0042", "EXCH-01", "PRN-3F-01", "HV-PAR-01"];
    let rows: Vec<(String, String, i64)> = r["expiring_assets"].as_array().unwrap().iter().filter(|a| mine.iter().any(|m| a["ci"]["name"] == *m)).map(|a| (a["ci"]["name"].as_str().unwrap().into(), a["kind"].as_str().unwrap().into(), a["days_left"].as_i64().unwrap())).collect();
    assert_eq!(rows, vec![("EXCH-01".into(), "lease".into(), -5), ("LT-0042".into(), "warranty".into(), 10)], "soonest first; retired and out-of-window left out: {r}");
    let (_, wide) = app.api(Method::GET, "/api/v1/assets/report?days=120", &admin, None).await;
    assert_eq!(wide["expiring_assets"].as_array().unwrap().iter().filter(|a| mine.iter().any(|m| a["ci"]["name"] == *m)).count(), 3, "{wide}");
    assert!(wide["expiring_assets"].as_array().unwrap().iter().any(|a| a["ci"]["name"] == "CORE-SW-PAR"), "the demo's switch too: {wide}");
});
