//! What every scenario needs: Herald started in-process on a database of its own, calls to its
//! REST API, reads of the delivery record from that database, and the figures printed.

use crate::{BenchArgs, ScratchDatabase};
use anyhow::Context;
use herald::config::Config;
use herald::startup::Application;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Configuration keys `--set` may not change: they are what keeps the bench on its own database.
const RESERVED_KEYS: &[&str] = &["BIND", "DATABASE_URL", "DATA_DIR", "BOOTSTRAP_API_KEY"];

/// Herald running in this process on a fresh database (SQLite in a temporary folder, or a
/// PostgreSQL database created for it), with an API key the bench uses.
pub struct Herald {
    pub base: String,
    pub client: reqwest::Client,
    auth: String,
    /// Read-only use: the delivery record, for the outcomes the scenarios report.
    db: sqlx::AnyPool,
    /// The writer, for a scenario that fills the log itself (`log`).
    write: sqlx::AnyPool,
    pub backend: &'static str,
    pub request_timeout: Duration,
    stop_tx: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    server: Mutex<Option<tokio::task::JoinHandle<anyhow::Result<()>>>>,
    scratch: Mutex<Option<ScratchDatabase>>,
    tmp: PathBuf,
}

impl Herald {
    /// Starts Herald on a database of its own; `tag` names the phase, so that two phases of one
    /// run never share a folder.
    pub async fn start(args: &BenchArgs, tag: &str) -> anyhow::Result<Herald> {
        let scratch = match &args.database_url {
            Some(server) => Some(ScratchDatabase::create(server).await?),
            None => None,
        };
        let tmp = std::env::temp_dir().join(if tag.is_empty() {
            format!("herald-bench-{}", std::process::id())
        } else {
            format!("herald-bench-{}-{tag}", std::process::id())
        });
        match Herald::start_on(args, scratch.as_ref().map(|s| s.url.clone()), &tmp).await {
            Ok(mut h) => {
                h.scratch = Mutex::new(scratch);
                Ok(h)
            }
            Err(e) => {
                if let Some(db) = scratch {
                    if let Err(e) = db.drop_it().await {
                        eprintln!("herald-bench: {e:#}");
                    }
                }
                let _ = std::fs::remove_dir_all(&tmp);
                Err(e)
            }
        }
    }

    async fn start_on(
        args: &BenchArgs,
        postgres: Option<String>,
        tmp: &std::path::Path,
    ) -> anyhow::Result<Herald> {
        std::fs::create_dir_all(tmp)?;
        let db_url =
            postgres.unwrap_or_else(|| format!("sqlite://{}", tmp.join("bench.db").display()));
        let key = format!(
            "hk_bench_{}",
            herald_app::ssr::infra::crypto::random_token(24)
        );
        let mut values: std::collections::BTreeMap<String, String> = [
            ("BIND", "127.0.0.1:0".to_owned()),
            ("DATABASE_URL", db_url.clone()),
            ("DATA_DIR", tmp.display().to_string()),
            ("ALLOW_PRIVATE_NETWORKS", "true".to_owned()),
            ("BOOTSTRAP_API_KEY", key.clone()),
            ("LOG_FORMAT", "text".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        for (k, v) in settings(args)? {
            values.insert(k, v);
        }
        let config = Config::from_values(values)?;
        let request_timeout = config.request_timeout;
        let app = Application::build(config).await?;
        let db = app.state.db.read.clone();
        let write = app.state.db.write.clone();
        let base = format!("http://{}", app.address());
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until(async move {
            let _ = stop_rx.await;
        }));
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(args.concurrency)
            .build()?;
        Ok(Herald {
            base,
            client,
            auth: format!("Bearer {key}"),
            db,
            write,
            backend: if db_url.starts_with("sqlite") {
                "sqlite"
            } else {
                "postgres"
            },
            request_timeout,
            stop_tx: Mutex::new(Some(stop_tx)),
            server: Mutex::new(Some(server)),
            scratch: Mutex::new(None),
            tmp: tmp.to_owned(),
        })
    }

    /// Stops the server (it finishes or releases its in-flight sends), then removes its database.
    pub async fn stop(&self) {
        if let Some(tx) = self.stop_tx.lock().ok().and_then(|mut t| t.take()) {
            let _ = tx.send(());
        }
        let server = self.server.lock().ok().and_then(|mut s| s.take());
        if let Some(server) = server {
            match server.await {
                Ok(Err(e)) => eprintln!("herald-bench: the server stopped with an error: {e:#}"),
                Err(e) => eprintln!("herald-bench: the server task failed: {e}"),
                Ok(Ok(())) => {}
            }
        }
        self.db.close().await;
        let scratch = self.scratch.lock().ok().and_then(|mut s| s.take());
        if let Some(db) = scratch {
            if let Err(e) = db.drop_it().await {
                eprintln!("herald-bench: {e:#}");
            }
        }
        let _ = std::fs::remove_dir_all(&self.tmp);
    }

    /// POSTs `body` to the API; the answer, which must be a success.
    pub async fn post_json(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> anyhow::Result<serde_json::Value> {
        Ok(self
            .client
            .post(format!("{}{path}", self.base))
            .header("authorization", &self.auth)
            .json(&body)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?)
    }

    /// GETs `path`, whole body read, as the API key or, with `session`, as a portal user
    /// (`session` is the cookie); its status.
    pub async fn get_status(&self, path: &str, session: Option<&str>) -> anyhow::Result<u16> {
        let rb = self.client.get(format!("{}{path}", self.base));
        let rb = match session {
            Some(cookie) => rb.header("cookie", cookie),
            None => rb.header("authorization", &self.auth),
        };
        let res = rb.send().await?;
        let status = res.status().as_u16();
        res.bytes().await?;
        Ok(status)
    }

    /// A portal session for `app`, as a magic link gives one: its cookie (`name=value`).
    pub async fn portal_session(&self, app: &str) -> anyhow::Result<String> {
        let link = self
            .post_json(
                &format!("/api/v1/auth/app-portal-access/{app}"),
                serde_json::json!({}),
            )
            .await?;
        let url = link["url"].as_str().context("no portal link url")?;
        let once = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let res = once.get(url).send().await?;
        let cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .find(|c| !c.ends_with('='))
            .context("the portal link set no session cookie")?;
        Ok(cookie.to_owned())
    }

    /// A transaction on the writer.
    pub async fn begin(&self) -> anyhow::Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(self.write.begin().await?)
    }

    /// Runs `sql` (no parameters) in `tx`, unprepared: each statement of a fill is new.
    pub async fn execute_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        sql: &str,
    ) -> anyhow::Result<()> {
        sqlx::query(sql)
            .persistent(false)
            .execute(&mut **tx)
            .await
            .with_context(|| format!("{}…", sql.chars().take(80).collect::<String>()))?;
        Ok(())
    }

    /// Runs `sql` (no parameters) on the writer.
    pub async fn execute(&self, sql: &str) -> anyhow::Result<()> {
        sqlx::query(sql)
            .persistent(false)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Creates a tenant (an application, in the API's words) and returns its id.
    pub async fn create_app(&self, name: &str) -> anyhow::Result<String> {
        let out: serde_json::Value = self
            .client
            .post(format!("{}/api/v1/app", self.base))
            .header("authorization", &self.auth)
            .json(&serde_json::json!({ "name": name }))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(out["id"].as_str().unwrap_or_default().to_owned())
    }

    /// Creates an endpoint and returns its id.
    pub async fn create_endpoint(&self, app_id: &str, url: &str) -> anyhow::Result<String> {
        let out: serde_json::Value = self
            .client
            .post(format!("{}/api/v1/app/{app_id}/endpoint", self.base))
            .header("authorization", &self.auth)
            .json(&serde_json::json!({ "url": url }))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(out["id"].as_str().unwrap_or_default().to_owned())
    }

    /// Posts one message; its id when the API accepted it (202).
    pub async fn post_message(&self, app_id: &str, i: usize, filler: &str) -> Option<String> {
        let body =
            format!(r#"{{"eventType":"bench.event","payload":{{"i":{i},"filler":"{filler}"}}}}"#);
        let r = self
            .client
            .post(format!("{}/api/v1/app/{app_id}/msg", self.base))
            .header("authorization", &self.auth)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .ok()?;
        if r.status().as_u16() != 202 {
            return None;
        }
        let v = r.json::<serde_json::Value>().await.ok()?;
        v["id"].as_str().map(str::to_owned)
    }

    /// Posts `n` messages with `concurrency` calls at a time, as fast as the API takes them.
    pub async fn post_backlog(
        self: &Arc<Self>,
        app_id: &str,
        n: usize,
        concurrency: usize,
        filler: &str,
    ) -> Posted {
        let sent: Arc<Mutex<HashMap<String, Instant>>> =
            Arc::new(Mutex::new(HashMap::with_capacity(n)));
        let next = Arc::new(AtomicUsize::new(0));
        let errors = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..concurrency.max(1) {
            let (herald, app_id, filler, sent, next, errors) = (
                self.clone(),
                app_id.to_owned(),
                filler.to_owned(),
                sent.clone(),
                next.clone(),
                errors.clone(),
            );
            tasks.push(tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    let t0 = Instant::now();
                    match herald.post_message(&app_id, i, &filler).await {
                        Some(id) => {
                            if let Ok(mut s) = sent.lock() {
                                s.insert(id, t0);
                            }
                        }
                        None => {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            }));
        }
        for t in tasks {
            let _ = t.await;
        }
        let elapsed = started.elapsed();
        let sent = sent.lock().map(|s| s.clone()).unwrap_or_default();
        Posted {
            sent,
            errors: errors.load(Ordering::Relaxed),
            elapsed,
        }
    }

    /// Posts `rate` messages a second for `duration`, on a fixed schedule: a slow answer does not
    /// hold back the next call. Returns each accepted message's call start and the call's length.
    pub async fn post_at_rate(
        self: &Arc<Self>,
        app_id: &str,
        rate: f64,
        duration: Duration,
        filler: &str,
    ) -> Paced {
        let count = (rate * duration.as_secs_f64()).round().max(1.0) as usize;
        let period = Duration::from_secs_f64(1.0 / rate.max(0.001));
        let start = tokio::time::Instant::now();
        let mut tasks = Vec::with_capacity(count);
        for i in 0..count {
            tokio::time::sleep_until(start + period.mul_f64(i as f64)).await;
            let (herald, app_id, filler) = (self.clone(), app_id.to_owned(), filler.to_owned());
            tasks.push(tokio::spawn(async move {
                let t0 = Instant::now();
                let id = herald.post_message(&app_id, i, &filler).await;
                id.map(|id| (id, t0, t0.elapsed()))
            }));
        }
        let mut paced = Paced {
            sent: HashMap::with_capacity(count),
            errors: 0,
        };
        for t in tasks {
            match t.await {
                Ok(Some((id, t0, took))) => {
                    paced.sent.insert(id, (t0, took));
                }
                _ => paced.errors += 1,
            }
        }
        paced
    }

    /// The deliveries to an endpoint, counted by state.
    pub async fn deliveries(&self, endpoint_id: &str) -> anyhow::Result<Deliveries> {
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT status, COUNT(*), COUNT(CASE WHEN attempts > 0 THEN 1 END) \
             FROM deliveries WHERE endpoint_id = $1 GROUP BY status",
        )
        .bind(endpoint_id)
        .fetch_all(&self.db)
        .await
        .context("counting deliveries")?;
        let mut d = Deliveries::default();
        for (status, count, attempted) in rows {
            d.attempted += attempted;
            match status {
                0 => d.succeeded += count,
                1 => d.pending += count,
                2 => d.failed += count,
                4 => d.skipped += count,
                _ => d.other += count,
            }
        }
        if d.skipped > 0 {
            let reasons: Vec<(Option<String>, i64)> = sqlx::query_as(
                "SELECT skip_reason, COUNT(*) FROM deliveries \
                 WHERE endpoint_id = $1 AND status = 4 GROUP BY skip_reason",
            )
            .bind(endpoint_id)
            .fetch_all(&self.db)
            .await
            .context("reading skip reasons")?;
            d.skip_reasons = reasons
                .into_iter()
                .map(|(r, n)| (r.unwrap_or_else(|| "no reason".to_owned()), n))
                .collect();
        }
        let (attempts,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM attempts WHERE endpoint_id = $1")
                .bind(endpoint_id)
                .fetch_one(&self.db)
                .await
                .context("counting attempts")?;
        d.attempts = attempts;
        Ok(d)
    }

    /// Whether the endpoint is disabled (and why), and its count of failures in a row.
    pub async fn endpoint(&self, endpoint_id: &str) -> anyhow::Result<EndpointState> {
        let (disabled, reason, failures): (i64, Option<String>, i64) = sqlx::query_as(
            "SELECT disabled, disabled_reason, consecutive_failures FROM endpoints WHERE id = $1",
        )
        .bind(endpoint_id)
        .fetch_one(&self.db)
        .await
        .context("reading the endpoint")?;
        Ok(EndpointState {
            disabled: disabled != 0,
            reason,
            consecutive_failures: failures,
        })
    }
}

/// `--set KEY=VALUE` pairs, keys with or without `HERALD_`.
fn settings(args: &BenchArgs) -> anyhow::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for s in &args.set {
        let Some((k, v)) = s.split_once('=') else {
            anyhow::bail!("--set {s}: expected KEY=VALUE, such as --set ENDPOINT_CONCURRENCY=16");
        };
        let k = k.trim();
        let k = k.strip_prefix("HERALD_").unwrap_or(k).to_owned();
        if RESERVED_KEYS.contains(&k.as_str()) {
            anyhow::bail!("--set {k}: the bench sets this itself");
        }
        out.push((k, v.to_owned()));
    }
    Ok(out)
}

pub struct Posted {
    pub sent: HashMap<String, Instant>,
    pub errors: usize,
    pub elapsed: Duration,
}

pub struct Paced {
    /// Accepted message id -> when its API call started, and how long the call took.
    pub sent: HashMap<String, (Instant, Duration)>,
    pub errors: usize,
}

#[derive(Debug, Default, Clone)]
pub struct Deliveries {
    pub succeeded: i64,
    pub pending: i64,
    pub failed: i64,
    pub skipped: i64,
    /// Any state this bench does not know (a newer build's).
    pub other: i64,
    /// Deliveries with at least one attempt.
    pub attempted: i64,
    /// Attempt rows: every HTTP try recorded.
    pub attempts: i64,
    pub skip_reasons: Vec<(String, i64)>,
}

impl Deliveries {
    /// The sum of several endpoints' records.
    pub fn add(&mut self, other: Deliveries) {
        self.succeeded += other.succeeded;
        self.pending += other.pending;
        self.failed += other.failed;
        self.skipped += other.skipped;
        self.other += other.other;
        self.attempted += other.attempted;
        self.attempts += other.attempts;
        for (reason, n) in other.skip_reasons {
            match self.skip_reasons.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, m)) => *m += n,
                None => self.skip_reasons.push((reason, n)),
            }
        }
    }

    pub fn states(&self) -> String {
        let mut s = format!(
            "{} succeeded, {} pending, {} failed, {} skipped",
            self.succeeded, self.pending, self.failed, self.skipped
        );
        if self.other > 0 {
            s.push_str(&format!(", {} in other states", self.other));
        }
        if !self.skip_reasons.is_empty() {
            let reasons: Vec<String> = self
                .skip_reasons
                .iter()
                .map(|(r, n)| format!("{n} {r}"))
                .collect();
            s.push_str(&format!(" (skipped: {})", reasons.join(", ")));
        }
        s
    }
}

#[derive(Debug, Clone)]
pub struct EndpointState {
    pub disabled: bool,
    pub reason: Option<String>,
    pub consecutive_failures: i64,
}

impl EndpointState {
    pub fn describe(&self) -> String {
        if self.disabled {
            format!(
                "endpoint DISABLED ({}), {} failures in a row",
                self.reason.as_deref().unwrap_or("no reason given"),
                self.consecutive_failures
            )
        } else {
            format!(
                "endpoint enabled, {} failures in a row",
                self.consecutive_failures
            )
        }
    }
}

/// p50, p99 and max of a set of latencies (the same percentile rule as the happy path's).
pub struct Summary {
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Summary {
    pub fn of(mut v: Vec<Duration>) -> Summary {
        v.sort();
        let pct = |p: f64| {
            v.get(((v.len() as f64 * p) as usize).min(v.len().saturating_sub(1)))
                .copied()
                .unwrap_or_default()
        };
        Summary {
            p50: pct(0.50),
            p99: pct(0.99),
            max: v.last().copied().unwrap_or_default(),
        }
    }

    pub fn describe(&self) -> String {
        format!(
            "p50 {}, p99 {}, max {}",
            ms(self.p50),
            ms(self.p99),
            ms(self.max)
        )
    }
}

/// A duration the way the bench prints it: milliseconds below ten seconds, seconds above.
pub fn ms(d: Duration) -> String {
    if d < Duration::from_secs(10) {
        format!("{:.1} ms", d.as_secs_f64() * 1000.0)
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

/// The command line this run was started with, quoted for a POSIX shell where needed.
pub fn command_line() -> String {
    std::env::args()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c))
            {
                a
            } else {
                format!("'{}'", a.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Polls `check` every `every` until it says done or `limit` has passed; true when done.
pub async fn poll_until<F, Fut>(limit: Duration, every: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + limit;
    loop {
        if check().await {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(every).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::receiver::{Mode, Receiver};
    use clap::Parser;

    #[test]
    fn set_takes_keys_with_or_without_the_prefix_and_keeps_the_database_its_own() {
        let args = BenchArgs::parse_from([
            "herald-bench",
            "--set",
            "HERALD_PAUSE_AFTER=5",
            "--set",
            "ENDPOINT_CONCURRENCY=16",
        ]);
        assert_eq!(
            settings(&args).unwrap(),
            vec![
                ("PAUSE_AFTER".to_owned(), "5".to_owned()),
                ("ENDPOINT_CONCURRENCY".to_owned(), "16".to_owned())
            ]
        );
        for bad in [
            "DATABASE_URL=sqlite://x.db",
            "HERALD_DATA_DIR=/",
            "PAUSE_AFTER",
        ] {
            let args = BenchArgs::parse_from(["herald-bench", "--set", bad]);
            assert!(settings(&args).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_flags_parse() {
        use clap::CommandFactory;
        BenchArgs::command().debug_assert();
        let args = BenchArgs::parse_from([
            "herald-bench",
            "--scenario",
            "outage",
            "--outage-kind",
            "503",
            "--retry-after",
            "5",
            "-n",
            "10",
        ]);
        assert_eq!(args.scenario, crate::Scenario::Outage);
        assert_eq!(args.outage_kind, crate::OutageKind::Unavailable);
        assert_eq!((args.retry_after, args.messages), (Some(5), Some(10)));
        let args = BenchArgs::parse_from(["herald-bench"]);
        assert_eq!(args.scenario, crate::Scenario::Happy);
        assert_eq!(args.messages, None);
    }

    #[test]
    fn summary_takes_the_same_percentiles_as_the_happy_path() {
        let s = Summary::of((1..=100).rev().map(Duration::from_millis).collect());
        assert_eq!(s.p50, Duration::from_millis(51));
        assert_eq!(s.p99, Duration::from_millis(100));
        assert_eq!(s.max, Duration::from_millis(100));
        assert_eq!(Summary::of(Vec::new()).max, Duration::ZERO);
    }

    /// The harness end to end on SQLite with three messages: the REST calls, the wait on the
    /// record, and the queries the scenarios report from.
    #[tokio::test]
    async fn reads_the_record_of_a_small_run() {
        small_run(BenchArgs::parse_from(["herald-bench"]), "test-sqlite").await;
    }

    /// The same on PostgreSQL, when `HERALD_BENCH_TEST_PG` names a server (such as
    /// postgres://postgres@127.0.0.1:5432/postgres): a scratch database is created and dropped.
    #[tokio::test]
    async fn reads_the_record_of_a_small_run_on_postgres() {
        let Ok(url) = std::env::var("HERALD_BENCH_TEST_PG") else {
            eprintln!("HERALD_BENCH_TEST_PG is not set: skipped");
            return;
        };
        small_run(
            BenchArgs::parse_from(["herald-bench", "--database-url", &url]),
            "test-pg",
        )
        .await;
    }

    async fn small_run(args: BenchArgs, tag: &str) {
        let rx = Receiver::start(Mode::Answer, 3, None).await.unwrap();
        let herald = Arc::new(Herald::start(&args, tag).await.unwrap());
        let app = herald.create_app("company").await.unwrap();
        let ep = herald.create_endpoint(&app, &rx.url(0)).await.unwrap();
        let posted = herald.post_backlog(&app, 3, 2, "x").await;
        assert_eq!((posted.sent.len(), posted.errors), (3, 0));
        let h: &Herald = &herald;
        let ep_ref = ep.as_str();
        let settled = poll_until(
            Duration::from_secs(20),
            Duration::from_millis(20),
            || async move {
                h.deliveries(ep_ref)
                    .await
                    .map(|d| d.succeeded == 3)
                    .unwrap_or(false)
            },
        )
        .await;
        let d = herald.deliveries(&ep).await.unwrap();
        let e = herald.endpoint(&ep).await.unwrap();
        herald.stop().await;
        assert!(settled, "{}", d.states());
        assert_eq!((d.pending, d.failed, d.skipped, d.other), (0, 0, 0, 0));
        assert_eq!((d.attempted, d.attempts), (3, 3));
        assert!(!e.disabled);
        assert_eq!(rx.arrived(), 3);
    }
}
