//! `growth`: a desk that grows. Starts the release server on an empty desk or the demo
//! desk, raises tickets through the REST API with 32 writers, and at each decade (1k, 10k, 100k,
//! … tickets) measures — while the writers go on — the queue's title filter for each of 30 words,
//! the open and unassigned queues, knowledge search and the ticket page (p50/p99), the server's
//! resident memory and how long a new ticket takes to be found by the search index. With
//! `--bulk`, the same reads on a bulk-loaded desk of the same size (`demo-data --tickets N`), idle
//! and beside the same writers, give the figures the grown desk is compared with. Prints one JSON
//! document.

use clap::Parser;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, Parser)]
#[command(about = "Oxidesk growth benchmark")]
struct Args {
    /// The oxidesk binary (release build).
    #[arg(long, default_value = "target/release/oxidesk")]
    bin: PathBuf,
    /// `sqlite`, `postgres` or `both`.
    #[arg(long, default_value = "both")]
    backend: String,
    /// `empty` (one admin, nothing else), `demo` (the demo desk) or `both`.
    #[arg(long, default_value = "both")]
    start: String,
    /// Grow to this many tickets (decades are measured on the way: 1k, 10k, 100k, 1M).
    #[arg(long, default_value_t = 100_000)]
    to: u64,
    /// Concurrent writers.
    #[arg(long, default_value_t = 32)]
    writers: usize,
    /// Requests per read and word at each decade.
    #[arg(long, default_value_t = 20)]
    samples: usize,
    /// Also measure the same reads on bulk-loaded desks of each decade's size.
    #[arg(long)]
    bulk: bool,
    /// PostgreSQL server (a database `oxidesk_growth` is created and dropped on it).
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/test")]
    pg_url: String,
}

/// Title words: the first word of each raised ticket, and what the readers filter by.
const WORDS: [&str; 30] = [
    "printer", "wifi", "password", "teams", "sap", "vpn", "outlook", "laptop", "monitor", "badge", "disk", "mailbox",
    "keyboard", "docking", "headset", "scanner", "sharepoint", "onedrive", "citrix", "firewall", "certificate", "payroll",
    "projector", "webcam", "bluetooth", "license", "backup", "antivirus", "salesforce", "jira",
];
const PASSWORD: &str = "growth-bench-password";

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

fn percentiles(mut ms: Vec<f64>) -> Value {
    ms.sort_by(|a, b| a.total_cmp(b));
    let at = |p: f64| ms.get(((ms.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0.0);
    json!({ "n": ms.len(), "p50_ms": round(at(0.5)), "p99_ms": round(at(0.99)) })
}

fn round(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

async fn oxidesk(args: &Args, env: &[(&str, String)], cmd: &[&str]) -> Result<String, BoxError> {
    let mut c = Command::new(&args.bin);
    c.args(cmd).stdin(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().await?;
    if !out.status.success() {
        return Err(format!("oxidesk {cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

async fn run_psql(url: &str, sql: &str) -> Result<(), BoxError> {
    let out = Command::new("psql").args([url, "-v", "ON_ERROR_STOP=1", "-qc", sql]).output().await?;
    if !out.status.success() {
        return Err(format!("psql: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(())
}

async fn start(args: &Args, env: &[(&str, String)]) -> Result<Server, BoxError> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut c = Command::new(&args.bin);
    c.args(["serve", "--bind", &format!("127.0.0.1:{port}")]).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    let child = c.spawn()?;
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let started = Instant::now();
    while !http.get(format!("{base}/health")).send().await.is_ok_and(|r| r.status().is_success()) {
        if started.elapsed() > Duration::from_secs(60) {
            return Err("server did not become healthy within 60 s".into());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Ok(Server { child, base })
}

/// A fresh data directory (and PostgreSQL database) for one desk.
async fn fresh_desk(args: &Args, backend: &str, name: &str) -> Result<(PathBuf, Vec<(&'static str, String)>), BoxError> {
    let data = std::env::temp_dir().join(format!("oxidesk-growth-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data)?;
    let mut env = vec![("OXIDESK_DATA_DIR", data.display().to_string()), ("OXIDESK_LOG_LEVEL", "warn".to_string()), ("OXIDESK_NEW_PASSWORD", PASSWORD.to_string())];
    if backend == "postgres" {
        let (root, _) = args.pg_url.rsplit_once('/').ok_or("bad --pg-url")?;
        run_psql(&args.pg_url, "DROP DATABASE IF EXISTS oxidesk_growth WITH (FORCE)").await?;
        run_psql(&args.pg_url, "CREATE DATABASE oxidesk_growth").await?;
        env.push(("DATABASE_URL", format!("{root}/oxidesk_growth")));
    }
    Ok((data, env))
}

async fn login(base: &str, username: &str, password: &str) -> Result<String, BoxError> {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let r = http.post(format!("{base}/api/auth/login")).header("origin", base).header("accept", "text/html").form(&[("username", username), ("password", password)]).send().await?;
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("oxidesk_session="))
        .map(|c| c.split(';').next().unwrap_or("").to_string())
        .ok_or_else(|| "login failed".into())
}

async fn get(http: &reqwest::Client, url: &str, token: &str, cookie: Option<&str>) -> Result<f64, BoxError> {
    let t = Instant::now();
    let mut req = http.get(url);
    req = match cookie {
        Some(c) => req.header("cookie", c),
        None => req.bearer_auth(token),
    };
    let r = req.send().await?;
    let status = r.status();
    r.bytes().await?;
    if !status.is_success() {
        return Err(format!("GET {url}: {status}").into());
    }
    Ok(t.elapsed().as_secs_f64() * 1000.0)
}

/// Who reads: a token for the API and a session for pages, and a ticket to open.
struct Reader {
    http: reqwest::Client,
    base: String,
    token: String,
    cookie: String,
    ticket: String,
}

/// The reads at one size: per-word title filters (with their counts), queues, KB search and
/// the ticket page, `samples` requests each, one after another.
async fn reads(r: &Reader, samples: usize) -> Result<Value, BoxError> {
    // Word after word, round after round: a passing disturbance (an index commit, the writers'
    // last batch) lands on every word alike instead of on whichever is measured first.
    let mut by_word: Vec<Vec<f64>> = vec![Vec::new(); WORDS.len()];
    for _ in 0..samples {
        for (i, w) in WORDS.iter().enumerate() {
            by_word[i].push(get(&r.http, &format!("{}/api/v1/tickets?q={w}&limit=50", r.base), &r.token, None).await?);
        }
    }
    let mut words = serde_json::Map::new();
    let mut word_p99 = Vec::new();
    for (w, ms) in WORDS.iter().zip(by_word) {
        let p = percentiles(ms);
        word_p99.push(p["p99_ms"].as_f64().unwrap_or(0.0));
        words.insert(w.to_string(), p);
    }
    word_p99.sort_by(|a, b| a.total_cmp(b));
    let median = word_p99[word_p99.len() / 2];
    let worst = word_p99.last().copied().unwrap_or(0.0);
    let mut out = serde_json::Map::new();
    for (name, path, cookie) in [
        ("queue_open", "/api/v1/tickets?state=open&limit=50".to_string(), false),
        ("queue_unassigned", "/api/v1/tickets?state=open&assignee=none&limit=50".to_string(), false),
        ("kb_search", "/api/v1/kb/search?q=vpn%20disconnects".to_string(), false),
        ("ticket_page", format!("/console/tickets/{}", r.ticket), true),
    ] {
        let mut ms = Vec::new();
        for _ in 0..samples {
            ms.push(get(&r.http, &format!("{}{path}", r.base), &r.token, cookie.then_some(r.cookie.as_str())).await?);
        }
        out.insert(name.into(), percentiles(ms));
    }
    out.insert("title_filter_by_word".into(), Value::Object(words));
    out.insert("title_filter_p99_median_word_ms".into(), json!(median));
    out.insert("title_filter_p99_worst_word_ms".into(), json!(worst));
    out.insert("title_filter_worst_over_median".into(), json!(round(worst / median.max(0.01))));
    Ok(Value::Object(out))
}

/// How long a new ticket takes to be found by the search index: a ticket with two new words,
/// then a second with the same title whose similar tickets are asked for until the first shows.
async fn index_lag(r: &Reader, k: u64) -> Result<f64, BoxError> {
    let title = format!("Quorflex{k} zembrant{k} outage");
    let create = |title: String| {
        let (http, base, token) = (r.http.clone(), r.base.clone(), r.token.clone());
        async move {
            let body = json!({"title": title, "description": "Index lag probe", "impact": "low", "urgency": "low"});
            let v: Value = http.post(format!("{base}/api/v1/tickets")).bearer_auth(&token).json(&body).send().await?.json().await?;
            Ok::<String, BoxError>(v["number"].as_str().unwrap_or_default().to_string())
        }
    };
    let t = Instant::now();
    let first = create(title.clone()).await?;
    let second = create(title).await?;
    loop {
        let v: Value = r.http.get(format!("{}/api/v1/tickets/{second}/context", r.base)).bearer_auth(&r.token).send().await?.json().await?;
        if v["similar"].as_array().is_some_and(|s| s.iter().any(|t| t["number"] == first.as_str())) {
            return Ok(round(t.elapsed().as_secs_f64() * 1000.0));
        }
        if t.elapsed() > Duration::from_secs(60) {
            return Ok(-1.0);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn rss_mb(pid: Option<u32>) -> f64 {
    let kb: u64 = pid
        .and_then(|p| std::fs::read_to_string(format!("/proc/{p}/status")).ok())
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse().ok()))
        .unwrap_or(0);
    round(kb as f64 / 1024.0)
}

/// The decades to measure on the way to `to`.
fn decades(to: u64) -> Vec<u64> {
    let mut out = Vec::new();
    let mut d = 1_000;
    while d <= to {
        out.push(d);
        d *= 10;
    }
    if out.last() != Some(&to) {
        out.push(to);
    }
    out
}

/// Grows one desk and measures it at each decade.
async fn grow(args: &Args, backend: &str, start_with: &str) -> Result<Value, BoxError> {
    let (data, env) = fresh_desk(args, backend, start_with).await?;
    let user = if start_with == "demo" {
        oxidesk(args, &env, &["demo-data"]).await?;
        ("agent", "oxidesk-demo")
    } else {
        oxidesk(args, &env, &["migrate"]).await?;
        oxidesk(args, &env, &["create-user", "--username", "admin", "--role", "admin", "--email", "admin@example.com"]).await?;
        ("admin", PASSWORD)
    };
    let token = oxidesk(args, &env, &["create-token", "--username", user.0, "--name", "growth"]).await?;
    let server = start(args, &env).await?;
    let http = reqwest::Client::builder().pool_max_idle_per_host(64).build()?;
    let cookie = login(&server.base, user.0, user.1).await?;
    let body = json!({"title": "Growth bench: first ticket", "description": "Opened by the reader", "impact": "low", "urgency": "low"});
    let first: Value = http.post(format!("{}/api/v1/tickets", server.base)).bearer_auth(&token).json(&body).send().await?.json().await?;
    let reader = Reader { http: http.clone(), base: server.base.clone(), token: token.clone(), cookie, ticket: first["number"].as_str().unwrap_or_default().to_string() };
    let created = Arc::new(AtomicU64::new(0));
    let target = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..args.writers {
        let (http, base, token, created, target, stop) = (http.clone(), server.base.clone(), token.clone(), created.clone(), target.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut i = w as u64;
            while !stop.load(Ordering::Relaxed) {
                if created.load(Ordering::Relaxed) >= target.load(Ordering::Relaxed) {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                }
                let word = WORDS[(i % WORDS.len() as u64) as usize];
                let body = json!({"title": format!("{word} issue {i} on floor {}", i % 9), "description": "Raised by oxidesk-growth", "impact": "low", "urgency": "medium"});
                let r = http.post(format!("{base}/api/v1/tickets")).bearer_auth(&token).json(&body).send().await?;
                if r.status() != 201 {
                    return Err::<(), BoxError>(format!("create returned {}", r.status()).into());
                }
                created.fetch_add(1, Ordering::Relaxed);
                i += 64;
            }
            Ok(())
        }));
    }
    let pid = server.child.id();
    let started = Instant::now();
    let mut points = Vec::new();
    let sizes = decades(args.to);
    for (n, size) in sizes.iter().enumerate() {
        target.store(*size, Ordering::Relaxed);
        let t = Instant::now();
        while created.load(Ordering::Relaxed) < *size {
            if writers.iter().any(|w| w.is_finished()) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let grow_s = t.elapsed().as_secs_f64();
        // The writers go on towards the next decade while the readers measure this one.
        target.store(sizes.get(n + 1).copied().unwrap_or(*size), Ordering::Relaxed);
        let read = reads(&reader, args.samples).await?;
        let lag: Vec<f64> = {
            let mut v = Vec::new();
            for k in 0..5 {
                v.push(index_lag(&reader, *size * 10 + k).await?);
            }
            v
        };
        points.push(json!({
            "tickets": size,
            "created_per_s": round((*size as f64) / started.elapsed().as_secs_f64().max(0.001)),
            "grow_s": round(grow_s),
            "rss_mb": rss_mb(pid),
            "index_lag": percentiles(lag),
            "reads": read,
        }));
    }
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await??;
    }
    // On PostgreSQL, the same reads once the tables are vacuumed and analyzed, as autovacuum
    // leaves them when it has caught up: what is left is the data's shape, not its upkeep.
    let settled = if backend == "postgres" {
        let url = env.iter().find(|(k, _)| *k == "DATABASE_URL").map(|(_, v)| v.clone()).unwrap_or_default();
        run_psql(&url, "VACUUM ANALYZE").await?;
        Some(reads(&reader, args.samples).await?)
    } else {
        None
    };
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
    Ok(json!({ "start": start_with, "decades": points, "vacuumed_and_analyzed": settled }))
}

/// The same reads on a desk bulk-loaded to `size` tickets.
async fn bulk(args: &Args, backend: &str, size: u64) -> Result<Value, BoxError> {
    let (data, env) = fresh_desk(args, backend, &format!("bulk-{size}")).await?;
    oxidesk(args, &env, &["demo-data", "--tickets", &size.to_string()]).await?;
    let token = oxidesk(args, &env, &["create-token", "--username", "agent", "--name", "growth"]).await?;
    let server = start(args, &env).await?;
    let cookie = login(&server.base, "agent", "oxidesk-demo").await?;
    let reader = Reader { http: reqwest::Client::new(), base: server.base.clone(), token: token.clone(), cookie, ticket: "INC-000001".into() };
    let idle = reads(&reader, args.samples).await?;
    // The same reads beside the same 32 writers as the grown desk's decades, so the two compare
    // like for like.
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..args.writers {
        let (http, base, token, stop) = (reqwest::Client::new(), server.base.clone(), token.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut i = w as u64;
            while !stop.load(Ordering::Relaxed) {
                let word = WORDS[(i % WORDS.len() as u64) as usize];
                let body = json!({"title": format!("{word} issue {i} on floor {}", i % 9), "description": "Raised by oxidesk-growth", "impact": "low", "urgency": "medium"});
                http.post(format!("{base}/api/v1/tickets")).bearer_auth(&token).json(&body).send().await?;
                i += 64;
            }
            Ok::<(), BoxError>(())
        }));
    }
    let loaded = reads(&reader, args.samples).await?;
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await??;
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
    Ok(json!({ "tickets": size, "reads": idle, "reads_beside_writers": loaded }))
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args = Args::parse();
    let backends: Vec<&str> = if args.backend == "both" { vec!["sqlite", "postgres"] } else { vec![args.backend.as_str()] };
    let starts: Vec<&str> = if args.start == "both" { vec!["empty", "demo"] } else { vec![args.start.as_str()] };
    let mut out = serde_json::Map::new();
    for backend in backends {
        let mut runs = Vec::new();
        for s in &starts {
            eprintln!("growing a {s} desk on {backend} to {} tickets", args.to);
            runs.push(grow(&args, backend, s).await?);
        }
        let mut bulks = Vec::new();
        if args.bulk {
            for size in decades(args.to) {
                eprintln!("bulk-loaded desk of {size} tickets on {backend}");
                bulks.push(bulk(&args, backend, size).await?);
            }
        }
        out.insert(backend.into(), json!({ "grown": runs, "bulk_loaded": bulks }));
    }
    out.insert("args".into(), json!({ "to": args.to, "writers": args.writers, "samples": args.samples }));
    println!("{}", serde_json::to_string_pretty(&Value::Object(out))?);
    Ok(())
}
