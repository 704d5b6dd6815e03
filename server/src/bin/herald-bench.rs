//! `herald-bench`, the load test of BENCHMARKS.md: starts Herald in-process on a database of its
//! own, a local receiver, and a client that posts N messages with C concurrent calls; reports
//! ingest and delivery rates, latency from API call to arrival, duplicates and missing deliveries.
//!
//! `--scenario hanging` and `--scenario outage` measure delivery when an endpoint fails (issue 12):
//! see `herald_bench/hanging.rs` and `herald_bench/outage.rs`. `--scenario log` fills one company's
//! delivery log with millions of attempts and times the pages and listings that read it (issue
//! 13): see `herald_bench/log.rs`.
//!
//! It is a binary of its own, not a subcommand of `herald`: the shipped binary has no command that
//! empties databases, and this one never touches a database it did not create.

// The modules live in a folder without a `main.rs`, so cargo does not take them for binaries.
#[path = "herald_bench/hanging.rs"]
mod hanging;
#[path = "herald_bench/harness.rs"]
mod harness;
#[path = "herald_bench/log.rs"]
mod log;
#[path = "herald_bench/outage.rs"]
mod outage;
#[path = "herald_bench/receiver.rs"]
mod receiver;

use clap::{Parser, ValueEnum};
use harness::Herald;
use herald::config::LogFormat;
use receiver::{Mode, Receiver};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

// The same allocator as the `herald` binary, so the figures are the shipped binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Load test: a tenant with E endpoints on a local receiver, N messages posted with C concurrent
/// calls (`--scenario happy`); or one endpoint failing while the bench measures what that does to
/// another company (`hanging`) and to the failing endpoint's own backlog (`outage`).
#[derive(Debug, Parser)]
#[command(name = "herald-bench")]
pub struct BenchArgs {
    /// What to measure: `happy` (everything answers), `hanging` (company A's endpoint never
    /// answers while company B sends at --rate), `outage` (an endpoint down for --outage-secs
    /// with a backlog, then back).
    #[arg(long, value_enum, default_value_t = Scenario::Happy)]
    pub scenario: Scenario,
    /// Messages to send [default: 20000; hanging: 5000, A's backlog; outage: 3000, the backlog;
    /// log: 2000000, written straight into the log, about 10 million attempts with `-e 5`].
    #[arg(long, short = 'n')]
    pub messages: Option<usize>,
    /// Endpoints in the tenant (each message goes to all). `hanging`: company A's endpoints, all
    /// on the receiver that never answers; `outage` has one.
    #[arg(long, short = 'e', default_value_t = 1)]
    pub endpoints: usize,
    /// Concurrent API calls (for a backlog: as fast as the API takes them).
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
    /// `hanging`: company B's messages per second.
    #[arg(long, default_value_t = 50.0)]
    pub rate: f64,
    /// `hanging`: how long company B sends, in seconds.
    #[arg(long, default_value_t = 30)]
    pub duration: u64,
    /// `hanging`: skip the baseline phase (the same run with A's endpoint answering).
    #[arg(long)]
    pub no_baseline: bool,
    /// `outage`: seconds the endpoint is down, from the first message of the backlog.
    #[arg(long, default_value_t = 60)]
    pub outage_secs: u64,
    /// `outage`: how the endpoint is down.
    #[arg(long, value_enum, default_value_t = OutageKind::Unavailable)]
    pub outage_kind: OutageKind,
    /// `outage`: send `Retry-After: <secs>` with each 503.
    #[arg(long, value_name = "SECS")]
    pub retry_after: Option<u64>,
    /// A Herald setting for this run, as in herald.toml or HERALD_* without the prefix; repeat
    /// for several (`--set ENDPOINT_CONCURRENCY=16 --set PAUSE_AFTER=5`). Defaults otherwise.
    #[arg(long, value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scenario {
    Happy,
    Hanging,
    Outage,
    /// A company with millions of attempts in its log: how fast the listings and pages read it.
    Log,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutageKind {
    /// The receiver answers 503 Service Unavailable.
    #[value(name = "503")]
    Unavailable,
    /// The receiver closes each connection without an answer (a connection error).
    Refuse,
    /// The receiver never answers: each request ends at Herald's request timeout.
    Hang,
}

impl OutageKind {
    fn mode(self) -> Mode {
        match self {
            OutageKind::Unavailable => Mode::Unavailable,
            OutageKind::Refuse => Mode::Refuse,
            OutageKind::Hang => Mode::Hang,
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = BenchArgs::parse();
    herald::telemetry::init(LogFormat::Text);
    let outcome = match args.scenario {
        Scenario::Happy => happy(&args).await,
        Scenario::Hanging => hanging::run(&args).await,
        Scenario::Outage => outage::run(&args).await,
        Scenario::Log => log::run(&args).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("herald-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The happy path: every endpoint answers at once.
async fn happy(args: &BenchArgs) -> anyhow::Result<()> {
    let n = args.messages.unwrap_or(20_000);
    let receiver = Receiver::start(Mode::Answer, n * args.endpoints, None).await?;
    let herald = Arc::new(Herald::start(args, "").await?);
    let outcome = happy_run(args, n, &herald, &receiver).await;
    herald.stop().await;
    outcome
}

async fn happy_run(
    args: &BenchArgs,
    n: usize,
    herald: &Arc<Herald>,
    receiver: &Receiver,
) -> anyhow::Result<()> {
    let app_id = herald.create_app("bench").await?;
    for i in 0..args.endpoints {
        herald.create_endpoint(&app_id, &receiver.url(i)).await?;
    }

    let filler = "x".repeat(args.payload_bytes.saturating_sub(60));
    let started = Instant::now();
    let posted = herald
        .post_backlog(&app_id, n, args.concurrency, &filler)
        .await;
    let ingest_elapsed = posted.elapsed;
    let expected = posted.sent.len() * args.endpoints;
    let deadline = Instant::now() + Duration::from_secs(args.timeout_secs);
    loop {
        if receiver.arrived() >= expected || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A moment more, so late duplicates would show.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let arrivals = receiver.arrivals();
    let all_elapsed = arrivals
        .lock()
        .ok()
        .and_then(|a| a.values().map(|(_, t)| *t).max())
        .map(|t| t.duration_since(started))
        .unwrap_or_default();

    let (mut latencies, mut duplicates, mut missing) = (Vec::new(), 0u64, 0u64);
    if let Ok(arr) = arrivals.lock() {
        for (id, t0) in posted.sent.iter() {
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
    println!(
        "herald-bench: backend={} N={} E={} C={} payload={}B",
        herald.backend, n, args.endpoints, args.concurrency, args.payload_bytes
    );
    println!(
        "  ingest:      {:>8.0} msg/s ({} accepted, {} errors, {:.2}s)",
        expected as f64 / args.endpoints.max(1) as f64 / ingest_elapsed.as_secs_f64(),
        expected / args.endpoints.max(1),
        posted.errors,
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
    Ok(())
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
