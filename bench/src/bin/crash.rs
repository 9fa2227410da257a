//! `oxidesk-crash`: kills `oxidesk serve` with SIGKILL while clients raise tickets and comment,
//! restarts it on the same data, and checks what users were promised:
//! - every acknowledged ticket and comment is there;
//! - every acknowledged ticket is found by the queue's text search, without a rebuild;
//! - each ticket's SLA warning fires exactly once (a 1-minute response target warned at 1 %);
//! - a live client resuming with `Last-Event-ID` receives every acknowledged ticket's event,
//!   each sequence once and in order.
//!
//! Repeats `--runs` times per backend and prints one JSON document with the figures.

use clap::Parser;
use futures::StreamExt;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, Parser)]
#[command(about = "Oxidesk crash-safety harness")]
struct Args {
    /// The oxidesk binary.
    #[arg(long, default_value = "target/release/oxidesk")]
    bin: PathBuf,
    /// `sqlite`, `postgres` or `both`.
    #[arg(long, default_value = "both")]
    backend: String,
    /// PostgreSQL server (a database `oxidesk_crash` is created and dropped on it).
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/test")]
    pg_url: String,
    /// Kill-and-restart rounds per backend.
    #[arg(long, default_value_t = 20)]
    runs: usize,
    /// Concurrent writing clients.
    #[arg(long, default_value_t = 8)]
    writers: usize,
    /// Port to serve on.
    #[arg(long, default_value_t = 3250)]
    port: u16,
}

struct Server {
    child: Child,
}

async fn cli(args: &Args, env: &[(String, String)], cmd: &[&str]) -> Result<String, BoxError> {
    let out = Command::new(&args.bin).args(cmd).envs(env.iter().cloned()).stderr(Stdio::null()).output().await?;
    if !out.status.success() {
        return Err(format!("oxidesk {cmd:?} failed").into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

async fn start(args: &Args, env: &[(String, String)], base: &str) -> Result<(Server, f64), BoxError> {
    let started = Instant::now();
    let child = Command::new(&args.bin)
        .args(["serve", "--bind", &format!("127.0.0.1:{}", args.port)])
        .envs(env.iter().cloned())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    let http = reqwest::Client::new();
    for _ in 0..600 {
        if http.get(format!("{base}/health")).send().await.is_ok_and(|r| r.status().is_success()) {
            return Ok((Server { child }, started.elapsed().as_secs_f64() * 1000.0));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Err("server did not become healthy".into())
}

/// What the live client saw: sequences in order, and the numbers of created tickets.
#[derive(Default)]
struct Seen {
    seqs: Vec<i64>,
    created: BTreeSet<String>,
}

/// Reads `/api/live` (after `after`, if given) into `seen` until the stream ends; returns once the
/// stream's hello arrived.
async fn follow(base: &str, cookie: &str, after: Option<i64>, seen: Arc<Mutex<Seen>>) -> Result<tokio::task::JoinHandle<()>, BoxError> {
    let mut req = reqwest::Client::new().get(format!("{base}/api/live")).header("cookie", cookie);
    if let Some(after) = after {
        req = req.header("last-event-id", after.to_string());
    }
    let res = req.send().await?;
    if !res.status().is_success() {
        return Err(format!("live stream refused: {}", res.status()).into());
    }
    let (hello_tx, hello_rx) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(async move {
        let mut hello = Some(hello_tx);
        let mut stream = res.bytes_stream();
        let mut buf = String::new();
        while let Some(Ok(chunk)) = stream.next().await {
            buf.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buf.find("\n\n") {
                let block: String = buf.drain(..end + 2).collect();
                let (mut id, mut data) = (None, String::new());
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        id = v.trim().parse::<i64>().ok();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                let Ok(m) = serde_json::from_str::<Value>(&data) else { continue };
                if m["kind"] == "hello" {
                    if let Some(tx) = hello.take() {
                        let _ = tx.send(());
                    }
                }
                let mut s = seen.lock().unwrap();
                if let Some(id) = id {
                    s.seqs.push(id);
                }
                if m["kind"] == "ticket.created" {
                    if let Some(n) = m["number"].as_str() {
                        s.created.insert(n.to_string());
                    }
                }
            }
        }
    });
    tokio::time::timeout(Duration::from_secs(10), hello_rx).await.map_err(|_| "no hello from the live stream")??;
    Ok(task)
}

async fn login(base: &str, username: &str) -> Result<String, BoxError> {
    let res = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?
        .post(format!("{base}/api/auth/login"))
        .header("origin", base)
        .form(&[("username", username), ("password", "oxidesk-demo")])
        .send()
        .await?;
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("oxidesk_session=") && !c.starts_with("oxidesk_session=;"))
        .map(|c| c.split(';').next().unwrap_or_default().to_string())
        .ok_or_else(|| "sign-in failed".into())
}

/// A 24×7 calendar and a policy warning at 1 % of a 1-minute response target for the tickets
/// the writers raise (low impact and urgency: priority 5).
async fn sla_policy(http: &reqwest::Client, base: &str, admin: &str) -> Result<(), BoxError> {
    let cal = http
        .post(format!("{base}/api/v1/sla/calendars"))
        .bearer_auth(admin)
        .json(&json!({"name": "Crash test 24x7", "time_zone": "UTC", "week": vec!["00:00-24:00"; 7], "holidays": ""}))
        .send()
        .await?;
    let cal: Value = cal.json().await?;
    let calendar_id = cal["id"].as_i64().ok_or_else(|| format!("calendar not created: {cal}"))?;
    let policy = http
        .post(format!("{base}/api/v1/sla/policies"))
        .bearer_auth(admin)
        .json(&json!({"name": "Crash test", "position": 0, "ticket_type": "incident", "priority": 5, "response_minutes": 1,
            "resolution_minutes": 600, "calendar_id": calendar_id, "warn_percent": 1, "pause_reasons": []}))
        .send()
        .await?;
    let policy: Value = policy.json().await?;
    policy["id"].as_i64().map(|_| ()).ok_or_else(|| format!("policy not created: {policy}").into())
}

#[derive(Default)]
struct Acked {
    tickets: Vec<(String, String)>,
    comments: Vec<(String, i64)>,
}

async fn write_until_killed(http: reqwest::Client, base: String, token: String, run: usize, writer: usize, acked: Arc<Mutex<Acked>>) {
    for n in 0.. {
        let word = format!("crashk{run}w{writer}n{n}z");
        let res = http
            .post(format!("{base}/api/v1/tickets"))
            .bearer_auth(&token)
            .json(&json!({"title": format!("Printer offline {word}"), "description": "Raised by the crash harness", "impact": "low", "urgency": "low"}))
            .send()
            .await;
        let Ok(res) = res else { return };
        if res.status() != 201 {
            return;
        }
        let Ok(t) = res.json::<Value>().await else { return };
        let number = t["number"].as_str().unwrap_or_default().to_string();
        acked.lock().unwrap().tickets.push((number.clone(), word));
        let res = http
            .post(format!("{base}/api/v1/tickets/{number}/comments"))
            .bearer_auth(&token)
            .json(&json!({"body": format!("Still offline ({n})"), "internal": false}))
            .send()
            .await;
        let Ok(res) = res else { return };
        if res.status() != 201 {
            return;
        }
        let Ok(c) = res.json::<Value>().await else { return };
        acked.lock().unwrap().comments.push((number, c["id"].as_i64().unwrap_or_default()));
    }
}

async fn run_backend(args: &Args, backend: &str) -> Result<Value, BoxError> {
    let data = std::env::temp_dir().join(format!("oxidesk-crash-{backend}"));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data)?;
    let mut env = vec![
        ("OXIDESK_DATA_DIR".to_string(), data.display().to_string()),
        ("OXIDESK_SLA_INTERVAL_SECS".to_string(), "1".to_string()),
        ("OXIDESK_LOG_LEVEL".to_string(), "warn".to_string()),
    ];
    if backend == "postgres" {
        let (server, _) = args.pg_url.rsplit_once('/').ok_or("bad --pg-url")?;
        psql(&args.pg_url, "DROP DATABASE IF EXISTS oxidesk_crash WITH (FORCE)").await?;
        psql(&args.pg_url, "CREATE DATABASE oxidesk_crash").await?;
        env.push(("DATABASE_URL".to_string(), format!("{server}/oxidesk_crash")));
    }
    cli(args, &env, &["demo-data"]).await?;
    let agent = cli(args, &env, &["create-token", "--username", "agent", "--name", "crash"]).await?;
    let admin = cli(args, &env, &["create-token", "--username", "admin", "--name", "crash"]).await?;
    let base = format!("http://127.0.0.1:{}", args.port);
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build()?;
    let (mut server, _) = start(args, &env, &base).await?;
    sla_policy(&http, &base, &admin).await?;
    let cookie = login(&base, "netops").await?;
    let mut rounds = Vec::new();
    let mut failures = Vec::new();
    for run in 1..=args.runs {
        let seen = Arc::new(Mutex::new(Seen::default()));
        let live = follow(&base, &cookie, None, seen.clone()).await?;
        let acked = Arc::new(Mutex::new(Acked::default()));
        let writers: Vec<_> = (0..args.writers)
            .map(|w| tokio::spawn(write_until_killed(http.clone(), base.clone(), agent.clone(), run, w, acked.clone())))
            .collect();
        let wait = 300 + rand::random::<u64>() % 1200;
        tokio::time::sleep(Duration::from_millis(wait)).await;
        server.child.kill().await?;
        for w in writers {
            let _ = w.await;
        }
        let _ = tokio::time::timeout(Duration::from_secs(5), live).await;
        let (restarted, ready_ms) = start(args, &env, &base).await?;
        server = restarted;
        let acked = std::mem::take(&mut *acked.lock().unwrap());
        let mut problems = Vec::new();

        // Tickets and comments.
        let mut comments: HashMap<String, Vec<i64>> = HashMap::new();
        for (n, id) in &acked.comments {
            comments.entry(n.clone()).or_default().push(*id);
        }
        for (number, word) in &acked.tickets {
            let t: Value = http.get(format!("{base}/api/v1/tickets/{number}")).bearer_auth(&agent).send().await?.json().await?;
            if t["number"] != number.as_str() {
                problems.push(format!("{number} acknowledged but missing"));
                continue;
            }
            let have: BTreeSet<i64> = t["comments"].as_array().into_iter().flatten().filter_map(|c| c["id"].as_i64()).collect();
            for id in comments.get(number).into_iter().flatten() {
                if !have.contains(id) {
                    problems.push(format!("{number}: acknowledged comment {id} missing"));
                }
            }
            let found: Value = http.get(format!("{base}/api/v1/tickets?q={word}&limit=5")).bearer_auth(&agent).send().await?.json().await?;
            if !found["tickets"].as_array().into_iter().flatten().any(|x| x["number"] == number.as_str()) {
                problems.push(format!("{number} not found by searching '{word}'"));
            }
        }

        // The live client resumes where it stopped.
        let (before, last) = {
            let s = seen.lock().unwrap();
            (s.created.clone(), s.seqs.last().copied().unwrap_or(0))
        };
        let resumed = Arc::new(Mutex::new(Seen::default()));
        let live = follow(&base, &cookie, Some(last), resumed.clone()).await?;

        // SLA warnings: due 0.6 s after creation, fired by the 1 s worker.
        tokio::time::sleep(Duration::from_millis(2500)).await;
        let mut warnings = 0;
        for (number, _) in &acked.tickets {
            let h: Value = http.get(format!("{base}/api/v1/tickets/{number}/history")).bearer_auth(&agent).send().await?.json().await?;
            let n = h.as_array().into_iter().flatten().filter(|l| l["action"] == "sla_warning").count();
            warnings += n;
            if n != 1 {
                problems.push(format!("{number}: {n} SLA warnings"));
            }
        }
        live.abort();
        let after = resumed.lock().unwrap();
        if after.seqs.windows(2).any(|w| w[1] <= w[0]) || after.seqs.first().is_some_and(|f| *f <= last) {
            problems.push(format!("resumed stream out of order or repeating after {last}"));
        }
        if backend == "sqlite" && after.seqs.first().is_some_and(|f| *f != last + 1) {
            problems.push(format!("resumed stream skipped from {last} to {:?}", after.seqs.first()));
        }
        for (number, _) in &acked.tickets {
            if !before.contains(number) && !after.created.contains(number) {
                problems.push(format!("{number}: the live client never received its creation"));
            }
        }
        eprintln!(
            "{backend} run {run}: killed after {wait} ms, {} tickets + {} comments acknowledged, ready again in {ready_ms:.0} ms, {}",
            acked.tickets.len(),
            acked.comments.len(),
            if problems.is_empty() { "all checks passed".to_string() } else { format!("{} PROBLEMS: {:?}", problems.len(), &problems[..problems.len().min(5)]) }
        );
        rounds.push(json!({"run": run, "killed_after_ms": wait, "tickets": acked.tickets.len(), "comments": acked.comments.len(),
            "sla_warnings": warnings, "ready_ms": ready_ms.round(), "resumed_events": after.seqs.len(), "problems": problems.len()}));
        failures.extend(problems);
    }
    server.child.kill().await?;
    if backend == "postgres" {
        psql(&args.pg_url, "DROP DATABASE IF EXISTS oxidesk_crash WITH (FORCE)").await?;
    }
    let total = |k: &str| rounds.iter().map(|r| r[k].as_u64().unwrap_or(0)).sum::<u64>();
    Ok(json!({
        "backend": backend, "runs": args.runs, "writers": args.writers,
        "acknowledged_tickets": total("tickets"), "acknowledged_comments": total("comments"), "sla_warnings": total("sla_warnings"),
        "problems": failures.len(), "first_problems": failures.iter().take(10).collect::<Vec<_>>(), "rounds": rounds,
    }))
}

async fn psql(url: &str, sql: &str) -> Result<(), BoxError> {
    let status = Command::new("psql").arg(url).arg("-qc").arg(sql).stdout(Stdio::null()).status().await?;
    if status.success() { Ok(()) } else { Err(format!("psql failed: {sql}").into()) }
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args = Args::parse();
    let backends: Vec<&str> = match args.backend.as_str() {
        "both" => vec!["sqlite", "postgres"],
        one => vec![one],
    };
    let mut results = Vec::new();
    for b in backends {
        results.push(run_backend(&args, b).await?);
    }
    let failed = results.iter().any(|r| r["problems"].as_u64() != Some(0));
    println!("{}", serde_json::to_string_pretty(&json!({ "crash_safety": results }))?);
    if failed {
        std::process::exit(1);
    }
    Ok(())
}
