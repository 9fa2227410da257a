//! Account hygiene on SQLite and PostgreSQL: deactivation, password change and reset, session
//! and token revocation — through REST, the pages' server fns and the command line — taking
//! effect at once, on every node and for open live streams.

mod common;

use futures::StreamExt;
use reqwest::Method;
use serde_json::json;
use std::time::Duration;

fn fields(body: &serde_json::Value) -> Vec<String> {
    body["error"]["fields"].as_array().map(|a| a.iter().map(|f| f["field"].as_str().unwrap_or("").to_string()).collect()).unwrap_or_default()
}

/// Whether a session cookie still signs its user in (the live stream accepts only sessions).
async fn session_works(app: &common::TestApp, cookie: &str) -> bool {
    let res = app.http.post(app.url("/api/auth/me")).header("cookie", cookie).header("origin", &app.base).send().await.unwrap();
    let body = res.text().await.unwrap();
    body.contains("user_id")
}

async fn token_works(app: &common::TestApp, token: &str) -> bool {
    let (s, _) = app.api(Method::GET, "/api/v1/tickets?limit=1", token, None).await;
    s == 200
}

both_backends!(a_deactivated_user_is_signed_out_everywhere_at_once, |app: common::TestApp| async move {
    let admin = app.token("admin").await;
    let agent_token = app.token("agent").await;
    let agent_id = app.user_id("agent").await;
    let cookie = app.login("agent", "oxidesk-demo").await.unwrap();
    assert!(token_works(&app, &agent_token).await, "and its actor is now cached");
    assert!(session_works(&app, &cookie).await);

    let (s, b) = app.api(Method::PUT, &format!("/api/v1/users/{agent_id}/active"), &agent_token, Some(json!({"active": false}))).await;
    assert_eq!(s, 403, "only admins: {b}");
    let admin_id = app.user_id("admin").await;
    let (s, b) = app.api(Method::PUT, &format!("/api/v1/users/{admin_id}/active"), &admin, Some(json!({"active": false}))).await;
    assert_eq!((s, fields(&b)), (422, vec!["active".to_string()]), "not yourself: {b}");
    let (s, b) = app.api(Method::PUT, "/api/v1/users/999999/active", &admin, Some(json!({"active": false}))).await;
    assert_eq!(s, 404, "{b}");

    let (s, b) = app.api(Method::PUT, &format!("/api/v1/users/{agent_id}/active"), &admin, Some(json!({"active": false}))).await;
    assert_eq!(s, 204, "{b}");
    assert!(!token_works(&app, &agent_token).await, "the cached token stops at once");
    assert!(!session_works(&app, &cookie).await, "the session ended");
    assert!(app.login("agent", "oxidesk-demo").await.is_none(), "sign-in refused");
    let page = app.http.get(app.url("/admin")).header("cookie", app.login("admin", "oxidesk-demo").await.unwrap()).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Deactivated"), "the users list says so");

    let (s, _) = app.api(Method::PUT, &format!("/api/v1/users/{agent_id}/active"), &admin, Some(json!({"active": true}))).await;
    assert_eq!(s, 204);
    assert!(token_works(&app, &agent_token).await, "a reactivated user's tokens work again");
    assert!(app.login("agent", "oxidesk-demo").await.is_some());
    let audit = app.audit_fields("user", agent_id).await;
    assert_eq!(audit.iter().filter(|f| *f == "active").count(), 2, "{audit:?}");
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivation_and_revocation_reach_every_node() {
    common::run(common::Backend::Postgres, |node1: common::TestApp| async move {
        let node2 = node1.second_node().await;
        let admin = node1.token("admin").await;
        let agent_token = node1.token("agent").await;
        let netops_token = node1.token("netops").await;
        assert!(token_works(&node2, &agent_token).await && token_works(&node2, &netops_token).await, "cached on node 2");
        let agent_id = node1.user_id("agent").await;
        let (s, _) = node1.api(Method::PUT, &format!("/api/v1/users/{agent_id}/active"), &admin, Some(json!({"active": false}))).await;
        assert_eq!(s, 204);
        let netops_id = node1.user_id("netops").await;
        let (_, tokens) = node1.api(Method::GET, &format!("/api/v1/users/{netops_id}/tokens"), &admin, None).await;
        let id = tokens[0]["id"].as_i64().unwrap();
        let (s, _) = node1.api(Method::DELETE, &format!("/api/v1/tokens/{id}"), &admin, None).await;
        assert_eq!(s, 204);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while token_works(&node2, &agent_token).await || token_works(&node2, &netops_token).await {
            assert!(tokio::time::Instant::now() < deadline, "node 2 still accepts the tokens after 5 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
}

both_backends!(tokens_are_listed_and_revoked_by_their_owner_or_an_admin, |app: common::TestApp| async move {
    let admin = app.token("admin").await;
    let first = app.token("agent").await;
    let second = app.token("agent").await;
    let netops = app.token("netops").await;
    let agent_id = app.user_id("agent").await;
    let (s, list) = app.api(Method::GET, &format!("/api/v1/users/{agent_id}/tokens"), &first, None).await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(!list.to_string().contains("oxd_"), "no secrets listed: {list}");
    let (s, _) = app.api(Method::GET, &format!("/api/v1/users/{agent_id}/tokens"), &netops, None).await;
    assert_eq!(s, 403, "not another agent's");
    let newest = list[0]["id"].as_i64().unwrap();
    let (s, _) = app.api(Method::DELETE, &format!("/api/v1/tokens/{newest}"), &netops, None).await;
    assert_eq!(s, 404, "another user's token is not found");
    assert!(token_works(&app, &second).await);
    let (s, _) = app.api(Method::DELETE, &format!("/api/v1/tokens/{newest}"), &first, None).await;
    assert_eq!(s, 204);
    assert!(!token_works(&app, &second).await, "revoked at once, though cached");
    assert!(token_works(&app, &first).await, "the other token is untouched");

    let (s, issued) = app.api(Method::POST, &format!("/api/v1/users/{agent_id}/tokens"), &first, Some(json!({"name": "monitoring"}))).await;
    assert_eq!(s, 201, "{issued}");
    let secret = issued["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("oxd_") && token_works(&app, &secret).await);
    let (s, b) = app.api(Method::POST, &format!("/api/v1/users/{agent_id}/tokens"), &first, Some(json!({"name": ""}))).await;
    assert_eq!((s, fields(&b)), (422, vec!["name".to_string()]));

    // Admins revoke anyone's token, from the admin page's server fn too.
    let admin_cookie = app.login("admin", "oxidesk-demo").await.unwrap();
    let id = issued["token"]["id"].as_i64().unwrap().to_string();
    let (s, body) = app.call_fn("/api/accounts/tokens/revoke", &admin_cookie, &[("token_id", &id)]).await;
    assert_eq!(s, 200, "{body}");
    assert!(!token_works(&app, &secret).await);
    let audit = app.audit_fields("user", agent_id).await;
    assert!(audit.iter().filter(|f| *f == "api_token").count() >= 4, "issued and revoked tokens are audited: {audit:?}");
    let _ = admin;
});

both_backends!(passwords_are_changed_with_the_current_one_and_reset_by_admins, |app: common::TestApp| async move {
    let laptop = app.login("agent", "oxidesk-demo").await.unwrap();
    let phone = app.login("agent", "oxidesk-demo").await.unwrap();
    let (s, body) = app.call_fn("/api/accounts/password", &laptop, &[("current_password", "not-it"), ("new_password", "a-new-secret-1")]).await;
    assert_eq!(s, 422, "{body}");
    assert!(body.to_string().contains("current_password"), "{body}");
    let (s, body) = app.call_fn("/api/accounts/password", &laptop, &[("current_password", "oxidesk-demo"), ("new_password", "short")]).await;
    assert_eq!(s, 422, "{body}");
    assert!(body.to_string().contains("new_password"), "{body}");
    let (s, body) = app.call_fn("/api/accounts/password", &laptop, &[("current_password", "oxidesk-demo"), ("new_password", "a-new-secret-1")]).await;
    assert_eq!(s, 200, "{body}");
    assert!(session_works(&app, &laptop).await, "the session that changed it stays");
    assert!(!session_works(&app, &phone).await, "every other session ended");
    assert!(app.login("agent", "oxidesk-demo").await.is_none());
    assert!(app.login("agent", "a-new-secret-1").await.is_some());

    // REST: your own password with a token (tokens keep working; sessions end).
    let token = app.token("agent").await;
    let (s, b) = app.api(Method::POST, "/api/v1/me/password", &token, Some(json!({"current_password": "a-new-secret-1", "new_password": "a-new-secret-2"}))).await;
    assert_eq!(s, 204, "{b}");
    assert!(token_works(&app, &token).await);
    assert!(!session_works(&app, &laptop).await);

    // An admin's reset ends the user's sessions.
    let session = app.login("agent", "a-new-secret-2").await.unwrap();
    let admin = app.token("admin").await;
    let agent_id = app.user_id("agent").await;
    let (s, b) = app.api(Method::PUT, &format!("/api/v1/users/{agent_id}/password"), &admin, Some(json!({"password": "x"}))).await;
    assert_eq!((s, fields(&b)), (422, vec!["password".to_string()]));
    let (s, b) = app.api(Method::PUT, &format!("/api/v1/users/{agent_id}/password"), &token, Some(json!({"password": "reset-by-admin"}))).await;
    assert_eq!(s, 403, "agents cannot reset passwords: {b}");
    let (s, _) = app.api(Method::PUT, &format!("/api/v1/users/{agent_id}/password"), &admin, Some(json!({"password": "reset-by-admin"}))).await;
    assert_eq!(s, 204);
    assert!(!session_works(&app, &session).await);
    assert!(app.login("agent", "reset-by-admin").await.is_some());
    let audit = app.audit_fields("user", agent_id).await;
    assert!(audit.contains(&"password_changed".to_string()) && audit.contains(&"password_reset".to_string()), "{audit:?}");
});

both_backends!(sessions_are_ended_by_their_user_or_an_admin, |app: common::TestApp| async move {
    let here = app.login("requester", "oxidesk-demo").await.unwrap();
    let there = app.login("requester", "oxidesk-demo").await.unwrap();
    let (s, body) = app.call_fn("/api/accounts/sessions/revoke", &here, &[]).await;
    assert_eq!((s, body), (200, json!(1)), "one other session ended");
    assert!(session_works(&app, &here).await && !session_works(&app, &there).await);
    let riley = app.user_id("requester").await.to_string();
    let jordan = app.login("jordan", "oxidesk-demo").await.unwrap();
    let (s, _) = app.call_fn("/api/accounts/sessions/revoke", &jordan, &[("user_id", &riley)]).await;
    assert_eq!(s, 403, "not another user's sessions");
    let admin = app.token("admin").await;
    let (s, b) = app.api(Method::DELETE, &format!("/api/v1/users/{riley}/sessions"), &admin, None).await;
    assert_eq!((s, b["revoked"].as_u64()), (200, Some(1)), "{b}");
    assert!(!session_works(&app, &here).await);
    let page = app.http.get(app.url("/account")).header("cookie", &jordan).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Your account") && page.contains("Jordan Employee") && page.contains("password-form"), "the account page renders");
});

both_backends!(an_open_live_stream_ends_when_its_session_does, |app: common::TestApp| async move {
    let cookie = app.login("agent", "oxidesk-demo").await.unwrap();
    let other = app.login("netops", "oxidesk-demo").await.unwrap();
    let open = |cookie: String| {
        let app = app.clone();
        async move {
            let res = app.http.get(app.url("/api/live")).header("cookie", cookie).send().await.unwrap();
            assert_eq!(res.status(), 200);
            res.bytes_stream()
        }
    };
    let mut mine = open(cookie.clone()).await;
    let mut theirs = open(other).await;
    assert!(mine.next().await.is_some() && theirs.next().await.is_some(), "hello");
    let admin = app.token("admin").await;
    let agent_id = app.user_id("agent").await;
    let (s, _) = app.api(Method::PUT, &format!("/api/v1/users/{agent_id}/active"), &admin, Some(json!({"active": false}))).await;
    assert_eq!(s, 204);
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(Ok(_)) = mine.next().await {}
    })
    .await;
    assert!(ended.is_ok(), "the deactivated agent's stream ended");
    let still = tokio::time::timeout(Duration::from_millis(500), theirs.next()).await;
    assert!(!matches!(still, Ok(None)), "another agent's stream goes on");
});

both_backends!(the_command_line_manages_accounts, |app: common::TestApp| async move {
    use clap::Parser;
    let run = |args: &[&str]| {
        let config = app.config.clone();
        let mut argv = vec!["oxidesk"];
        argv.extend_from_slice(args);
        let cli = oxidesk_server::cli::Cli::parse_from(argv);
        async move { oxidesk_server::cli::run(cli, config).await }
    };
    let token = app.token("netops").await;
    let cookie = app.login("netops", "oxidesk-demo").await.unwrap();
    run(&["deactivate-user", "--username", "netops"]).await.unwrap();
    assert!(!session_works(&app, &cookie).await);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while token_works(&app, &token).await {
        assert!(tokio::time::Instant::now() < deadline, "the serving node still accepts the token after 5 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    run(&["activate-user", "--username", "netops"]).await.unwrap();
    run(&["reset-password", "--username", "netops", "--password", "from-the-cli"]).await.unwrap();
    assert!(app.login("netops", "from-the-cli").await.is_some());
    run(&["revoke-sessions", "--username", "netops"]).await.unwrap();
    run(&["list-tokens", "--username", "netops"]).await.unwrap();
    let netops_id = app.user_id("netops").await;
    let tokens = app::services::accounts::list_tokens(&app.ctx, None, netops_id).await.unwrap();
    run(&["revoke-token", "--id", &tokens[0].id.to_string()]).await.unwrap();
    assert!(app::services::accounts::list_tokens(&app.ctx, None, netops_id).await.unwrap().is_empty());
    assert!(run(&["deactivate-user", "--username", "nobody"]).await.is_err());
});
