//! Security findings, each confirmed against a running server before its fix: what requesters
//! must not receive, redirects, sign-in throttling, numeric bounds, deflection counting, markdown
//! images and security headers, file permissions, body limits.

mod common;

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::json;

fn fields(body: &serde_json::Value) -> Vec<String> {
    body["error"]["fields"].as_array().map(|a| a.iter().map(|f| f["field"].as_str().unwrap_or("").to_string()).collect()).unwrap_or_default()
}

async fn new_ticket(app: &common::TestApp, token: &str, title: &str) -> String {
    let (s, t) = app
        .api(Method::POST, "/api/v1/tickets", token, Some(json!({"title": title, "description": "Raised by a test", "impact": "high", "urgency": "high"})))
        .await;
    assert_eq!(s, 201, "{t}");
    t["number"].as_str().unwrap().to_string()
}

async fn get(app: &common::TestApp, token: &str, key: &str) -> serde_json::Value {
    let (s, t) = app.api(Method::GET, &format!("/api/v1/tickets/{key}"), token, None).await;
    assert_eq!(s, 200, "{t}");
    t
}

async fn history_text(app: &common::TestApp, token: &str, key: &str) -> String {
    let (s, h) = app.api(Method::GET, &format!("/api/v1/tickets/{key}/history"), token, None).await;
    assert_eq!(s, 200, "{h}");
    h.to_string()
}

async fn page(app: &common::TestApp, cookie: &str, path: &str) -> String {
    let res = app.http.get(app.url(path)).header("cookie", cookie).send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}

both_backends!(requesters_never_receive_override_reasons_sla_lines_or_other_requesters_links, |app: common::TestApp| async move {
    let riley = app.token("requester").await;
    let jordan = app.token("jordan").await;
    let agent = app.token("agent").await;
    let riley_cookie = app.login("requester", "oxidesk-demo").await.unwrap();
    let jordan_cookie = app.login("jordan", "oxidesk-demo").await.unwrap();

    // A priority override's reason is staff text.
    let mine = new_ticket(&app, &riley, "Payroll export fails").await;
    let (s, t) = app
        .api(Method::PATCH, &format!("/api/v1/tickets/{mine}"), &agent, Some(json!({"priority": "1", "priority_reason": "CFO escalated privately"})))
        .await;
    assert_eq!((s, t["priority_reason"].as_str()), (200, Some("CFO escalated privately")), "{t}");
    assert_eq!(get(&app, &agent, &mine).await["priority_reason"], "CFO escalated privately");
    let seen = get(&app, &riley, &mine).await;
    assert!(seen["priority_reason"].is_null(), "{seen}");
    assert_eq!(seen["priority_overridden"], true, "the override itself is no secret");
    let portal = page(&app, &riley_cookie, &format!("/portal/tickets/{mine}")).await;
    assert!(portal.contains("Payroll export fails"), "the page rendered the ticket");
    assert!(!portal.contains("CFO escalated privately"), "nor in the page or its hydration data");

    // Links to other requesters' tickets: a major incident and a duplicate across organisations.
    let major = new_ticket(&app, &riley, "Riley's secret project server down").await;
    let child = new_ticket(&app, &jordan, "Cannot reach the intranet").await;
    let dup = new_ticket(&app, &jordan, "Intranet unreachable again").await;
    let (s, b) = app.api(Method::POST, &format!("/api/v1/tickets/{child}/links"), &agent, Some(json!({"kind": "child_of", "target": major}))).await;
    assert_eq!(s, 204, "{b}");
    let (s, b) = app.api(Method::POST, &format!("/api/v1/tickets/{dup}/links"), &agent, Some(json!({"kind": "duplicate_of", "target": major}))).await;
    assert_eq!(s, 204, "{b}");
    assert_eq!(get(&app, &agent, &child).await["parent"]["number"], major.as_str(), "agents still see every link");
    let c = get(&app, &jordan, &child).await;
    assert!(c["parent"].is_null(), "{c}");
    let d = get(&app, &jordan, &dup).await;
    assert!(d["duplicate_of"].is_null(), "{d}");
    assert!(!d.to_string().contains(&major), "the resolution note does not name it either: {d}");
    let m = get(&app, &riley, &major).await;
    assert_eq!((m["children"].as_array().unwrap().len(), m["duplicates"].as_array().unwrap().len()), (0, 0), "{m}");
    for (token, key, other) in [(&jordan, &child, &major), (&jordan, &dup, &major), (&riley, &major, &child), (&riley, &major, &dup)] {
        let h = history_text(&app, token, key).await;
        assert!(!h.contains(other.as_str()), "{key}'s history names {other}: {h}");
    }
    for (cookie, key, secret) in [(&jordan_cookie, &child, "secret project"), (&riley_cookie, &major, "Cannot reach the intranet")] {
        let html = page(&app, cookie, &format!("/portal/tickets/{key}")).await;
        assert!(!html.contains(secret), "{key}'s page shows '{secret}'");
    }
    // A link between one requester's own tickets stays visible to them.
    let own_dup = new_ticket(&app, &riley, "Payroll export fails again").await;
    let (s, b) = app.api(Method::POST, &format!("/api/v1/tickets/{own_dup}/links"), &agent, Some(json!({"kind": "duplicate_of", "target": mine}))).await;
    assert_eq!(s, 204, "{b}");
    let d = get(&app, &riley, &own_dup).await;
    assert_eq!(d["duplicate_of"]["number"], mine.as_str(), "{d}");
    assert_eq!(d["resolution_note"], format!("Duplicate of {mine}"));
    assert!(history_text(&app, &riley, &own_dup).await.contains(&mine));

    // SLA warnings and breaches: agents see them, requesters (whose clocks are hidden) do not.
    let fired = app::services::sla::fire_due_timers(&app.ctx, Utc::now() + Duration::hours(6)).await.unwrap();
    assert!(fired > 0);
    let staff = history_text(&app, &agent, &mine).await;
    assert!(staff.contains("sla_warning") && staff.contains("sla_breached"), "{staff}");
    let requester = history_text(&app, &riley, &mine).await;
    assert!(!requester.contains("sla_"), "{requester}");
});

both_backends!(sign_in_goes_only_to_clean_local_paths, |app: common::TestApp| async move {
    let cases = [
        ("/console/tickets/INC-000001", "/console/tickets/INC-000001"),
        ("//evil.example", "/console"),
        ("/\t/evil.example", "/console"),
        ("/\\evil.example", "/console"),
        ("/console\r\nSet-Cookie: stolen=1", "/console"),
        ("https://evil.example/", "/console"),
    ];
    for (next, expected) in cases {
        let res = app.post_form("/api/auth/login", None, &[("username", "agent"), ("password", "oxidesk-demo"), ("next", next)]).await;
        assert_eq!(res.status(), 302, "{next:?}");
        assert_eq!(res.headers()["location"], expected, "{next:?}");
        assert!(res.headers().get_all("set-cookie").iter().all(|c| !c.to_str().unwrap_or("").contains("stolen")));
    }
});

both_backends!(failed_sign_ins_are_throttled_per_account_with_retry_after, |app: common::TestApp| async move {
    let attempt = |password: &'static str| {
        let app = app.clone();
        async move {
            app.http
                .post(app.url("/api/auth/login"))
                .header("origin", &app.base)
                .form(&[("username", "agent"), ("password", password)])
                .send()
                .await
                .unwrap()
        }
    };
    for _ in 0..5 {
        assert_eq!(attempt("wrong-password").await.status(), 401);
    }
    let res = attempt("oxidesk-demo").await;
    assert_eq!(res.status(), 429, "even the right password waits once the account is throttled");
    let retry: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=2).contains(&retry), "{retry}");
    assert!(app.login("requester", "oxidesk-demo").await.is_some(), "other accounts are not affected");
    tokio::time::sleep(std::time::Duration::from_millis(1100 * retry)).await;
    assert_eq!(attempt("oxidesk-demo").await.status(), 200, "after the wait the right password signs in");
    for _ in 0..5 {
        assert_eq!(attempt("wrong-password").await.status(), 401, "a success starts the count afresh");
    }
});

both_backends!(out_of_range_numbers_are_refused_with_the_field_named, |app: common::TestApp| async move {
    let agent = app.token("agent").await;
    for path in ["/api/v1/tickets", "/api/v1/cis"] {
        let (s, b) = app.api(Method::GET, &format!("{path}?offset=9223372036854775808"), &agent, None).await;
        assert_eq!((s, fields(&b)), (422, vec!["offset".to_string()]), "{path}: {b}");
        let (s, b) = app.api(Method::GET, &format!("{path}?offset=18446744073709551615&limit=0"), &agent, None).await;
        assert_eq!((s, fields(&b)), (422, vec!["limit".to_string(), "offset".to_string()]), "{path}: {b}");
        let (s, b) = app.api(Method::GET, &format!("{path}?limit=201"), &agent, None).await;
        assert_eq!((s, fields(&b)), (422, vec!["limit".to_string()]), "{path}: {b}");
        let (s, b) = app.api(Method::GET, &format!("{path}?offset=9223372036854775807&limit=200"), &agent, None).await;
        assert_eq!(s, 200, "the largest offset is an empty page: {b}");
    }
    let (s, b) = app.api(Method::GET, "/api/v1/tickets?updated=9223372036854775807", &agent, None).await;
    assert_eq!((s, fields(&b)), (422, vec!["updated".to_string()]), "{b}");
});

both_backends!(a_deflection_counts_once_per_requester_article_and_day, |app: common::TestApp| async move {
    let admin = app.token("admin").await;
    let (s, a) = app
        .api(Method::POST, "/api/v1/kb/articles", &admin, Some(json!({"title": "Reset your VPN token", "body": "Open the portal and choose Reset.", "audience": "public"})))
        .await;
    assert_eq!(s, 201, "{a}");
    let number = a["number"].as_str().unwrap().to_string();
    let (s, b) = app.api(Method::POST, &format!("/api/v1/kb/articles/{number}/state"), &admin, Some(json!({"state": "published"}))).await;
    assert!(s == 200 || s == 204, "{s} {b}");
    let cookie = app.login("requester", "oxidesk-demo").await.unwrap();
    let deflected = [("query", "vpn token"), ("suggested", number.as_str()), ("solved_by", number.as_str())];
    let mut answers = vec![];
    for _ in 0..5 {
        let (s, answer) = app.call_fn("/api/kb/deflected", &cookie, &deflected).await;
        assert_eq!(s, 200, "{answer}");
        answers.push(answer);
    }
    assert_eq!(answers, [json!(true), json!(false), json!(false), json!(false), json!(false)]);
    let other = app.login("jordan", "oxidesk-demo").await.unwrap();
    assert_eq!(app.call_fn("/api/kb/deflected", &other, &deflected).await, (200, json!(true)), "another requester's deflection counts");
    use app::services::entities::kb_deflection;
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(kb_deflection::Entity::find().count(&app.ctx.db).await.unwrap(), 2);
});

both_backends!(pages_send_a_strict_csp_and_articles_keep_only_local_images, |app: common::TestApp| async move {
    let admin = app.token("admin").await;
    let body = "Steps:\n\n![diagram](/attachments/1)\n\n![pixel](https://tracker.example/p.gif?u=1)";
    let (s, a) = app.api(Method::POST, "/api/v1/kb/articles", &admin, Some(json!({"title": "Printer setup", "body": body, "audience": "public"}))).await;
    assert_eq!(s, 201, "{a}");
    let html = a["body_html"].as_str().unwrap_or_default().to_string();
    assert!(html.contains(r#"src="/attachments/1""#), "{a}");
    assert!(!html.contains("tracker.example"), "{html}");

    let res = app.http.get(app.url("/login")).send().await.unwrap();
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_string();
    let page = res.text().await.unwrap();
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce in the policy").to_string();
    assert!(csp.contains("default-src 'self'") && csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(page.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the policy's nonce");
    let again = app.http.get(app.url("/login")).send().await.unwrap();
    assert_ne!(again.headers()["content-security-policy"].to_str().unwrap(), csp, "a fresh nonce per page");
    let res = app.http.get(app.url("/health")).send().await.unwrap();
    assert_eq!(res.headers()["content-security-policy"], "default-src 'none'; frame-ancestors 'none'");
    assert!(res.headers().get("strict-transport-security").is_none(), "no HSTS over plain HTTP");
});

#[tokio::test]
async fn hsts_is_sent_when_cookies_are_secure() {
    let tmp = tempfile::tempdir().unwrap();
    let config = oxidesk_server::config::Config { data_dir: tmp.path().to_path_buf(), secure_cookies: true, ..Default::default() };
    let ctx = oxidesk_server::connect(&config).await.unwrap();
    let app = oxidesk_server::router::build(oxidesk_server::ServerState::start(&config, ctx).await.unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let res = reqwest::get(format!("http://{addr}/health")).await.unwrap();
    assert_eq!(res.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
}

#[tokio::test]
async fn the_data_directory_and_database_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let data_dir = tmp.path().join("data");
    let config = oxidesk_server::config::Config { data_dir: data_dir.clone(), ..Default::default() };
    let ctx = oxidesk_server::connect(&config).await.unwrap();
    app::services::demo::load_if_empty(&ctx).await.unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data_dir), 0o700);
    assert_eq!(mode(&data_dir.join("search")), 0o700);
    for file in ["oxidesk.db", "oxidesk.db-wal", "oxidesk.db-shm"] {
        assert_eq!(mode(&data_dir.join(file)), 0o600, "{file}");
    }
    // An existing world-readable directory and database are made private on start.
    drop(ctx);
    std::fs::set_permissions(&data_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(data_dir.join("oxidesk.db"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let _ctx = oxidesk_server::connect(&config).await.unwrap();
    assert_eq!(mode(&data_dir), 0o700);
    assert_eq!(mode(&data_dir.join("oxidesk.db")), 0o600);
}

both_backends!(an_oversized_server_fn_body_is_413, |app: common::TestApp| async move {
    let cookie = app.login("requester", "oxidesk-demo").await.unwrap();
    let huge = "x".repeat(3 * 1024 * 1024);
    let before = app.ticket_count().await;
    let res = app
        .http
        .post(app.url("/api/tickets/create"))
        .header("cookie", &cookie)
        .header("origin", &app.base)
        .form(&[("title", "Big"), ("description", huge.as_str()), ("impact", "low"), ("urgency", "low")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    let res = app
        .http
        .post(app.url("/api/tickets/create"))
        .header("cookie", &cookie)
        .header("origin", &app.base)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("title=%ZZ&&&")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400, "an undecodable body is the client's error");
    let token = app.token("requester").await;
    let (s, b) = app.api(Method::POST, "/api/v1/tickets", &token, Some(json!({"title": "Big", "description": huge, "impact": "low", "urgency": "low"}))).await;
    assert_eq!((s, b["error"]["code"].as_str()), (413, Some("payload_too_large")), "REST too: {b}");
    assert_eq!(app.ticket_count().await, before);
});
