//! `herald-bench`, the load test of BENCHMARKS.md: starts Herald in-process on a database of its
//! own, a local receiver, and a client that posts N messages with C concurrent calls; reports
//! ingest and delivery rates, latency from API call to arrival, duplicates and missing deliveries.
//!
//! It is a binary of its own, not a subcommand of `herald`: the shipped binary has no command that
//! empties databases, and this one never touches a database it did not create.

use bytes::Bytes;
use clap::Parser;
use herald::config::{Config, LogFormat};
use herald::startup::Application;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

// The same allocator as the `herald` binary, so the figures are the shipped binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Load test: a tenant with E endpoints on a local receiver, N messages posted with C concurrent calls.
#[derive(Debug, Parser)]
#[command(name = "herald-bench")]
pub struct BenchArgs {
    /// Messages to send.
    #[arg(long, short = 'n', default_value_t = 20_000)]
    pub messages: usize,
    /// Endpoints in the tenant (each message goes to all).
    #[arg(long, short = 'e', default_value_t = 1)]
    pub endpoints: usize,
    /// Concurrent API calls.
    #[arg(long, short = 'c', default_value_t = 64)]
    pub concurrency: usize,
    /// Payload size in bytes.
    #[arg(long, default_value_t = 1024)]
    pub payload_bytes: usize,
    /// Database: a fresh SQLite file in a temporary folder by default. A postgres:// URL names a
    /// server to connect to: the bench creates a database of its own there (herald_bench_<random>)
    /// and drops it when done; the database in the URL is only connected to, never changed.
    #[arg(long)]
    pub database_url: Option<String>,
    /// Give up waiting for deliveries after this many seconds.
    #[arg(long, default_value_t = 300)]
    pub timeout_secs: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = BenchArgs::parse();
    herald::telemetry::init(LogFormat::Text);
    let scratch = match &args.database_url {
        Some(server) => match ScratchDatabase::create(server).await {
            Ok(db) => Some(db),
            Err(e) => {
                eprintln!("herald-bench: {e:#}");
                return ExitCode::FAILURE;
            }
        },
        None => None,
    };
    let db_url = scratch.as_ref().map(|d| d.url.clone());
    let outcome = run(&args, db_url).await;
    if let Some(db) = scratch {
        if let Err(e) = db.drop_it().await {
            eprintln!("herald-bench: {e:#}");
        }
    }
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("herald-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// A PostgreSQL database the bench created, under a name no one else uses; dropping it is the
/// only destructive statement the bench runs.
struct ScratchDatabase {
    server: String,
    name: String,
    url: String,
}

impl ScratchDatabase {
    async fn create(server: &str) -> anyhow::Result<ScratchDatabase> {
        use anyhow::Context;
        use sqlx::Connection;
        let mut url = url::Url::parse(server).context("--database-url")?;
        if !matches!(url.scheme(), "postgres" | "postgresql") {
            anyhow::bail!("--database-url: a postgres:// URL, or nothing for SQLite");
        }
        // Hex only: the name goes into the statement as an identifier.
        let random = herald_app::ssr::infra::crypto::sha256_hex(
            &herald_app::ssr::infra::crypto::random_token(16),
        );
        let name = format!("herald_bench_{}", &random[..16]);
        let mut conn = sqlx::PgConnection::connect(server)
            .await
            .context("connecting to --database-url")?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .with_context(|| format!("creating the scratch database {name}"))?;
        let _ = conn.close().await;
        url.set_path(&name);
        eprintln!("herald-bench: running on a scratch database, {name}");
        Ok(ScratchDatabase {
            server: server.to_owned(),
            name,
            url: url.to_string(),
        })
    }

    async fn drop_it(self) -> anyhow::Result<()> {
        use anyhow::Context;
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&self.server).await?;
        sqlx::query(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut conn)
        .await
        .with_context(|| format!("dropping the scratch database {}", self.name))?;
        let _ = conn.close().await;
        Ok(())
    }
}

type Arrivals = Arc<Mutex<HashMap<(String, usize), (u32, Instant)>>>;

async fn run(args: &BenchArgs, postgres: Option<String>) -> anyhow::Result<()> {
    let arrivals: Arrivals = Arc::new(Mutex::new(HashMap::with_capacity(
        args.messages * args.endpoints,
    )));
    let receiver = TcpListener::bind("127.0.0.1:0").await?;
    let receiver_addr = receiver.local_addr()?;
    tokio::spawn(serve_receiver(receiver, arrivals.clone()));

    let tmp = std::env::temp_dir().join(format!("herald-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    let db_url = postgres.unwrap_or_else(|| format!("sqlite://{}", tmp.join("bench.db").display()));
    let key = format!(
        "hk_bench_{}",
        herald_app::ssr::infra::crypto::random_token(24)
    );
    let values = [
        ("BIND", "127.0.0.1:0".to_owned()),
        ("DATABASE_URL", db_url.clone()),
        ("DATA_DIR", tmp.display().to_string()),
        ("ALLOW_PRIVATE_NETWORKS", "true".to_owned()),
        ("BOOTSTRAP_API_KEY", key.clone()),
        ("LOG_FORMAT", "text".to_owned()),
    ];
    let config = Config::from_values(
        values
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )?;
    let app = Application::build(config).await?;
    let base = format!("http://{}", app.address());
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async move {
        let _ = stop_rx.await;
    }));

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()?;
    let auth = format!("Bearer {key}");
    let app_out: serde_json::Value = client
        .post(format!("{base}/api/v1/app"))
        .header("authorization", &auth)
        .json(&serde_json::json!({"name": "bench"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let app_id = app_out["id"].as_str().unwrap_or_default().to_owned();
    for i in 0..args.endpoints {
        client
            .post(format!("{base}/api/v1/app/{app_id}/endpoint"))
            .header("authorization", &auth)
            .json(&serde_json::json!({"url": format!("http://{receiver_addr}/ep/{i}")}))
            .send()
            .await?
            .error_for_status()?;
    }

    let filler = "x".repeat(args.payload_bytes.saturating_sub(60));
    let sent: Arc<Mutex<HashMap<String, Instant>>> =
        Arc::new(Mutex::new(HashMap::with_capacity(args.messages)));
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let errors = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.concurrency {
        let (client, base, auth, app_id, filler, sent, next, errors) = (
            client.clone(),
            base.clone(),
            auth.clone(),
            app_id.clone(),
            filler.clone(),
            sent.clone(),
            next.clone(),
            errors.clone(),
        );
        let n = args.messages;
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let body = format!(
                    r#"{{"eventType":"bench.event","payload":{{"i":{i},"filler":"{filler}"}}}}"#
                );
                let t0 = Instant::now();
                let resp = client
                    .post(format!("{base}/api/v1/app/{app_id}/msg"))
                    .header("authorization", &auth)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await;
                match resp {
                    Ok(r) if r.status().as_u16() == 202 => {
                        if let Ok(v) = r.json::<serde_json::Value>().await {
                            if let Some(id) = v["id"].as_str() {
                                if let Ok(mut s) = sent.lock() {
                                    s.insert(id.to_owned(), t0);
                                }
                            }
                        }
                    }
                    _ => {
                        errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let ingest_elapsed = started.elapsed();
    let expected = sent.lock().map(|s| s.len()).unwrap_or(0) * args.endpoints;
    let deadline = Instant::now() + Duration::from_secs(args.timeout_secs);
    loop {
        let got = arrivals.lock().map(|a| a.len()).unwrap_or(0);
        if got >= expected || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A moment more, so late duplicates would show.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let all_elapsed = arrivals
        .lock()
        .ok()
        .and_then(|a| a.values().map(|(_, t)| *t).max())
        .map(|t| t.duration_since(started))
        .unwrap_or_default();

    let (mut latencies, mut duplicates, mut missing) = (Vec::new(), 0u64, 0u64);
    if let (Ok(sent), Ok(arr)) = (sent.lock(), arrivals.lock()) {
        for (id, t0) in sent.iter() {
            for e in 0..args.endpoints {
                match arr.get(&(id.clone(), e)) {
                    Some((count, t)) => {
                        duplicates += u64::from(count.saturating_sub(1));
                        latencies.push(t.duration_since(*t0));
                    }
                    None => missing += 1,
                }
            }
        }
    }
    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    let backend = if db_url.starts_with("sqlite") {
        "sqlite"
    } else {
        "postgres"
    };
    println!(
        "herald-bench: backend={backend} N={} E={} C={} payload={}B",
        args.messages, args.endpoints, args.concurrency, args.payload_bytes
    );
    println!(
        "  ingest:      {:>8.0} msg/s ({} accepted, {} errors, {:.2}s)",
        expected as f64 / args.endpoints.max(1) as f64 / ingest_elapsed.as_secs_f64(),
        expected / args.endpoints.max(1),
        errors.load(std::sync::atomic::Ordering::Relaxed),
        ingest_elapsed.as_secs_f64()
    );
    println!(
        "  deliveries:  {:>8.0} /s ({} delivered in {:.2}s)",
        latencies.len() as f64 / all_elapsed.as_secs_f64().max(0.001),
        latencies.len(),
        all_elapsed.as_secs_f64()
    );
    println!(
        "  latency:     p50 {:.1} ms, p99 {:.1} ms",
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0
    );
    println!("  duplicates:  {duplicates}");
    println!("  missing:     {missing}");

    let _ = stop_tx.send(());
    let _ = server.await;
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}

async fn serve_receiver(listener: TcpListener, arrivals: Arrivals) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let arrivals = arrivals.clone();
        tokio::spawn(async move {
            let svc = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                let arrivals = arrivals.clone();
                async move {
                    let now = Instant::now();
                    let id = req
                        .headers()
                        .get("webhook-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    let ep = req
                        .uri()
                        .path()
                        .rsplit('/')
                        .next()
                        .and_then(|s| s.parse::<usize>().ok())
                        .unwrap_or(0);
                    let _ = http_body_util::BodyExt::collect(req.into_body()).await;
                    if let Ok(mut a) = arrivals.lock() {
                        let entry = a.entry((id, ep)).or_insert((0, now));
                        entry.0 += 1;
                    }
                    Ok::<_, std::convert::Infallible>(hyper::Response::new(Full::new(
                        Bytes::from_static(b"ok"),
                    )))
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}
