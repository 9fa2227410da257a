//! `oxidesk-bench`: starts the release `oxidesk` binary on a generated data set and measures what
//! users feel — ticket creation, queue views, ticket pages, live fan-out, cold start and memory —
//! on SQLite and PostgreSQL. Prints one JSON document.

use clap::Parser;
use futures::StreamExt;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

#[derive(Debug, Parser)]
#[command(about = "Oxidesk benchmark harness")]
struct Args {
    /// The oxidesk binary (release build).
    #[arg(long, default_value = "target/release/oxidesk")]
    bin: PathBuf,
    /// Generated incidents.
    #[arg(long, default_value_t = 100_000)]
    tickets: u64,
    /// Generated agents.
    #[arg(long, default_value_t = 500)]
    agents: u32,
    /// Generated requesters.
    #[arg(long, default_value_t = 2_000)]
    requesters: u32,
    /// `sqlite`, `postgres` or `both`.
    #[arg(long, default_value = "both")]
    backend: String,
    /// PostgreSQL server (a database `oxidesk_bench` is created and dropped on it).
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/test")]
    pg_url: String,
    /// Requests per latency measurement.
    #[arg(long, default_value_t = 300)]
    samples: usize,
    /// Tickets each of the 32 concurrent clients raises (the sequential client raises five times
    /// as many); raise it for steadier create figures or to profile the write path.
    #[arg(long, default_value_t = 100)]
    creates_per_client: usize,
    /// Appends the measured server's output (its log) here; `OXIDESK_LOG` sets the filter.
    #[arg(long)]
    server_log: Option<PathBuf>,
    /// Live connections for the fan-out measurement.
    #[arg(long, default_value_t = 500)]
    live_connections: usize,
    /// Generated knowledge articles (search and deflection measurements).
    #[arg(long, default_value_t = 100_000)]
    articles: u64,
    /// Configuration items registered before the tickets (each generated ticket names one).
    #[arg(long, default_value_t = 50_000)]
    cis: u64,
    /// Relationships drawn between the CIs (impact analysis and map measurements).
    #[arg(long, default_value_t = 150_000)]
    relationships: u64,
    /// SQLite only: keeps the generated data set in this directory and, when it already holds
    /// one, measures a copy of it instead of generating again (for before/after runs on the same
    /// data; the dataset arguments must match the ones it was generated with).
    #[arg(long)]
    snapshot: Option<PathBuf>,
}

/// What requesters type in the knowledge search box (words, typos, phrases).
const SEARCHES: [&str; 12] = [
    "vpn disconnects", "outlook password", "printer paper jam", "pritner queue", "\"docking station\"",
    "mfa prompt", "wifi meeting room", "payslip", "battery drains", "softphone audio", "certificate error vpn",
    "shared mailbox",
];

/// What requesters type into a new ticket (deflection suggestions).
const TICKET_TEXTS: [&str; 6] = [
    "My VPN keeps dropping every few minutes when I work from home",
    "Outlook asks for my password again and again since this morning",
    "The printer on the third floor says paper jam but there is no paper stuck",
    "My laptop battery is empty after one hour even though it was fully charged",
    "I cannot open my payslip in the HR portal, it shows an error",
    "The docking station is not detected, no external screens",
];

/// Due-date computations per second with the domain calendar code (the same code the server and
/// the browser countdown run): 24×7 and a two-interval office calendar with holidays.
fn calendar_rate() -> Value {
    use app::domain::calendar::{BusinessCalendar, Holiday, WorkInterval};
    use chrono::TimeZone;
    use rand::{Rng, SeedableRng};
    let day = || vec![WorkInterval::parse("09:00-13:00").unwrap(), WorkInterval::parse("14:00-18:00").unwrap()];
    let office = BusinessCalendar::new(
        "Europe/Paris",
        [day(), day(), day(), day(), day(), vec![], vec![]],
        ["01-01", "05-01", "07-14", "12-25"].iter().map(|h| Holiday::parse(h).unwrap()).collect(),
    )
    .expect("valid calendar");
    let always = BusinessCalendar::always("UTC").expect("valid calendar");
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let base = chrono::Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let starts: Vec<(chrono::DateTime<chrono::Utc>, u32)> = (0..200_000)
        .map(|_| (base + chrono::Duration::minutes(rng.random_range(0..525_600)), rng.random_range(15..2_400)))
        .collect();
    let mut out = serde_json::Map::new();
    for (name, cal) in [("always_24x7", &always), ("office_hours_paris", &office)] {
        let t = Instant::now();
        let mut sink = 0i64;
        for (s, m) in &starts {
            sink ^= cal.add(*s, *m).timestamp();
        }
        let secs = t.elapsed().as_secs_f64();
        std::hint::black_box(sink);
        out.insert(name.into(), json!({ "due_dates_per_s": round(starts.len() as f64 / secs) }));
    }
    Value::Object(out)
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

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
    json!({ "n": ms.len(), "p50_ms": round(at(0.5)), "p99_ms": round(at(0.99)), "max_ms": round(at(1.0)) })
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
    Ok(String::from_utf8_lossy(&out.stdout).to_string())
}

/// A `/proc/{pid}/status` memory line (`VmRSS`, `RssAnon`, `RssFile`) in kB.
fn status_kb(pid: u32, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(key)).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// Resident file-backed memory in kB, by what is mapped: the server binary, each kind of search
/// index file (`store`, `idx`, `pos`, `term`, `fast`, `fieldnorm`, …) and everything else.
fn file_rss_by_mapping(pid: u32, bin: &Path, index_dir: &Path) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    let Ok(smaps) = std::fs::read_to_string(format!("/proc/{pid}/smaps")) else { return out };
    let bin = std::fs::canonicalize(bin).map(|p| p.display().to_string()).unwrap_or_default();
    let index_dir = std::fs::canonicalize(index_dir).unwrap_or_else(|_| index_dir.to_path_buf());
    let mut mapping: Option<String> = None;
    for line in smaps.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.first().is_some_and(|f| f.contains('-') && !f.ends_with(':')) {
            mapping = fields.get(5).filter(|p| p.starts_with('/')).map(|path| {
                let path = Path::new(path);
                if path.display().to_string() == bin {
                    "binary".to_string()
                } else if path.starts_with(&index_dir) {
                    format!("index_{}", path.extension().and_then(|e| e.to_str()).unwrap_or("other"))
                } else {
                    "other".to_string()
                }
            });
        } else if let (Some(name), Some(&"Rss:"), Some(kb)) = (&mapping, fields.first(), fields.get(1).and_then(|v| v.parse::<u64>().ok())) {
            *out.entry(name.clone()).or_default() += kb;
        }
    }
    out
}

fn rss_kb(pid: u32) -> u64 {
    status_kb(pid, "VmRSS:")
}

async fn start(args: &Args, env: &[(&str, String)]) -> Result<(Server, f64), BoxError> {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0")?;
        l.local_addr()?.port()
    };
    let mut c = Command::new(&args.bin);
    let (out, err) = match &args.server_log {
        Some(path) => {
            let log = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
            (Stdio::from(log.try_clone()?), Stdio::from(log))
        }
        None => (Stdio::null(), Stdio::null()),
    };
    c.args(["serve", "--bind", &format!("127.0.0.1:{port}")]).stdin(Stdio::null()).stdout(out).stderr(err);
    for (k, v) in env {
        c.env(k, v);
    }
    let started = Instant::now();
    let child = c.spawn()?;
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    loop {
        if let Ok(r) = http.get(format!("{base}/health")).send().await {
            if r.status().is_success() {
                break;
            }
        }
        if started.elapsed() > Duration::from_secs(60) {
            return Err("server did not become healthy within 60 s".into());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok((Server { child, base }, started.elapsed().as_secs_f64() * 1000.0))
}

async fn timed(n: usize, mut f: impl FnMut(usize) -> futures::future::BoxFuture<'static, Result<(), BoxError>>) -> Result<Vec<f64>, BoxError> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        f(i).await?;
        out.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(out)
}

async fn create_rate(http: &reqwest::Client, base: &str, token: &str, clients: usize, per_client: usize) -> Result<f64, BoxError> {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (http, base, token) = (http.clone(), base.to_string(), token.to_string());
        tasks.push(tokio::spawn(async move {
            for i in 0..per_client {
                let body = json!({"title": format!("Bench ticket {c}-{i}: VPN drops on LT-{i:04}"), "description": "Generated by oxidesk-bench", "impact": "medium", "urgency": "low"});
                let r = http.post(format!("{base}/api/v1/tickets")).bearer_auth(&token).json(&body).send().await?;
                if r.status() != 201 {
                    return Err::<(), BoxError>(format!("create returned {}", r.status()).into());
                }
            }
            Ok(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    Ok(round((clients * per_client) as f64 / started.elapsed().as_secs_f64()))
}

async fn login_cookie(base: &str) -> Result<String, BoxError> {
    login_as(base, "agent").await
}

async fn login_as(base: &str, username: &str) -> Result<String, BoxError> {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let r = http
        .post(format!("{base}/api/auth/login"))
        .header("origin", base)
        .header("accept", "text/html")
        .form(&[("username", username), ("password", "oxidesk-demo")])
        .send()
        .await?;
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("oxidesk_session="))
        .map(|c| c.split(';').next().unwrap_or("").to_string())
        .ok_or_else(|| "login failed".into())
}

async fn fan_out(base: &str, cookie: &str, token: &str, connections: usize, changes: usize) -> Result<Value, BoxError> {
    let http = reqwest::Client::builder().pool_max_idle_per_host(0).build()?;
    let received: Arc<tokio::sync::Mutex<Vec<(String, Instant)>>> = Arc::default();
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(connections);
    for _ in 0..connections {
        let (http, base, cookie, received, ready) = (http.clone(), base.to_string(), cookie.to_string(), received.clone(), ready_tx.clone());
        tokio::spawn(async move {
            let Ok(res) = http.get(format!("{base}/api/live")).header("cookie", cookie).send().await else { return };
            let mut stream = res.bytes_stream();
            let mut buf = String::new();
            let mut said_ready = false;
            while let Some(Ok(chunk)) = stream.next().await {
                let now = Instant::now();
                buf.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buf.find("\n\n") {
                    let block: String = buf.drain(..end + 2).collect();
                    if !said_ready && block.contains("\"hello\"") {
                        said_ready = true;
                        let _ = ready.send(()).await;
                    }
                    if let Some(title) = block.split("\"fields\"").next().and_then(|_| block.find("ticket.updated").map(|_| block.clone())) {
                        let marker = title.split("\"version\":").nth(1).map(|v| v.split([',', '}']).next().unwrap_or("").to_string()).unwrap_or_default();
                        received.lock().await.push((marker, now));
                    }
                }
            }
        });
    }
    for _ in 0..connections {
        tokio::time::timeout(Duration::from_secs(60), ready_rx.recv()).await?;
    }
    let api = reqwest::Client::new();
    let mut sent = Vec::new();
    for i in 0..changes {
        let t = Instant::now();
        let r = api
            .patch(format!("{base}/api/v1/tickets/INC-000002"))
            .bearer_auth(token)
            .json(&json!({"title": format!("VPN disconnects every 10 minutes (fan-out {i})")}))
            .send()
            .await?;
        let v: Value = r.json().await?;
        sent.push((v["version"].to_string(), t));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let got = received.lock().await.clone();
    let mut lat = Vec::new();
    for (version, at) in &sent {
        for (v, when) in got.iter().filter(|(v, _)| v == version) {
            let _ = v;
            lat.push(when.duration_since(*at).as_secs_f64() * 1000.0);
        }
    }
    let expected = connections * changes;
    Ok(json!({ "connections": connections, "changes": changes, "deliveries": lat.len(), "expected": expected, "latency": percentiles(lat) }))
}

async fn run_backend(args: &Args, backend: &str) -> Result<Value, BoxError> {
    let data = std::env::temp_dir().join(format!("oxidesk-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data)?;
    let mut env: Vec<(&str, String)> = vec![("OXIDESK_DATA_DIR", data.display().to_string()), ("OXIDESK_LOG_LEVEL", "warn".into())];
    let mut pg_admin = None;
    if backend == "postgres" {
        let (root, _) = args.pg_url.rsplit_once('/').ok_or("bad --pg-url")?;
        pg_admin = Some(args.pg_url.clone());
        let admin = args.pg_url.clone();
        run_psql(&admin, "DROP DATABASE IF EXISTS oxidesk_bench WITH (FORCE)").await?;
        run_psql(&admin, "CREATE DATABASE oxidesk_bench").await?;
        env.push(("DATABASE_URL", format!("{root}/oxidesk_bench")));
    }
    let snapshot = args.snapshot.as_ref().filter(|_| backend == "sqlite");
    let t = Instant::now();
    let reused = match snapshot {
        Some(dir) if dir.join("oxidesk.db").exists() => {
            copy_dir(dir, &data).await?;
            true
        }
        _ => {
            oxidesk(args, &env, &["demo-data", "--tickets", &args.tickets.to_string(), "--agents", &args.agents.to_string(), "--requesters", &args.requesters.to_string(), "--articles", &args.articles.to_string(), "--cis", &args.cis.to_string(), "--relationships", &args.relationships.to_string()]).await?;
            if let Some(dir) = snapshot {
                copy_dir(&data, dir).await?;
            }
            false
        }
    };
    let generate_s = t.elapsed().as_secs_f64();
    let token = oxidesk(args, &env, &["create-token", "--username", "agent", "--name", "bench"]).await?.trim().to_string();
    let requester_token = oxidesk(args, &env, &["create-token", "--username", "requester", "--name", "bench"]).await?.trim().to_string();
    let t = Instant::now();
    let out = oxidesk(args, &env, &["reindex"]).await?;
    let reindex_s = t.elapsed().as_secs_f64();
    let indexed: u64 = out.split_whitespace().nth(1).and_then(|n| n.parse().ok()).ok_or("unexpected reindex output")?;

    let (server, cold_start_ms) = start(args, &env).await?;
    let pid = server.child.id().unwrap_or(0);
    let rss_idle_kb = rss_kb(pid);
    let base = server.base.clone();
    let http = reqwest::Client::new();

    let seq = create_rate(&http, &base, &token, 1, 5 * args.creates_per_client).await?;
    let concurrent = create_rate(&http, &base, &token, 32, args.creates_per_client).await?;

    let mut queues = serde_json::Map::new();
    for (name, query) in [
        ("open", "state=open"),
        ("mine", "state=open&assignee=me"),
        ("unassigned", "state=open&assignee=none"),
        ("my_groups", "state=open&group=mine"),
        ("breaching", "state=open&sla=breaching&sort=sla"),
        ("search", "q=vpn"),
        // A CI name: a dozen tickets among a million, so nothing stops a scan early.
        ("search_ci_name", "q=PBX-0042"),
    ] {
        let (h, b, tk, q) = (http.clone(), base.clone(), token.clone(), query.to_string());
        let lat = timed(args.samples, move |_| {
            let (h, b, tk, q) = (h.clone(), b.clone(), tk.clone(), q.clone());
            Box::pin(async move {
                let r = h.get(format!("{b}/api/v1/tickets?{q}&limit=50")).bearer_auth(tk).send().await?;
                if !r.status().is_success() {
                    return Err(format!("queue {q}: {}", r.status()).into());
                }
                r.bytes().await?;
                Ok(())
            })
        })
        .await?;
        queues.insert(name.into(), percentiles(lat));
    }

    // CMDB: the name lookup an agent types into a ticket's CI field, and a CI with its history.
    let mut cmdb = serde_json::Map::new();
    let cmdb_paths = if args.cis >= 1_000 { vec![
        ("lookup", "/api/v1/cis?q=vpn-gw-01&limit=10"),
        // A part shared by thousands of names (every laptop numbered 1xxx).
        ("lookup_many", "/api/v1/cis?q=lt-1&limit=10"),
        ("detail", "/api/v1/cis/PBX-0042"),
    ] } else { vec![] };
    for (name, path) in cmdb_paths {
        let (h, b, tk, path) = (http.clone(), base.clone(), token.clone(), path.to_string());
        let lat = timed(args.samples, move |_| {
            let (h, b, tk, path) = (h.clone(), b.clone(), tk.clone(), path.clone());
            Box::pin(async move {
                let r = h.get(format!("{b}{path}")).bearer_auth(tk).send().await?;
                if !r.status().is_success() {
                    return Err(format!("cmdb {path}: {}", r.status()).into());
                }
                r.bytes().await?;
                Ok(())
            })
        })
        .await?;
        cmdb.insert(name.into(), percentiles(lat));
    }

    let cookie = login_cookie(&base).await?;
    // Impact analysis and the map, from CIs spread over the whole CMDB (ids 1..cis).
    if args.cis >= 1_000 && args.relationships > 0 {
        let spread = args.cis;
        for (name, path) in [("impact_up", "/api/v1/cis/{id}/impact?depth=5"), ("impact_down", "/api/v1/cis/{id}/impact?direction=down&depth=5"), ("map_api", "/api/v1/cis/{id}/map?depth=3")] {
            let (h, b, tk, path) = (http.clone(), base.clone(), token.clone(), path.to_string());
            let reached = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
            let counted = reached.clone();
            let lat = timed(args.samples, move |i| {
                let (h, b, tk, counted) = (h.clone(), b.clone(), tk.clone(), counted.clone());
                let url = format!("{b}{}", path.replace("{id}", &(1 + (i as u64 * 7919) % spread).to_string()));
                Box::pin(async move {
                    let r = h.get(url).bearer_auth(tk).send().await?;
                    if !r.status().is_success() {
                        return Err(format!("cmdb impact: {}", r.status()).into());
                    }
                    let v: serde_json::Value = r.json().await?;
                    counted.fetch_add(v["nodes"].as_array().map(|n| n.len() as u64).unwrap_or(0), std::sync::atomic::Ordering::Relaxed);
                    Ok(())
                })
            })
            .await?;
            let mut figures = percentiles(lat);
            if let Some(o) = figures.as_object_mut() {
                o.insert("mean_nodes".into(), serde_json::json!(reached.load(std::sync::atomic::Ordering::Relaxed) / args.samples.max(1) as u64));
            }
            cmdb.insert(name.into(), figures);
        }
        let (h, b, c) = (http.clone(), base.clone(), cookie.clone());
        let lat = timed(args.samples, move |i| {
            let (h, b, c) = (h.clone(), b.clone(), c.clone());
            let id = 1 + (i as u64 * 7919) % spread;
            Box::pin(async move {
                let r = h.get(format!("{b}/console/cmdb/{id}/map?depth=3")).header("cookie", c).header("accept", "text/html").send().await?;
                if !r.status().is_success() {
                    return Err(format!("map page: {}", r.status()).into());
                }
                r.bytes().await?;
                Ok(())
            })
        })
        .await?;
        cmdb.insert("map_page".into(), percentiles(lat));
    }
    let max = args.tickets.max(5);
    let (h, b, c) = (http.clone(), base.clone(), cookie.clone());
    let page = timed(args.samples, move |i| {
        let (h, b, c) = (h.clone(), b.clone(), c.clone());
        let n = 1 + (i as u64 * 7919) % max;
        Box::pin(async move {
            let r = h.get(format!("{b}/console/tickets/INC-{n:06}")).header("cookie", c).header("accept", "text/html").send().await?;
            if !r.status().is_success() {
                return Err(format!("ticket page: {}", r.status()).into());
            }
            r.bytes().await?;
            Ok(())
        })
    })
    .await?;

    let (h, b, tk) = (http.clone(), base.clone(), requester_token.clone());
    let search = timed(args.samples, move |i| {
        let (h, b, tk) = (h.clone(), b.clone(), tk.clone());
        let q = SEARCHES[i % SEARCHES.len()];
        Box::pin(async move {
            let r = h.get(format!("{b}/api/v1/kb/search")).query(&[("q", q), ("limit", "10")]).bearer_auth(tk).send().await?;
            if !r.status().is_success() {
                return Err(format!("kb search: {}", r.status()).into());
            }
            r.bytes().await?;
            Ok(())
        })
    })
    .await?;
    let requester_cookie = login_as(&base, "requester").await?;
    let (h, b, c) = (http.clone(), base.clone(), requester_cookie.clone());
    let suggest = timed(args.samples, move |i| {
        let (h, b, c) = (h.clone(), b.clone(), c.clone());
        let text = TICKET_TEXTS[i % TICKET_TEXTS.len()];
        Box::pin(async move {
            let r = h.post(format!("{b}/api/kb/suggest")).header("cookie", c).header("origin", b.clone()).form(&[("text", text)]).send().await?;
            if !r.status().is_success() {
                return Err(format!("suggest: {}", r.status()).into());
            }
            r.bytes().await?;
            Ok(())
        })
    })
    .await?;

    let live = fan_out(&base, &cookie, &token, args.live_connections, 10).await?;

    // Recompute every open ticket's SLA targets after a calendar edit (admin API call).
    let admin_token = oxidesk(args, &env, &["create-token", "--username", "admin", "--name", "bench"]).await?.trim().to_string();
    let edit = json!({"name": "Office hours (Paris)", "time_zone": "Europe/Paris",
        "week": ["08:00-18:00", "08:00-18:00", "08:00-18:00", "08:00-18:00", "08:00-18:00", "", ""], "holidays": "12-25"});
    let t = Instant::now();
    let r = http.put(format!("{base}/api/v1/sla/calendars/2")).bearer_auth(&admin_token).json(&edit).send().await?;
    if !r.status().is_success() {
        return Err(format!("calendar edit: {}", r.status()).into());
    }
    let recompute_ms = round(t.elapsed().as_secs_f64() * 1000.0);
    // A policy edit may change which policy matches: every open ticket is recomputed.
    let policy = json!({"name": "Standard", "position": 3, "ticket_type": "incident", "response_minutes": 240, "resolution_minutes": 2400,
        "calendar_id": 2, "warn_percent": 80, "pause_reasons": ["awaiting_caller", "awaiting_change", "awaiting_problem", "awaiting_vendor"],
        "raise_priority": true, "escalate": false});
    let t = Instant::now();
    let r = http.put(format!("{base}/api/v1/sla/policies/3")).bearer_auth(&admin_token).json(&policy).send().await?;
    if !r.status().is_success() {
        return Err(format!("policy edit: {}", r.status()).into());
    }
    let policy_recompute_ms = round(t.elapsed().as_secs_f64() * 1000.0);
    let rss_loaded_kb = rss_kb(pid);
    // Resident memory splits into the heap (anonymous) and file pages mapped by the search index
    // and the database, which the kernel can drop and read again.
    let (anon_loaded_kb, file_loaded_kb) = (status_kb(pid, "RssAnon:"), status_kb(pid, "RssFile:"));
    let file_by_mapping: BTreeMap<String, u64> =
        file_rss_by_mapping(pid, &args.bin, &data.join("search")).into_iter().map(|(k, kb)| (k, kb / 1024)).collect();
    drop(server);
    if let Some(admin) = pg_admin {
        run_psql(&admin, "DROP DATABASE IF EXISTS oxidesk_bench WITH (FORCE)").await?;
    }
    let _ = std::fs::remove_dir_all(&data);
    Ok(json!({
        "backend": backend,
        "dataset": { "tickets": args.tickets, "agents": args.agents, "requesters": args.requesters, "articles": args.articles, "cis": args.cis, "relationships": args.relationships,
            "generate_s": if reused { Value::Null } else { round(generate_s).into() }, "copied_from_snapshot_s": if reused { round(generate_s).into() } else { Value::Null } },
        "search_index": { "documents": indexed, "rebuild_s": round(reindex_s), "documents_per_s": round(indexed as f64 / reindex_s.max(1e-9)) },
        "kb_search": percentiles(search),
        "deflection_suggestions": percentiles(suggest),
        "cold_start_ms": round(cold_start_ms),
        "rss_mb": { "idle": rss_idle_kb / 1024, "after_load": rss_loaded_kb / 1024,
            "after_load_anonymous": anon_loaded_kb / 1024, "after_load_file_backed": file_loaded_kb / 1024,
            "after_load_file_backed_by_mapping": file_by_mapping },
        "create_tickets_per_s": { "sequential": seq, "concurrent_32": concurrent },
        "queue_views": queues,
        "cmdb": cmdb,
        "ticket_page": percentiles(page),
        "live_fan_out": live,
        "sla_recompute_after_calendar_edit_ms": recompute_ms,
        "sla_recompute_all_open_after_policy_edit_ms": policy_recompute_ms,
    }))
}

/// Copies a data directory (database and search index) with `cp -a`.
async fn copy_dir(from: &Path, to: &Path) -> Result<(), BoxError> {
    std::fs::create_dir_all(to)?;
    let out = Command::new("cp").arg("-a").arg(format!("{}/.", from.display())).arg(to).output().await?;
    if !out.status.success() {
        return Err(format!("cp {} {}: {}", from.display(), to.display(), String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(())
}

async fn run_psql(url: &str, sql: &str) -> Result<(), BoxError> {
    let out = Command::new("psql").args([url, "-v", "ON_ERROR_STOP=1", "-qc", sql]).output().await?;
    if !out.status.success() {
        return Err(format!("psql: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(())
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
        eprintln!("benchmarking {b} with {} tickets…", args.tickets);
        results.push(run_backend(&args, b).await?);
    }
    eprintln!("measuring calendar due-date computations…");
    let calendar = calendar_rate();
    let machine = json!({
        "cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "os": std::env::consts::OS,
    });
    println!("{}", serde_json::to_string_pretty(&json!({ "machine": machine, "sla_due_date_computation": calendar, "results": results }))?);
    Ok(())
}
