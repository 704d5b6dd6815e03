//! `herald bench`: starts Herald in-process on a fresh database, a local receiver, and a client
//! that posts N messages with C concurrent calls; reports ingest and delivery rates, latency
//! from API call to arrival, duplicates and missing deliveries.

use crate::config::Config;
use crate::startup::Application;
use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

#[derive(Debug, clap::Args)]
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
    /// Database: a fresh SQLite file in a temporary folder by default, or a postgres:// URL
    /// (its tables are emptied first).
    #[arg(long)]
    pub database_url: Option<String>,
    /// Give up waiting for deliveries after this many seconds.
    #[arg(long, default_value_t = 300)]
    pub timeout_secs: u64,
}

type Arrivals = Arc<Mutex<HashMap<(String, usize), (u32, Instant)>>>;

pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    let arrivals: Arrivals = Arc::new(Mutex::new(HashMap::with_capacity(
        args.messages * args.endpoints,
    )));
    let receiver = TcpListener::bind("127.0.0.1:0").await?;
    let receiver_addr = receiver.local_addr()?;
    tokio::spawn(serve_receiver(receiver, arrivals.clone()));

    let tmp = std::env::temp_dir().join(format!("herald-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    let db_url = match &args.database_url {
        Some(u) => {
            reset_postgres(u).await?;
            u.clone()
        }
        None => format!("sqlite://{}", tmp.join("bench.db").display()),
    };
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
        "herald bench: backend={backend} N={} E={} C={} payload={}B",
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

async fn reset_postgres(url: &str) -> anyhow::Result<()> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await?;
    sqlx::query("DROP SCHEMA public CASCADE")
        .execute(&mut conn)
        .await?;
    sqlx::query("CREATE SCHEMA public")
        .execute(&mut conn)
        .await?;
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
