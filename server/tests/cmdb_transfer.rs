//! CMDB CSV import and export on SQLite and PostgreSQL: every bad row reported with its line and
//! column, good rows applied (or, atomic, none), dry runs write nothing, re-imports change
//! nothing, and the export reads back through the import unchanged.

mod common;

use reqwest::Method;
use serde_json::Value;

async fn import(app: &common::TestApp, token: &str, query: &str, csv: &str) -> (u16, Value) {
    let r = app
        .http
        .post(app.url(&format!("/api/v1/cis/import{query}")))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv.to_string())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn export(app: &common::TestApp, token: &str, kind: &str) -> String {
    let r = app.http.get(app.url(&format!("/api/v1/cis/export?kind={kind}"))).bearer_auth(token).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    r.text().await.unwrap()
}

fn errors(report: &Value) -> Vec<(u64, String)> {
    report["errors"].as_array().unwrap().iter().map(|e| (e["line"].as_u64().unwrap(), e["column"].as_str().unwrap().to_string())).collect()
}

const CIS: &str = "name,class,status,service,support_group,location,description
SAP-APP-01,application,in_service,Email,Service Desk,Paris DC,\"ERP, finance\"
SAP-DB-01,database,,,Network Operations,Paris DC,
SAP-DB-02,database,maintenance,,,Lyon DC,Standby
bad name!,server,,,,,
SAP-X,toaster,gone,Nope,Nobody,,
sap-db-01,database,,,,,duplicate of line 3
";

both_backends!(cis_import_reports_bad_rows_and_applies_the_good_ones, |app: common::TestApp| async move {
    let admin = app.token("admin").await;
    let agent = app.token("agent").await;
    assert_eq!(import(&app, &agent, "", CIS).await.0, 403);
    let (s, e) = import(&app, &admin, "", " ").await;
    assert_eq!((s, e["error"]["fields"][0]["field"].as_str()), (422, Some("body")), "{e}");

    // A dry run plans and reports, writes nothing.
    let (s, plan) = import(&app, &admin, "?dry_run=true", CIS).await;
    assert_eq!(s, 200, "{plan}");
    assert_eq!((plan["kind"].as_str(), plan["rows"].as_u64(), plan["created"].as_u64(), plan["applied"].as_bool()), (Some("cis"), Some(6), Some(3), Some(false)), "{plan}");
    assert_eq!(errors(&plan), [(5, "name".into()), (6, "class".into()), (6, "status".into()), (6, "service".into()), (6, "support_group".into()), (7, "name".into())], "{plan}");
    assert_eq!(app.api(Method::GET, "/api/v1/cis?q=sap-", &agent, None).await.1["total"], 0);

    // Atomic with a bad row: nothing.
    let (_, none) = import(&app, &admin, "?atomic=true", CIS).await;
    assert_eq!(none["applied"], false, "{none}");
    assert_eq!(app.api(Method::GET, "/api/v1/cis?q=sap-", &agent, None).await.1["total"], 0);

    // Otherwise the good rows go in, audited.
    let (_, done) = import(&app, &admin, "", CIS).await;
    assert_eq!((done["applied"].as_bool(), done["created"].as_u64()), (Some(true), Some(3)), "{done}");
    let (_, db1) = app.api(Method::GET, "/api/v1/cis/SAP-DB-01", &agent, None).await;
    assert_eq!((db1["status"].as_str(), db1["support_group_name"].as_str(), db1["location"].as_str()), (Some("in_service"), Some("Network Operations"), Some("Paris DC")), "{db1}");
    let (_, app1) = app.api(Method::GET, "/api/v1/cis/SAP-APP-01", &agent, None).await;
    assert_eq!((app1["description"].as_str(), app1["service_name"].as_str()), (Some("ERP, finance"), Some("Email")));
    assert_eq!(app.audit_fields("configuration_item", db1["id"].as_i64().unwrap()).await, ["created"]);

    // Again: nothing changes. A changed row is an update, audited field by field.
    let (_, again) = import(&app, &admin, "", CIS).await;
    assert_eq!((again["created"].as_u64(), again["updated"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(0), Some(3)), "{again}");
    let changed = CIS.replace("SAP-DB-02,database,maintenance,,,Lyon DC,Standby", "SAP-DB-02,database,in_service,,,Lyon DC,Standby");
    let (_, upd) = import(&app, &admin, "", &changed).await;
    assert_eq!((upd["updated"].as_u64(), upd["preview"][0]["changes"].clone()), (Some(1), serde_json::json!(["status"])), "{upd}");
    let (_, db2) = app.api(Method::GET, "/api/v1/cis/SAP-DB-02", &agent, None).await;
    assert_eq!((db2["status"].as_str(), db2["version"].as_i64()), (Some("in_service"), Some(2)));

    // Relationships by name, with a redundancy set; bad rows named.
    let rels = "ci,type,target,redundancy_set,min_up
SAP-APP-01,depends_on,SAP-DB-01,db-pair,
SAP-APP-01,depends_on,SAP-DB-02,db-pair,1
SAP-DB-01,used_by,SAP-APP-01,,
SAP-APP-01,likes,SAP-DB-01,,
SAP-APP-01,depends_on,NOPE-404,,
SAP-APP-01,connected_to,SAP-APP-01,,
SAP-APP-01,runs_on,SAP-DB-01,,7
";
    let (_, r) = import(&app, &admin, "", rels).await;
    assert_eq!(r["kind"], "relationships", "{r}");
    assert_eq!(errors(&r), [(4, "target".into()), (5, "type".into()), (6, "target".into()), (7, "target".into()), (8, "min_up".into())], "{r}");
    assert_eq!((r["created"].as_u64(), r["applied"].as_bool()), (Some(2), Some(true)), "{r}");
    let (_, list) = app.api(Method::GET, "/api/v1/cis/SAP-APP-01/relationships", &agent, None).await;
    assert_eq!(list["redundancy_sets"][0]["members"], 2, "{list}");
    let (_, held) = app.api(Method::GET, "/api/v1/cis/SAP-DB-01/impact", &agent, None).await;
    assert_eq!(held["held"][0]["ci"]["name"], "SAP-APP-01", "{held}");

    // Not a CMDB file: a 422 saying why.
    let (s, bad) = import(&app, &admin, "", "foo,bar\n1,2\n").await;
    assert_eq!(s, 422, "{bad}");
    assert!(bad["error"]["fields"][0]["message"].as_str().unwrap().starts_with("line 1: Unknown header"), "{bad}");
    let (s, bad) = import(&app, &admin, "", "name,class,colour\nX1,server,red\n").await;
    assert_eq!(s, 422, "{bad}");
    assert!(bad["error"]["fields"][0]["message"].as_str().unwrap().starts_with("line 1, column colour: Unknown column 'colour'"), "{bad}");
});

both_backends!(imports_keep_what_the_file_does_not_say_and_refuse_whole_sets, |app: common::TestApp| async move {
    let admin = app.token("admin").await;
    let agent = app.token("agent").await;
    // CRLF line ends and a blank line: lines are still the file's.
    let (_, r) = import(&app, &admin, "", "name,class,location\r\nKEEP-01,server,Paris\r\n\r\nKEEP-02,toaster,Lyon\r\n").await;
    assert_eq!(errors(&r), [(4, "class".to_string())], "{r}");
    // A column the file lacks keeps the CI's value; a name made of digits is a name.
    assert_eq!(import(&app, &admin, "", "name,class,description\nKEEP-01,server,Primary\n4711,server,Asset tag as name\n").await.1["updated"], 1);
    let (_, k) = app.api(Method::GET, "/api/v1/cis/KEEP-01", &agent, None).await;
    assert_eq!((k["location"].as_str(), k["description"].as_str()), (Some("Paris"), Some("Primary")), "{k}");
    let (s, named) = app.api(Method::GET, "/api/v1/cis/4711", &agent, None).await;
    assert_eq!((s, named["name"].as_str()), (200, Some("4711")), "{named}");
    // A refused minimum refuses every row of its set; nothing of it is written.
    let (_, r) = import(&app, &admin, "", "ci,type,target,redundancy_set,min_up\nKEEP-01,depends_on,KEEP-02X,pair,\nKEEP-01,depends_on,4711,pair,3\nKEEP-01,runs_on,4711,,\n").await;
    assert_eq!(errors(&r), [(2, "target".to_string()), (3, "min_up".to_string())], "{r}");
    assert_eq!(r["created"], 1, "only the row outside the set: {r}");
    let (_, list) = app.api(Method::GET, "/api/v1/cis/KEEP-01/relationships", &agent, None).await;
    assert_eq!((list["items"].as_array().unwrap().len(), list["redundancy_sets"].clone()), (1, serde_json::json!([])), "{list}");
    // A file changing only a set's minimum says so, and applies it.
    import(&app, &admin, "", "name,class\nKEEP-03,server\n").await;
    let pair = "ci,type,target,redundancy_set,min_up\nKEEP-01,depends_on,4711,duo,1\nKEEP-01,depends_on,KEEP-03,duo,\n";
    assert_eq!(import(&app, &admin, "", pair).await.1["created"], 2);
    let (_, plan) = import(&app, &admin, "?dry_run=true", &pair.replace("duo,1", "duo,2")).await;
    assert_eq!((plan["updated"].as_u64(), plan["preview"][0]["changes"].clone()), (Some(1), serde_json::json!(["min_up"])), "{plan}");
    import(&app, &admin, "", &pair.replace("duo,1", "duo,2")).await;
    let (_, list) = app.api(Method::GET, "/api/v1/cis/KEEP-01/relationships", &agent, None).await;
    assert_eq!(list["redundancy_sets"][0]["min_up"], 2, "{list}");
});

both_backends!(the_export_reads_back_through_the_import_unchanged, |app: common::TestApp| async move {
    let admin = app.token("admin").await;
    let agent = app.token("agent").await;
    assert_eq!(app.http.get(app.url("/api/v1/cis/export")).bearer_auth(&agent).send().await.unwrap().status().as_u16(), 403);
    let cis = export(&app, &admin, "cis").await;
    assert!(cis.starts_with("name,class,status,service,support_group,location,description\n"), "{cis}");
    assert!(cis.contains("Remote access,business_service,in_service,VPN,Network Operations,Company-wide,"), "{cis}");
    let rels = export(&app, &admin, "relationships").await;
    assert!(rels.contains("Remote access,depends_on,VPN-GW-01,vpn-pair,1"), "{rels}");
    let (_, a) = import(&app, &admin, "", &cis).await;
    assert_eq!((a["unchanged"].as_u64(), a["created"].as_u64(), a["updated"].as_u64(), a["errors"].as_array().unwrap().len()), (Some(11), Some(0), Some(0), 0), "{a}");
    let (_, b) = import(&app, &admin, "", &rels).await;
    assert_eq!((b["unchanged"].as_u64(), b["created"].as_u64(), b["updated"].as_u64(), b["errors"].as_array().unwrap().len()), (Some(9), Some(0), Some(0), 0), "{b}");
    assert_eq!(export(&app, &admin, "cis").await, cis);
    assert_eq!(export(&app, &admin, "relationships").await, rels);
});
