//! Configuration items on SQLite and PostgreSQL: admin registration with validation and audit,
//! lookups for agents, tickets naming the CI they affect (routing to its support group), the CI's
//! ticket history beside a ticket, and retired CIs refused for new tickets.

mod common;

use reqwest::Method;
use serde_json::{json, Value};

fn fields(body: &Value) -> Vec<String> {
    body["error"]["fields"].as_array().map(|f| f.iter().filter_map(|f| f["field"].as_str().map(String::from)).collect()).unwrap_or_default()
}

fn numbers(refs: &Value) -> Vec<String> {
    refs.as_array().unwrap().iter().map(|r| r["number"].as_str().unwrap().to_string()).collect()
}

both_backends!(cis_are_registered_looked_up_and_linked_to_tickets, |app: common::TestApp| async move {
    let admin = app.token("admin").await;
    let agent = app.token("agent").await;
    let riley = app.token("requester").await;

    // Demo CIs are listed by name for staff, never for requesters.
    let (s, page) = app.api(Method::GET, "/api/v1/cis?q=vpn-gw", &agent, None).await;
    assert_eq!(s, 200, "{page}");
    let names: Vec<&str> = page["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["VPN-GW-01", "VPN-GW-02"]);
    assert_eq!(page["total"], 2);
    // Totals hold whether the page is full, partly full past an offset, or past the end.
    for (query, total, first) in [("limit=1", 2, Some("VPN-GW-01")), ("limit=1&offset=1", 2, Some("VPN-GW-02")), ("limit=5&offset=1", 2, Some("VPN-GW-02")), ("limit=5&offset=5", 2, None)] {
        let (s, paged) = app.api(Method::GET, &format!("/api/v1/cis?q=vpn-gw&{query}"), &agent, None).await;
        assert_eq!((s, paged["total"].as_u64()), (200, Some(total)), "{query}: {paged}");
        assert_eq!(paged["items"][0]["name"].as_str(), first, "{query}: {paged}");
    }
    assert_eq!(page["items"][0]["class"], "network_device");
    assert_eq!(page["items"][0]["support_group_name"], "Network Operations");
    assert_eq!(page["items"][0]["service_name"], "VPN");
    let (_, printers) = app.api(Method::GET, "/api/v1/cis?class=printer", &agent, None).await;
    assert_eq!(printers["items"].as_array().unwrap().len(), 1, "{printers}");
    let (s, e) = app.api(Method::GET, "/api/v1/cis?class=toaster", &agent, None).await;
    assert_eq!((s, fields(&e)), (422, vec!["class".to_string()]), "{e}");
    assert_eq!(app.api(Method::GET, "/api/v1/cis", &riley, None).await.0, 403);
    // A `%` in the search is a character, not a wildcard.
    let (_, none) = app.api(Method::GET, "/api/v1/cis?q=%25", &agent, None).await;
    assert_eq!(none["total"], 0, "{none}");

    // Registration: admins only, every field checked, names unique ignoring case.
    let ci = json!({"name": "DB-ORA-01", "class": "database", "location": "Paris DC", "description": "Finance ledger"});
    assert_eq!(app.api(Method::POST, "/api/v1/cis", &agent, Some(ci.clone())).await.0, 403);
    let (s, e) = app.api(Method::POST, "/api/v1/cis", &admin, Some(json!({"name": "x", "class": "toaster", "status": "gone", "support_group_id": 999_999}))).await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(fields(&e), ["name", "class", "status"], "{e}");
    let (s, e) = app.api(Method::POST, "/api/v1/cis", &admin, Some(json!({"name": "DB-1", "class": "database", "support_group_id": 999_999}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["support_group_id".to_string()]), "{e}");
    let (s, e) = app.api(Method::POST, "/api/v1/cis", &admin, Some(json!({"name": "vpn-gw-01", "class": "network_device"}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["name".to_string()]), "{e}");
    let (s, created) = app.api(Method::POST, "/api/v1/cis", &admin, Some(ci)).await;
    assert_eq!(s, 201, "{created}");
    assert_eq!((created["status"].as_str(), created["open_tickets"].as_u64()), (Some("in_service"), Some(0)));
    let id = created["id"].as_i64().unwrap();
    let version = created["version"].as_i64().unwrap();

    // Changes are version-checked and audited field by field.
    let groups = app.api(Method::GET, "/api/v1/groups", &agent, None).await.1;
    let netops = groups.as_array().unwrap().iter().find(|g| g["name"] == "Network Operations").unwrap()["id"].as_i64().unwrap();
    let change = json!({"name": "DB-ORA-01", "class": "database", "status": "maintenance", "support_group_id": netops, "location": "Lyon DC", "version": version});
    let (s, changed) = app.api(Method::PUT, &format!("/api/v1/cis/{id}"), &admin, Some(change.clone())).await;
    assert_eq!(s, 200, "{changed}");
    assert_eq!((changed["status"].as_str(), changed["location"].as_str(), changed["version"].as_i64()), (Some("maintenance"), Some("Lyon DC"), Some(version + 1)));
    let (s, stale) = app.api(Method::PUT, &format!("/api/v1/cis/{id}"), &admin, Some(change)).await;
    assert_eq!(s, 409, "{stale}");
    assert_eq!(app.api(Method::PUT, "/api/v1/cis/999999", &admin, Some(json!({"name": "Nope", "class": "server"}))).await.0, 404);
    let audited = app.audit_fields("configuration_item", id).await;
    assert_eq!(audited, ["created", "description", "location", "status", "support_group_id"], "the creation and the changed fields, nothing else");

    // A ticket naming the CI goes to its support group; the CI's name is case-insensitive.
    let (s, t) = app.api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": "Ledger reports time out", "impact": "medium", "urgency": "high", "ci": "db-ora-01"}))).await;
    assert_eq!(s, 201, "{t}");
    assert_eq!((t["ci"]["name"].as_str(), t["group_name"].as_str()), (Some("DB-ORA-01"), Some("Network Operations")), "{t}");
    let first = t["number"].as_str().unwrap().to_string();
    let (s, e) = app.api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": "Ghost", "impact": "low", "urgency": "low", "ci": "NOPE-404"}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["ci".to_string()]), "{e}");

    // Agents set, change and clear the CI on a ticket; each change is in the ticket's history.
    let (_, second) = app.api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": "Ledger slow again", "impact": "low", "urgency": "low"}))).await;
    let second = second["number"].as_str().unwrap().to_string();
    let (s, patched) = app.api(Method::PATCH, &format!("/api/v1/tickets/{second}"), &agent, Some(json!({"ci": "EXCH-01"}))).await;
    assert_eq!((s, patched["ci"]["name"].as_str()), (200, Some("EXCH-01")), "{patched}");
    let (s, patched) = app.api(Method::PATCH, &format!("/api/v1/tickets/{second}"), &agent, Some(json!({"ci": "DB-ORA-01"}))).await;
    assert_eq!((s, patched["ci"]["class"].as_str()), (200, Some("database")), "{patched}");
    let (s, e) = app.api(Method::PATCH, &format!("/api/v1/tickets/{second}"), &agent, Some(json!({"ci": "NOPE-404"}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["ci".to_string()]), "{e}");
    assert_eq!(app.api(Method::PATCH, &format!("/api/v1/tickets/{second}"), &riley, Some(json!({"ci": "EXCH-01"}))).await.0, 403);
    let (_, history) = app.api(Method::GET, &format!("/api/v1/tickets/{second}/history"), &agent, None).await;
    let ci_lines: Vec<(Value, Value)> = history.as_array().unwrap().iter().filter(|a| a["field"] == "ci").map(|a| (a["old_value"].clone(), a["new_value"].clone())).collect();
    assert_eq!(ci_lines, [(Value::Null, json!("EXCH-01")), (json!("EXCH-01"), json!("DB-ORA-01"))]);

    // The CI's history: its tickets, newest change first, and beside each ticket the others.
    let (s, detail) = app.api(Method::GET, "/api/v1/cis/db-ora-01", &agent, None).await;
    assert_eq!(s, 200, "{detail}");
    assert_eq!(numbers(&detail["recent_tickets"]), [second.clone(), first.clone()]);
    assert_eq!(detail["open_tickets"], 2);
    assert_eq!(app.api(Method::GET, &format!("/api/v1/cis/{id}"), &agent, None).await.1["name"], "DB-ORA-01");
    assert_eq!(app.api(Method::GET, "/api/v1/cis/unknown-ci", &agent, None).await.0, 404);
    let (_, context) = app.api(Method::GET, &format!("/api/v1/tickets/{first}/context"), &agent, None).await;
    assert_eq!(numbers(&context["ci_recent"]), [second.clone()], "{context}");

    // Clearing the CI takes the ticket out of the CI's history.
    let (s, cleared) = app.api(Method::PATCH, &format!("/api/v1/tickets/{second}"), &agent, Some(json!({"ci": null}))).await;
    assert_eq!((s, cleared["ci"].clone()), (200, Value::Null), "{cleared}");
    assert_eq!(numbers(&app.api(Method::GET, "/api/v1/cis/DB-ORA-01", &agent, None).await.1["recent_tickets"]), [first.clone()]);

    // A retired CI keeps its history but takes no new tickets.
    let (_, current) = app.api(Method::GET, &format!("/api/v1/cis/{id}"), &agent, None).await;
    let retire = json!({"name": "DB-ORA-01", "class": "database", "status": "retired", "version": current["version"]});
    assert_eq!(app.api(Method::PUT, &format!("/api/v1/cis/{id}"), &admin, Some(retire)).await.0, 200);
    let (s, e) = app.api(Method::POST, "/api/v1/tickets", &riley, Some(json!({"title": "Ledger down", "impact": "low", "urgency": "low", "ci": "DB-ORA-01"}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["ci".to_string()]), "{e}");
    assert!(e["error"]["fields"][0]["message"].as_str().unwrap().contains("retired"), "{e}");
    assert_eq!(app.api(Method::GET, &format!("/api/v1/tickets/{first}"), &agent, None).await.1["ci"]["status"], "retired");
});

fn names(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()).collect()
}

both_backends!(ci_names_are_found_by_any_part_ignoring_case, |app: common::TestApp| async move {
    let admin = app.token("admin").await;
    let agent = app.token("agent").await;
    for (name, class) in [("ÉCRAN-Salle_3", "workstation"), ("ecran-salle-30", "workstation"), ("Core-SW/B:2", "network_device"), ("db_ledger.lyon", "database")] {
        let (s, e) = app.api(Method::POST, "/api/v1/cis", &admin, Some(json!({"name": name, "class": class}))).await;
        assert_eq!(s, 201, "{name}: {e}");
    }
    let search = |q: &str| {
        let (app, agent, q) = (&app, agent.clone(), q.to_string());
        async move {
            let (s, page) = app.api(Method::GET, &format!("/api/v1/cis?q={}", urlencode(&q)), &agent, None).await;
            assert_eq!(s, 200, "{q}: {page}");
            assert_eq!(page["total"].as_u64().unwrap() as usize, page["items"].as_array().unwrap().len(), "{page}");
            names(&page)
        }
    };
    // Any part of the name, case ignored beyond ASCII, listed by name ignoring case.
    // (Order between names differing by accents is the database collation's.)
    let mut salle = search("salle").await;
    salle.sort();
    assert_eq!(salle, ["ecran-salle-30", "ÉCRAN-Salle_3"]);
    assert_eq!(search("écran").await, ["ÉCRAN-Salle_3"]);
    assert_eq!(search("Écran-SALLE_3").await, ["ÉCRAN-Salle_3"]);
    assert_eq!(search("sw/b:").await, ["Core-SW/B:2"]);
    assert_eq!(search("GER.LY").await, ["db_ledger.lyon"]);
    // Short parts (fewer characters than a trigram) still match.
    assert_eq!(search("/b").await, ["Core-SW/B:2"]);
    assert_eq!(search("b:").await, ["Core-SW/B:2"]);
    // `_` and `%` are characters, not wildcards.
    assert_eq!(search("salle_").await, ["ÉCRAN-Salle_3"]);
    assert_eq!(search("db_l").await, ["db_ledger.lyon"]);
    assert!(search("salle%3").await.is_empty());
    assert!(search("db%").await.is_empty());
    assert!(search("zzz-nothing").await.is_empty());

    // Exact lookups by name ignore case beyond ASCII too, for a CI's page and for tickets.
    let (s, ci) = app.api(Method::GET, &format!("/api/v1/cis/{}", urlencode("écran-salle_3")), &agent, None).await;
    assert_eq!((s, ci["name"].as_str()), (200, Some("ÉCRAN-Salle_3")), "{ci}");
    let (s, t) = app.api(Method::POST, "/api/v1/tickets", &agent, Some(json!({"title": "Screen flickers", "impact": "low", "urgency": "low", "ci": "écran-salle_3"}))).await;
    assert_eq!((s, t["ci"]["name"].as_str()), (201, Some("ÉCRAN-Salle_3")), "{t}");
    let (s, e) = app.api(Method::POST, "/api/v1/cis", &admin, Some(json!({"name": "écran-salle_3", "class": "workstation"}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["name".to_string()]), "{e}");

    // A renamed CI is found by its new name only.
    let id = ci["id"].as_i64().unwrap();
    let change = json!({"name": "Beamer-Salle-3", "class": "workstation", "version": ci["version"]});
    let (s, e) = app.api(Method::PUT, &format!("/api/v1/cis/{id}"), &admin, Some(change)).await;
    assert_eq!(s, 200, "{e}");
    assert_eq!(search("salle").await, ["Beamer-Salle-3", "ecran-salle-30"]);
    assert!(search("écran-salle_").await.is_empty());
});

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}
