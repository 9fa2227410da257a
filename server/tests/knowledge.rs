//! Knowledge base on SQLite and PostgreSQL: lifecycle rules, audience filtering (API, server fn,
//! portal page), sanitising, revisions and diffs, votes, articles from tickets, deflection,
//! import, search-index catch-up after a crash, rebuild (by command and on a new index), and relevance
//! on a test corpus.

mod common;

use app::services::search::{indexer, SearchIndex};
use app::services::{auth, knowledge, AppContext};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

async fn create(app: &common::TestApp, token: &str, body: Value) -> Value {
    let (s, a) = app.api(Method::POST, "/api/v1/kb/articles", token, Some(body)).await;
    assert_eq!(s, 201, "{a}");
    a
}

async fn set_state(app: &common::TestApp, token: &str, number: &str, state: &str) -> (u16, Value) {
    app.api(Method::POST, &format!("/api/v1/kb/articles/{number}/state"), token, Some(json!({ "state": state }))).await
}

/// Writes an article and has an admin publish it.
async fn published(app: &common::TestApp, title: &str, body: &str, audience: &str) -> String {
    let admin = app.token("admin").await;
    let a = create(app, &admin, json!({"title": title, "body": body, "audience": audience, "tags": ["test"]})).await;
    let number = a["number"].as_str().unwrap().to_string();
    let (s, p) = set_state(app, &admin, &number, "published").await;
    assert_eq!(s, 200, "{p}");
    number
}

async fn search(app: &common::TestApp, token: &str, q: &str) -> Vec<String> {
    let (s, r) = app.api(Method::GET, &format!("/api/v1/kb/search?q={}&limit=20", urlencode(q)), token, None).await;
    assert_eq!(s, 200, "{r}");
    r["hits"].as_array().unwrap().iter().map(|h| h["number"].as_str().unwrap().to_string()).collect()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// Polls the search API until `number` is found for `q` (the indexer commits asynchronously).
async fn wait_indexed(app: &common::TestApp, token: &str, q: &str, number: &str) {
    for _ in 0..100 {
        if search(app, token, q).await.iter().any(|n| n == number) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{number} never became searchable for {q:?}");
}

both_backends!(lifecycle_rules_and_roles, |app: common::TestApp| async move {
    let agent = app.token("agent").await;
    let admin = app.token("admin").await;
    let requester = app.token("requester").await;
    let (s, e) = app.api(Method::POST, "/api/v1/kb/articles", &requester, Some(json!({"title": "Mine", "body": "x"}))).await;
    assert_eq!(s, 403, "{e}");
    let (s, e) = app.api(Method::POST, "/api/v1/kb/articles", &agent, Some(json!({"title": "ab", "body": " ", "audience": "all", "review_by": "soon"}))).await;
    assert_eq!(s, 422, "{e}");
    let fields: Vec<&str> = e["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["title", "body", "audience", "review_by"]);

    let a = create(&app, &agent, json!({"title": "Reset your VPN password", "body": "Use the **self-service** page."})).await;
    let number = a["number"].as_str().unwrap();
    assert_eq!((a["state"].as_str(), a["revision"].as_i64()), (Some("draft"), Some(1)));
    let (s, _) = app.api(Method::GET, &format!("/api/v1/kb/articles/{number}"), &requester, None).await;
    assert_eq!(s, 404, "requesters do not see drafts");
    assert_eq!(set_state(&app, &agent, number, "in_review").await.0, 200);
    assert_eq!(set_state(&app, &agent, number, "published").await.0, 403, "agents cannot publish");
    assert_eq!(set_state(&app, &admin, number, "retired").await.0, 422, "in review cannot be retired");
    let (s, p) = set_state(&app, &admin, number, "published").await;
    assert_eq!((s, p["state"].as_str()), (200, Some("published")));
    assert!(p["published_at"].is_string());
    let (s, r) = app.api(Method::GET, &format!("/api/v1/kb/articles/{number}"), &requester, None).await;
    assert_eq!(s, 200, "{r}");
    wait_indexed(&app, &requester, "vpn password", number).await;
    assert_eq!(set_state(&app, &admin, number, "retired").await.0, 200);
    for _ in 0..100 {
        if !search(&app, &requester, "vpn password").await.iter().any(|n| n == number) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!search(&app, &admin, "vpn password").await.iter().any(|n| n == number), "retired articles leave the index");
    // The audit trail has the lifecycle.
    let states = state_audit(&app.ctx, number).await;
    assert_eq!(states, ["draft→in_review", "in_review→published", "published→retired"]);
});

/// The article's state changes from its audit trail, as `old→new`.
async fn state_audit(ctx: &AppContext, number: &str) -> Vec<String> {
    use app::services::entities::audit_entry;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let id = app::domain::ArticleNumber::parse(number).unwrap().id();
    audit_entry::Entity::find()
        .filter(audit_entry::Column::EntityType.eq("kb_article"))
        .filter(audit_entry::Column::EntityId.eq(id))
        .filter(audit_entry::Column::Field.eq("state"))
        .order_by_asc(audit_entry::Column::Id)
        .all(&ctx.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| format!("{}→{}", a.old_value.unwrap_or_default(), a.new_value.unwrap_or_default()))
        .collect()
}

both_backends!(requesters_never_get_agent_only_articles, |app: common::TestApp| async move {
    let public = published(&app, "Renew the VPN certificate on your laptop", "Open the VPN client and choose renew certificate.", "public").await;
    let internal = published(&app, "Rotate the VPN gateway certificate", "Runbook: rotate the gateway certificate on both VPN nodes.", "agents").await;
    let agent = app.token("agent").await;
    let requester = app.token("requester").await;
    wait_indexed(&app, &agent, "vpn certificate", &internal).await;
    wait_indexed(&app, &agent, "vpn certificate", &public).await;
    // API
    let found = search(&app, &requester, "vpn gateway certificate rotate").await;
    assert!(found.contains(&public) && !found.contains(&internal), "{found:?}");
    let (s, _) = app.api(Method::GET, &format!("/api/v1/kb/articles/{internal}"), &requester, None).await;
    assert_eq!(s, 404);
    // Server fns (search, suggestions, related)
    let cookie = app.login("requester", "oxidesk-demo").await.unwrap();
    let (s, r) = app.call_fn("/api/kb/search", &cookie, &[("q", "gateway certificate"), ("limit", "20")]).await;
    assert_eq!(s, 200, "{r}");
    assert!(!r.to_string().contains(&internal), "{r}");
    let (s, r) = app.call_fn("/api/kb/suggest", &cookie, &[("text", "rotate the gateway certificate on the vpn nodes")]).await;
    assert_eq!(s, 200, "{r}");
    assert!(!r.to_string().contains(&internal) && r.to_string().contains(&public), "{r}");
    let (s, r) = app.call_fn("/api/kb/related", &cookie, &[("number", public.as_str())]).await;
    assert_eq!(s, 200, "{r}");
    assert!(!r.to_string().contains(&internal), "{r}");
    // The portal page (server-rendered)
    let html = app
        .http
        .get(app.url("/portal/kb?q=gateway+certificate+rotate"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&public), "the public article is listed");
    assert!(!html.contains(&internal) && !html.contains("Rotate the VPN gateway"), "no agent-only article in the page");
    // Agents see both.
    let found = search(&app, &agent, "vpn gateway certificate rotate").await;
    assert!(found.contains(&public) && found.contains(&internal));
});

both_backends!(bodies_are_sanitised, |app: common::TestApp| async move {
    let number = published(
        &app,
        "Printer setup guide",
        "Steps <script>alert('x')</script> [click me](javascript:alert(1)) <a href=\"javascript:alert(2)\" onclick=\"steal()\">link</a> <img src=x onerror=alert(3)>\n\n**Done**",
        "public",
    )
    .await;
    let requester = app.token("requester").await;
    let (_, a) = app.api(Method::GET, &format!("/api/v1/kb/articles/{number}"), &requester, None).await;
    let html = a["body_html"].as_str().unwrap().to_lowercase();
    for bad in ["<script", "javascript:", "onclick", "onerror"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    assert!(html.contains("<strong>done</strong>"));
    let cookie = app.login("requester", "oxidesk-demo").await.unwrap();
    let page = app.http.get(app.url(&format!("/portal/kb/{number}"))).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Printer setup guide"));
    assert!(!page.contains("alert('x')") && !page.contains("javascript:alert"), "nothing executable reaches the page");
});

both_backends!(revisions_conflicts_and_diffs, |app: common::TestApp| async move {
    let agent = app.token("agent").await;
    let a = create(&app, &agent, json!({"title": "Map a network printer", "body": "Open Settings.\nChoose Printers.\n"})).await;
    let number = a["number"].as_str().unwrap();
    let update = json!({"title": "Map a network printer on Windows 11", "body": "Open Settings.\nChoose Printers & scanners.\n", "version": 1, "note": "Windows 11 wording"});
    let (s, b) = app.api(Method::PUT, &format!("/api/v1/kb/articles/{number}"), &agent, Some(update.clone())).await;
    assert_eq!((s, b["revision"].as_i64(), b["version"].as_i64()), (200, Some(2), Some(2)), "{b}");
    let (s, e) = app.api(Method::PUT, &format!("/api/v1/kb/articles/{number}"), &agent, Some(update)).await;
    assert_eq!(s, 409, "a save over a newer version is refused: {e}");
    let cookie = app.login("agent", "oxidesk-demo").await.unwrap();
    let (s, d) = app.call_fn("/api/kb/diff", &cookie, &[("number", number), ("from", "1"), ("to", "2")]).await;
    assert_eq!(s, 200, "{d}");
    let lines: Vec<(String, String)> =
        d.as_array().unwrap().iter().map(|l| (l["kind"].as_str().unwrap().into(), l["text"].as_str().unwrap().into())).collect();
    assert!(lines.contains(&("removed".into(), "Choose Printers.".into())), "{lines:?}");
    assert!(lines.contains(&("added".into(), "Choose Printers & scanners.".into())), "{lines:?}");
    assert!(lines.contains(&("same".into(), "Open Settings.".into())));
    let (s, h) = app.call_fn("/api/kb/revisions", &cookie, &[("number", number)]).await;
    assert_eq!(s, 200, "{h}");
    assert_eq!(h[0][0]["revision"], 2);
    assert_eq!(h[0][0]["note"], "Windows 11 wording");
    // Published articles: only the owner or a knowledge manager may edit.
    let admin = app.token("admin").await;
    assert_eq!(set_state(&app, &admin, number, "published").await.0, 200);
    let netops = app.token("netops").await;
    let (s, _) = app.api(Method::PUT, &format!("/api/v1/kb/articles/{number}"), &netops, Some(json!({"title": "Hijack", "body": "x"}))).await;
    assert_eq!(s, 403);
});

both_backends!(votes_with_comments, |app: common::TestApp| async move {
    let number = published(&app, "Outlook keeps asking for credentials", "Clear the credential cache.", "public").await;
    let requester = app.token("requester").await;
    let vote = |helpful: bool, comment: &'static str| {
        let app = app.clone();
        let requester = requester.clone();
        let number = number.clone();
        async move {
            app.api(Method::POST, &format!("/api/v1/kb/articles/{number}/votes"), &requester, Some(json!({"helpful": helpful, "comment": comment}))).await
        }
    };
    let (s, a) = vote(false, "Did not work on my Mac").await;
    assert_eq!((s, a["helpful"].as_i64(), a["not_helpful"].as_i64(), a["my_vote"].as_bool()), (200, Some(0), Some(1), Some(false)));
    let (s, a) = vote(true, "").await;
    assert_eq!((s, a["helpful"].as_i64(), a["not_helpful"].as_i64()), (200, Some(1), Some(0)), "voting again replaces the vote");
    let (s, _) = app.api(Method::POST, &format!("/api/v1/kb/articles/{number}/votes"), &requester, Some(json!({"helpful": true, "comment": "x".repeat(1001)}))).await;
    assert_eq!(s, 422);
    // JS-off vote form.
    let cookie = app.login("jordan", "oxidesk-demo").await.unwrap();
    let res = app.post_form("/api/kb/vote", Some(&cookie), &[("number", &number), ("helpful", "no"), ("comment", "Steps unclear")]).await;
    assert_eq!(res.status(), 302);
    let cookie = app.login("agent", "oxidesk-demo").await.unwrap();
    let (_, h) = app.call_fn("/api/kb/revisions", &cookie, &[("number", &number)]).await;
    let comments = h[1].as_array().unwrap();
    assert_eq!(comments.len(), 1, "{h}");
    assert_eq!(comments[0]["comment"], "Steps unclear");
});

both_backends!(article_from_a_resolved_ticket, |app: common::TestApp| async move {
    let agent = app.token("agent").await;
    let (s, t) = app
        .api(Method::POST, "/api/v1/tickets", &agent, Some(json!({"title": "Docking station not detected", "description": "USB-C dock shows no screens", "impact": "low", "urgency": "low"})))
        .await;
    assert_eq!(s, 201);
    let ticket = t["number"].as_str().unwrap().to_string();
    let cookie = app.login("agent", "oxidesk-demo").await.unwrap();
    let (s, e) = app.call_fn("/api/kb/from-ticket", &cookie, &[("ticket", &ticket)]).await;
    assert_eq!(s, 422, "open tickets cannot become articles: {e}");
    let (s, _) = app
        .api(Method::PATCH, &format!("/api/v1/tickets/{ticket}"), &agent, Some(json!({"state": "resolved", "resolution_code": "solved_permanently", "resolution_note": "Updated the dock firmware to 1.2.3"})))
        .await;
    assert_eq!(s, 200);
    let res = app.post_form("/api/kb/from-ticket", Some(&cookie), &[("ticket", &ticket)]).await;
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/console/kb/KB-"), "{location}");
    let number = location.trim_start_matches("/console/kb/");
    let (_, a) = app.api(Method::GET, &format!("/api/v1/kb/articles/{number}"), &agent, None).await;
    assert_eq!(a["title"], "Docking station not detected");
    assert_eq!(a["state"], "draft");
    assert_eq!(a["source_ticket"].as_str(), Some(ticket.as_str()));
    let body = a["body"].as_str().unwrap();
    assert!(body.contains("USB-C dock shows no screens") && body.contains("Updated the dock firmware to 1.2.3"), "{body}");
});

both_backends!(deflection_is_recorded_and_reported, |app: common::TestApp| async move {
    let number = published(&app, "Teams meetings have no sound", "Pick the headset as the speaker in the Teams device settings, then rejoin the meeting.", "public").await;
    let requester = app.token("requester").await;
    wait_indexed(&app, &requester, "teams sound", &number).await;
    let cookie = app.login("requester", "oxidesk-demo").await.unwrap();
    let (s, hits) = app.call_fn("/api/kb/suggest", &cookie, &[("text", "No sound in my Teams meeting since this morning")]).await;
    assert_eq!(s, 200, "{hits}");
    assert_eq!(hits[0]["number"].as_str(), Some(number.as_str()));
    // "This solved it"
    let (s, r) = app.call_fn("/api/kb/deflected", &cookie, &[("query", "No sound in Teams"), ("suggested", &number), ("solved_by", &number)]).await;
    assert_eq!((s, r.as_bool()), (200, Some(true)), "{r}");
    // Submitting anyway records the suggestions shown.
    let before = app.ticket_count().await;
    let (s, t) = app.call_fn(
        "/api/tickets/create",
        &cookie,
        &[("title", "Teams has no sound"), ("description", "Still silent"), ("impact", "low"), ("urgency", "low"), ("suggested", &number)],
    )
    .await;
    assert_eq!(s, 200, "{t}");
    assert_eq!(app.ticket_count().await, before + 1);
    // A submission that was shown nothing is not an attempt.
    let (s, _) = app.call_fn("/api/tickets/create", &cookie, &[("title", "Other"), ("description", ""), ("impact", "low"), ("urgency", "low")]).await;
    assert_eq!(s, 200);
    let agent = app.token("agent").await;
    let (s, rows) = app.api(Method::GET, "/api/v1/kb/deflection", &agent, None).await;
    assert_eq!(s, 200, "{rows}");
    assert_eq!(rows[0]["category"], "All categories");
    assert_eq!((rows[0]["attempts"].as_u64(), rows[0]["deflected"].as_u64(), rows[0]["submitted"].as_u64()), (Some(2), Some(1), Some(1)));
    assert_eq!(rows[0]["rate"].as_f64(), Some(0.5));
    let (s, _) = app.api(Method::GET, "/api/v1/kb/deflection?from=2026-13-01", &agent, None).await;
    assert_eq!(s, 422);
    let (s, _) = app.api(Method::GET, "/api/v1/kb/deflection", &requester, None).await;
    assert_eq!(s, 403);
});

both_backends!(import_reports_bad_lines, |app: common::TestApp| async move {
    let admin = app.token("admin").await;
    let agent = app.token("agent").await;
    let file = concat!(
        r#"{"title": "Headset not recognised", "body": "Replug the **headset**.", "category": "Telephony", "tags": ["audio"]}"#, "\n",
        "not json\n",
        r#"{"title": "x", "body": ""}"#, "\n",
        "\n",
        r#"{"title": "Scanner sends empty PDF", "body": "Scan at 300 dpi.", "audience": "agents"}"#, "\n",
    );
    let res = app.http.post(app.url("/api/v1/kb/import")).bearer_auth(&agent).body(file).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let res = app.http.post(app.url("/api/v1/kb/import")).bearer_auth(&admin).body(file).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let r: Value = res.json().await.unwrap();
    assert_eq!(r["imported"], 2, "{r}");
    let errors: Vec<(u64, String)> = r["errors"].as_array().unwrap().iter().map(|e| (e["line"].as_u64().unwrap(), e["message"].as_str().unwrap().to_string())).collect();
    assert_eq!(errors.iter().map(|e| e.0).collect::<Vec<_>>(), [2, 3]);
    assert!(errors[1].1.contains("title") && errors[1].1.contains("body"), "{errors:?}");
    let requester = app.token("requester").await;
    let (_, list) = app.api(Method::GET, "/api/v1/kb/articles?state=published", &admin, None).await;
    let headset = list.as_array().unwrap().iter().find(|a| a["title"] == "Headset not recognised").unwrap();
    assert_eq!(headset["category"], "Telephony");
    wait_indexed(&app, &requester, "headset", headset["number"].as_str().unwrap()).await;
});

/// Index in a separate directory, fed only by explicit catch-ups: a node whose indexer stopped.
fn detached(app: &common::TestApp, dir: &std::path::Path) -> AppContext {
    AppContext::new(app.ctx.db.clone(), Default::default()).with_search_index(SearchIndex::open(dir).unwrap())
}

both_backends!(index_catches_up_from_the_outbox_after_a_crash, |app: common::TestApp| async move {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    let first = published(&app, "Wi-Fi drops in meeting room", "Forget the network and reconnect.", "public").await;
    let node = detached(&app, &dir);
    assert!(indexer::catch_up(&node).await.unwrap() >= 1);
    let cursor = node.search.committed_cursor();
    assert!(cursor > 0);
    let admin_id = app.user_id("admin").await;
    let admin = auth::actor_for_user(&node, admin_id).await.unwrap().unwrap();
    let input = knowledge::ArticleInput { title: "Softphone has no audio".into(), body: "Pick the headset as output device.".into(), ..Default::default() };
    let second = knowledge::create_article(&node, &admin, input).await.unwrap();
    knowledge::change_state(&node, &admin, &second.number, "published", None).await.unwrap();
    drop(node); // crash: the change was committed to the database, never to the index
    let node = detached(&app, &dir);
    assert_eq!(node.search.committed_cursor(), cursor);
    let q = |text: &str| app::services::search::SearchQuery { text: text.into(), limit: 10, ..Default::default() };
    assert!(node.search.search(&q("softphone audio")).unwrap().hits.is_empty());
    assert!(indexer::catch_up(&node).await.unwrap() >= 1);
    let hits = node.search.search(&q("softphone audio")).unwrap().hits;
    assert_eq!(hits.first().map(|h| h.number.as_str()), Some(second.number.as_str()));
    assert_eq!(node.search.search(&q("meeting room wifi")).unwrap().hits.first().map(|h| h.number.clone()), Some(first));
    assert_eq!(indexer::catch_up(&node).await.unwrap(), 0, "nothing new: nothing applied");
    // A rebuild from the tables gives the same documents.
    let docs = node.search.num_docs();
    let rebuilt = indexer::rebuild(&node, |_, _| {}).await.unwrap();
    assert_eq!(rebuilt, docs);
    assert_eq!(node.search.num_docs(), docs);
});

both_backends!(a_new_index_is_built_from_the_tables, |app: common::TestApp| async move {
    use app::services::entities::{catalog_item, kb_article, outbox_event, ticket};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
    let agent = app.token("agent").await;
    let requester_id = app.user_id("requester").await;
    let body = json!({"title": "Docking station not detected", "description": "The USB-C dock shows no monitors after the update",
        "impact": "low", "urgency": "low", "requester_id": requester_id});
    let (s, t) = app.api(Method::POST, "/api/v1/tickets", &agent, Some(body)).await;
    assert_eq!(s, 201, "{t}");
    let ticket_id = t["id"].as_i64().unwrap();
    let head = outbox_event::Entity::find().order_by_desc(outbox_event::Column::Seq).one(&app.ctx.db).await.unwrap().unwrap().seq;
    let tmp = tempfile::tempdir().unwrap();
    let node = detached(&app, &tmp.path().join("index"));
    assert_eq!((node.search.committed_cursor(), node.search.num_docs()), (0, 0));
    tokio::spawn(indexer::run(node.clone(), Duration::from_secs(3600), Duration::ZERO));
    for _ in 0..200 {
        if node.search.committed_cursor() >= head {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(node.search.committed_cursor() >= head, "the new index reached the outbox head {head}");
    let db = &app.ctx.db;
    let published = kb_article::Entity::find().filter(kb_article::Column::State.eq("published")).count(db).await.unwrap();
    let active_items = catalog_item::Entity::find().filter(catalog_item::Column::Active.eq(true)).count(db).await.unwrap();
    assert!(active_items > 0, "the demo catalog has active items");
    let expected = published + active_items + ticket::Entity::find().count(db).await.unwrap();
    assert_eq!(node.search.num_docs(), expected, "published articles, active catalog items and tickets");
    assert_eq!(node.search.similar_tickets("dock shows no monitors", None, 5).unwrap().first(), Some(&ticket_id));
    let q = app::services::search::SearchQuery { text: "vpn from home".into(), limit: 5, ..Default::default() };
    let hits = node.search.search(&q).unwrap().hits;
    assert_eq!(hits.first().map(|h| h.title.as_str()), Some("Connect to the VPN from home"), "{:?}", hits.iter().map(|h| &h.title).collect::<Vec<_>>());
});

#[derive(serde::Deserialize)]
struct CorpusQuery {
    query: String,
    expected_title: String,
}

both_backends!(relevance_on_the_test_corpus, |app: common::TestApp| async move {
    let corpus = include_str!("fixtures/kb_corpus.jsonl");
    let admin_id = app.user_id("admin").await;
    let admin = auth::actor_for_user(&app.ctx, admin_id).await.unwrap().unwrap();
    let report = knowledge::import_articles(&app.ctx, &admin, corpus, true, |_| {}).await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let requester_id = app.user_id("requester").await;
    let requester = auth::actor_for_user(&app.ctx, requester_id).await.unwrap().unwrap();
    for _ in 0..100 {
        if app.ctx.search.num_docs() >= report.imported {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let queries: Vec<CorpusQuery> =
        include_str!("fixtures/kb_queries.jsonl").lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect();
    let (mut top1, mut top5) = (0usize, 0usize);
    let mut misses = Vec::new();
    for q in &queries {
        let hits = knowledge::search(&app.ctx, &requester, &q.query, None, 5).unwrap().hits;
        let rank = hits.iter().position(|h| h.title == q.expected_title);
        match rank {
            Some(0) => {
                top1 += 1;
                top5 += 1
            }
            Some(_) => top5 += 1,
            None => {}
        }
        if rank != Some(0) {
            misses.push(format!("{:?} → {:?} (wanted {:?})", q.query, hits.first().map(|h| h.title.clone()), q.expected_title));
        }
    }
    let n = queries.len() as f64;
    println!("relevance: {} queries, top-1 {:.1}%, top-5 {:.1}%", queries.len(), 100.0 * top1 as f64 / n, 100.0 * top5 as f64 / n);
    for m in &misses {
        println!("  miss: {m}");
    }
    assert!(top1 as f64 / n >= 0.85, "top-1 {top1}/{}", queries.len());
    assert!(top5 as f64 / n >= 0.95, "top-5 {top5}/{}", queries.len());
});

both_backends!(ticket_context_for_agents, |app: common::TestApp| async move {
    let agent = app.token("agent").await;
    let requester_id = app.user_id("requester").await;
    let raise = |title: &'static str, description: &'static str| {
        let (app, agent) = (app.clone(), agent.clone());
        async move {
            let body = json!({"title": title, "description": description, "impact": "low", "urgency": "low", "requester_id": requester_id, "service_id": 2});
            let (s, t) = app.api(Method::POST, "/api/v1/tickets", &agent, Some(body)).await;
            assert_eq!(s, 201, "{t}");
            t["number"].as_str().unwrap().to_string()
        }
    };
    let old = raise("VPN drops every ten minutes", "The VPN tunnel disconnects every ten minutes from home").await;
    let other = raise("Printer toner empty", "Third floor printer needs toner").await;
    let new = raise("VPN disconnects again", "My VPN tunnel keeps disconnecting when working from home").await;
    let mut similar = Vec::new();
    for _ in 0..100 {
        let (s, c) = app.api(Method::GET, &format!("/api/v1/tickets/{new}/context"), &agent, None).await;
        assert_eq!(s, 200, "{c}");
        similar = c["similar"].as_array().unwrap().iter().map(|r| r["number"].as_str().unwrap().to_string()).collect();
        if similar.contains(&old) && !c["articles"].as_array().unwrap().is_empty() {
            let recent: Vec<&str> = c["requester_recent"].as_array().unwrap().iter().map(|r| r["number"].as_str().unwrap()).collect();
            assert!(recent.contains(&old.as_str()) && recent.contains(&other.as_str()) && !recent.contains(&new.as_str()), "{c}");
            let service: Vec<&str> = c["service_recent"].as_array().unwrap().iter().map(|r| r["number"].as_str().unwrap()).collect();
            assert!(service.contains(&old.as_str()), "{c}");
            let articles: Vec<&str> = c["articles"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap()).collect();
            assert!(articles.contains(&"Connect to the VPN from home"), "{c}");
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(similar.iter().take(2).any(|n| n == &old), "the VPN ticket is among the most similar: {similar:?}");
    assert!(!similar.contains(&other), "the printer ticket is not similar: {similar:?}");
    assert!(!similar.contains(&new), "a ticket is not similar to itself");
    let requester = app.token("requester").await;
    let (s, _) = app.api(Method::GET, &format!("/api/v1/tickets/{new}/context"), &requester, None).await;
    assert_eq!(s, 403);
    // Requesters' knowledge searches never return tickets.
    assert!(search(&app, &requester, "vpn disconnects").await.iter().all(|n| n.starts_with("KB-") || n.parse::<i64>().is_ok()));
    assert!(search(&app, &agent, "vpn disconnects").await.iter().all(|n| !n.starts_with("INC-")));
});
