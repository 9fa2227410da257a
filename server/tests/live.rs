//! The live stream: events pushed in order, resumable with Last-Event-ID, presence, access.

mod common;

use futures::StreamExt;
use reqwest::Method;
use serde_json::json;
use std::time::Duration;

/// Reads SSE `data:` messages until `pred` matches one (or the timeout passes).
async fn read_until(
    stream: &mut (impl futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
    buf: &mut String,
    pred: impl Fn(&serde_json::Value) -> bool,
) -> Vec<(Option<String>, serde_json::Value)> {
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let mut id = None;
            let mut data = String::new();
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("id:") {
                    id = Some(v.trim().to_string());
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim_start());
                }
            }
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&data) {
                let done = pred(&v);
                seen.push((id, v));
                if done {
                    return seen;
                }
            }
        }
        let chunk = tokio::time::timeout_at(deadline, stream.next()).await;
        match chunk {
            Ok(Some(Ok(bytes))) => buf.push_str(&String::from_utf8_lossy(&bytes)),
            _ => panic!("no matching live message within 10 s; saw {seen:?}"),
        }
    }
}

async fn open_stream(app: &common::TestApp, cookie: &str, last_event_id: Option<&str>) -> reqwest::Response {
    let mut req = app.http.get(app.url("/api/live")).header("cookie", cookie);
    if let Some(id) = last_event_id {
        req = req.header("last-event-id", id);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    res
}

both_backends!(changes_are_pushed_in_order_and_resumable, |app: common::TestApp| async move {
    let cookie = app.login("agent", "oxidesk-demo").await.unwrap();
    let token = app.token("requester").await;
    let agent = app.token("netops").await;
    let mut stream = open_stream(&app, &cookie, None).await.bytes_stream();
    let mut buf = String::new();
    let hello = read_until(&mut stream, &mut buf, |m| m["kind"] == "hello").await;
    let head = hello.last().unwrap().1["payload"]["head"].as_i64().unwrap();

    let (_, t) = app.api(Method::POST, "/api/v1/tickets", &token, Some(json!({"title": "Live one", "impact": "low", "urgency": "low"}))).await;
    let number = t["number"].as_str().unwrap().to_string();
    // The demo desk's own events may still be relayed after `hello`; wait for this ticket's.
    let got = read_until(&mut stream, &mut buf, |m| m["kind"] == "ticket.created" && m["number"] == number.as_str()).await;
    let created = &got.last().unwrap();
    assert_eq!(created.1["actor_name"], "Riley Requester");
    let created_seq: i64 = created.0.as_deref().unwrap().parse().unwrap();
    assert!(created_seq > head);

    app.api(Method::PATCH, &format!("/api/v1/tickets/{number}"), &agent, Some(json!({"title": "Live one (edited)"}))).await;
    let got = read_until(&mut stream, &mut buf, |m| m["kind"] == "ticket.updated" && m["number"] == number.as_str()).await;
    let updated_seq: i64 = got.last().unwrap().0.as_deref().unwrap().parse().unwrap();
    assert!(updated_seq > created_seq, "sequence grows");
    drop(stream);

    // While disconnected, two more changes happen; reconnecting with Last-Event-ID replays both.
    app.api(Method::POST, &format!("/api/v1/tickets/{number}/comments"), &agent, Some(json!({"body": "first while away"}))).await;
    app.api(Method::POST, &format!("/api/v1/tickets/{number}/comments"), &agent, Some(json!({"body": "second while away", "internal": true}))).await;
    let mut stream = open_stream(&app, &cookie, Some(&updated_seq.to_string())).await.bytes_stream();
    let mut buf = String::new();
    let got = read_until(&mut stream, &mut buf, |m| m["kind"] == "ticket.commented" && m["payload"]["internal"] == true).await;
    let comments: Vec<i64> = got
        .iter()
        .filter(|(_, m)| m["kind"] == "ticket.commented")
        .map(|(id, _)| id.as_deref().unwrap().parse().unwrap())
        .collect();
    assert_eq!(comments.len(), 2, "both missed events replayed: {got:?}");
    assert!(comments[0] > updated_seq && comments[1] > comments[0]);
});

both_backends!(presence_and_typing_reach_other_agents, |app: common::TestApp| async move {
    let alex = app.login("agent", "oxidesk-demo").await.unwrap();
    let nia = app.login("netops", "oxidesk-demo").await.unwrap();
    let mut stream = open_stream(&app, &alex, None).await.bytes_stream();
    let mut buf = String::new();
    read_until(&mut stream, &mut buf, |m| m["kind"] == "hello").await;
    let res = app
        .http
        .post(app.url("/api/live/presence"))
        .header("cookie", &nia)
        .header("origin", &app.base)
        .json(&json!({"number": "INC-000001", "typing": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let got = read_until(&mut stream, &mut buf, |m| m["kind"] == "presence").await;
    let p = &got.last().unwrap().1;
    assert_eq!(p["number"], "INC-000001");
    assert_eq!(p["payload"]["viewers"][0]["name"], "Nia Network");
    assert_eq!(p["payload"]["typing"][0]["name"], "Nia Network");
});

both_backends!(live_stream_is_for_signed_in_agents_only, |app: common::TestApp| async move {
    let res = app.http.get(app.url("/api/live")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let requester = app.login("requester", "oxidesk-demo").await.unwrap();
    let res = app.http.get(app.url("/api/live")).header("cookie", &requester).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let res = app
        .http
        .post(app.url("/api/live/presence"))
        .header("cookie", &requester)
        .header("origin", &app.base)
        .json(&json!({"number": "INC-000001"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_on_postgres_share_live_events_through_notify() {
    common::run(common::Backend::Postgres, |node1: common::TestApp| async move {
        let node2 = node1.second_node().await;
        let cookie = node2.login("agent", "oxidesk-demo").await.unwrap();
        let mut stream = open_stream(&node2, &cookie, None).await.bytes_stream();
        let mut buf = String::new();
        read_until(&mut stream, &mut buf, |m| m["kind"] == "hello").await;
        let token = node1.token("requester").await;
        let (s, t) = node1.api(Method::POST, "/api/v1/tickets", &token, Some(json!({"title": "Made on node 1", "impact": "low", "urgency": "low"}))).await;
        assert_eq!(s, 201);
        read_until(&mut stream, &mut buf, |m| m["kind"] == "ticket.created" && m["number"] == t["number"]).await;
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_on_postgres_share_presence() {
    common::run(common::Backend::Postgres, |node1: common::TestApp| async move {
        let node2 = node1.second_node().await;
        let alex = node2.login("agent", "oxidesk-demo").await.unwrap();
        let mut stream = open_stream(&node2, &alex, None).await.bytes_stream();
        let mut buf = String::new();
        read_until(&mut stream, &mut buf, |m| m["kind"] == "hello").await;
        let nia = node1.login("netops", "oxidesk-demo").await.unwrap();
        let beat = |typing: bool, leave: bool| {
            let (node1, nia) = (node1.clone(), nia.clone());
            async move {
                node1
                    .http
                    .post(node1.url("/api/live/presence"))
                    .header("cookie", &nia)
                    .header("origin", &node1.base)
                    .json(&json!({"number": "INC-000002", "typing": typing, "leave": leave}))
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        assert_eq!(beat(true, false).await, 204);
        let got = read_until(&mut stream, &mut buf, |m| m["kind"] == "presence" && m["number"] == "INC-000002").await;
        let p = &got.last().unwrap().1;
        assert_eq!(p["payload"]["viewers"][0]["name"], "Nia Network", "a viewer on node 1 shows on node 2");
        assert_eq!(p["payload"]["typing"][0]["name"], "Nia Network");
        assert_eq!(beat(false, true).await, 204);
        let got = read_until(&mut stream, &mut buf, |m| {
            m["kind"] == "presence" && m["number"] == "INC-000002" && m["payload"]["viewers"].as_array().is_some_and(|v| v.is_empty())
        })
        .await;
        assert!(!got.is_empty(), "leaving on node 1 clears node 2");
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configuration_changed_on_one_node_reaches_the_others_cache() {
    common::run(common::Backend::Postgres, |node1: common::TestApp| async move {
        let node2 = node1.second_node().await;
        let riley = node1.token("requester").await;
        let raise = |node: common::TestApp, token: String| async move {
            let (s, t) = node.api(Method::POST, "/api/v1/tickets", &token, Some(json!({"title": "Which matrix?", "impact": "low", "urgency": "low"}))).await;
            assert_eq!(s, 201, "{t}");
            t["priority"].as_i64().unwrap()
        };
        // Node 1 has read (and cached) the default matrix: low/low is P5.
        assert_eq!(raise(node1.clone(), riley.clone()).await, 5);
        let admin = node2.token("admin").await;
        let cells = json!({"high_high": 1, "high_medium": 2, "high_low": 3, "medium_high": 2, "medium_medium": 3, "medium_low": 4,
            "low_high": 3, "low_medium": 4, "low_low": 2});
        let (s, body) = node2.api(Method::PUT, "/api/v1/desk/matrix", &admin, Some(cells)).await;
        assert_eq!(s, 200, "{body}");
        // Node 2 applies its own change at once; node 1 once its hub sees the event (NOTIFY).
        assert_eq!(raise(node2.clone(), riley.clone()).await, 2);
        let mut seen = 5;
        for _ in 0..50 {
            seen = raise(node1.clone(), riley.clone()).await;
            if seen == 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(seen, 2, "node 1 still prices tickets with the old matrix");
    })
    .await
}
