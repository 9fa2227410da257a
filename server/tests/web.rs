//! Server functions and pages over HTTP as a browser uses them: sign-in, CSRF, form posts.

mod common;

both_backends!(login_sets_an_httponly_cookie_and_wrong_password_is_refused, |app: common::TestApp| async move {
    let res = app.post_form("/api/auth/login", None, &[("username", "agent"), ("password", "wrong-password")]).await;
    let location = res.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or("").to_string();
    assert!(res.headers().get("set-cookie").is_none());
    assert!(location.contains("__err="), "JS-off error goes back to the form: {location}");
    let res = app.post_form("/api/auth/login", None, &[("username", "agent"), ("password", "oxidesk-demo"), ("next", "/console/tickets/INC-000001")]).await;
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/console/tickets/INC-000001");
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    // Open redirects are refused.
    let res = app.post_form("/api/auth/login", None, &[("username", "agent"), ("password", "oxidesk-demo"), ("next", "//evil.example")]).await;
    assert_eq!(res.headers()["location"], "/console");
});

both_backends!(cross_site_form_posts_are_refused, |app: common::TestApp| async move {
    let cookie = app.login("requester", "oxidesk-demo").await.expect("logged in");
    let before = app.ticket_count().await;
    let res = app
        .http
        .post(app.url("/api/tickets/create"))
        .header("cookie", &cookie)
        .header("origin", "http://evil.example")
        .form(&[("title", "csrf"), ("description", ""), ("impact", "low"), ("urgency", "low")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = app
        .http
        .post(app.url("/api/tickets/create"))
        .header("cookie", &cookie)
        .form(&[("title", "csrf"), ("description", ""), ("impact", "low"), ("urgency", "low")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "no Origin/Referer/Sec-Fetch-Site at all is refused too");
    assert_eq!(app.ticket_count().await, before);
});

both_backends!(portal_form_post_creates_ticket_without_javascript, |app: common::TestApp| async move {
    let cookie = app.login("requester", "oxidesk-demo").await.expect("logged in");
    let before = app.ticket_count().await;
    let res = app
        .post_form("/api/tickets/create", Some(&cookie), &[("title", "Monitor flickers"), ("description", "Since Monday"), ("impact", "low"), ("urgency", "medium")])
        .await;
    assert_eq!(res.status(), 302);
    assert_eq!(app.ticket_count().await, before + 1);
    let page = app.http.get(app.url("/portal")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Monitor flickers"), "server-rendered My tickets lists the new ticket");
    assert!(page.contains("INC-000006"));
    // An empty title comes back to the form with a field message, nothing created.
    let res = app.post_form("/api/tickets/create", Some(&cookie), &[("title", ""), ("description", ""), ("impact", "low"), ("urgency", "low")]).await;
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(app.ticket_count().await, before + 1);
    let back = location.replace(&app.base, "");
    let page = app.http.get(app.url(&back)).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Title is required"), "field message rendered server-side");
});

both_backends!(pages_require_the_right_role, |app: common::TestApp| async move {
    let res = app.http.get(app.url("/console")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(res.status(), 302, "strangers are sent to sign in");
    assert_eq!(res.headers()["location"], "/login?next=/console");
    let requester = app.login("requester", "oxidesk-demo").await.unwrap();
    let page = app.http.get(app.url("/console")).header("cookie", &requester).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("You are not allowed to see this page."));
    assert!(!page.contains("id=\"queue\""));
    let page = app.http.get(app.url("/admin")).header("cookie", &requester).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("id=\"users\""));
    let admin = app.login("admin", "oxidesk-demo").await.unwrap();
    let page = app.http.get(app.url("/admin")).header("cookie", &admin).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"users\"") && page.contains("requester@example.com"));
    // The data itself is refused server-side, not only hidden in the UI.
    let res = app.post_form("/api/admin/users", Some(&requester), &[]).await;
    assert_ne!(res.status(), 200);
});

both_backends!(admin_creates_user_with_validation, |app: common::TestApp| async move {
    let admin = app.login("admin", "oxidesk-demo").await.unwrap();
    let res = app
        .post_form("/api/admin/users/create", Some(&admin), &[("username", "x"), ("display_name", ""), ("email", "nope"), ("role", "root"), ("password", "short")])
        .await;
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.contains("__err="));
    let res = app
        .post_form("/api/admin/users/create", Some(&admin), &[("username", "dana"), ("display_name", "Dana Desk"), ("email", "dana@example.com"), ("role", "agent"), ("password", "long enough pw")])
        .await;
    assert_eq!(res.status(), 302);
    assert!(app.login("dana", "long enough pw").await.is_some(), "new user can sign in");
    let res = app
        .post_form("/api/admin/users/create", Some(&admin), &[("username", "dana"), ("display_name", "Dup"), ("email", "d@example.com"), ("role", "agent"), ("password", "long enough pw")])
        .await;
    assert!(res.headers()["location"].to_str().unwrap().contains("__err="), "duplicate username refused");
    let agent = app.login("agent", "oxidesk-demo").await.unwrap();
    let res = app
        .post_form("/api/admin/users/create", Some(&agent), &[("username", "eve"), ("display_name", "Eve"), ("email", "eve@example.com"), ("role", "admin"), ("password", "long enough pw")])
        .await;
    assert!(res.headers()["location"].to_str().unwrap().contains("__err="), "agents cannot create users");
    assert!(app.login("eve", "long enough pw").await.is_none());
});

both_backends!(admin_adds_categories_under_services, |app: common::TestApp| async move {
    let admin = app.login("admin", "oxidesk-demo").await.unwrap();
    let res = app.post_form("/api/admin/category", Some(&admin), &[("name", "Printers"), ("service_id", "4")]).await;
    assert_eq!(res.status(), 302);
    assert!(!res.headers()["location"].to_str().unwrap().contains("__err="));
    let (services, categories) = app::services::reference::list_catalog(&app.ctx).await.unwrap();
    let printing = services.iter().find(|s| s.name == "Printing").unwrap().id;
    assert_eq!(printing, 4);
    let added = categories.iter().find(|c| c.name == "Printers").expect("category saved");
    assert_eq!(added.service_name.as_deref(), Some("Printing"));
    let dup = app.post_form("/api/admin/category", Some(&admin), &[("name", "Printers"), ("service_id", "")]).await;
    assert!(dup.headers()["location"].to_str().unwrap().contains("__err="), "duplicate refused");
    let agent = app.login("agent", "oxidesk-demo").await.unwrap();
    let denied = app.post_form("/api/admin/category", Some(&agent), &[("name", "Sneaky"), ("service_id", "")]).await;
    assert!(denied.headers()["location"].to_str().unwrap().contains("__err="));
    let (_, categories) = app::services::reference::list_catalog(&app.ctx).await.unwrap();
    assert!(!categories.iter().any(|c| c.name == "Sneaky"), "agents cannot add categories");
    let page = app.http.get(app.url("/admin")).header("cookie", &admin).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("data-category=\"Printers\""));
});
