//! `--scenario log` (issue 13): one company whose delivery log holds millions of attempts, and how
//! fast the API listings and the portal pages that read it answer.
//!
//! The log is written straight into the bench's own database, in large INSERTs, as the worker
//! would have left it: messages spread over `--days` (ids carry their time, as Herald's do), four
//! event types weighted 50/30/15/5 % and a rare one on the three oldest messages only; for each
//! endpoint a delivery: 1 in 50 failed after three tries, 1 in 10 delivered at the second try,
//! the rest at the first; the last endpoint takes one type only, so the others are skipped there.
//! PostgreSQL then gets `ANALYZE`, as its autovacuum would in time; SQLite gets none, as in
//! production. Nothing is pending, so the worker stays idle while the pages are timed.

use crate::harness::{ms, Herald};
use crate::BenchArgs;
use anyhow::Context;
use std::time::{Duration, Instant};

/// The common types and their weights in percent.
const TYPES: [(&str, u64); 4] = [
    ("log.common", 50),
    ("log.frequent", 30),
    ("log.occasional", 15),
    ("log.seldom", 5),
];
/// On the three oldest messages only: a filter that matches "only one old row".
const RARE: &str = "log.rare";
const DAY_MS: i64 = 86_400_000;
/// Messages per INSERT statement (their deliveries and attempts follow in their own).
const BATCH: usize = 500;
/// Statements per transaction.
const BATCHES_PER_TX: usize = 20;
const WARM_UPS: usize = 3;
const RUNS: usize = 30;
const API_TARGET: Duration = Duration::from_millis(50);
const PAGE_TARGET: Duration = Duration::from_millis(100);

pub async fn run(args: &BenchArgs) -> anyhow::Result<()> {
    let n = args.messages.unwrap_or(2_000_000);
    let endpoints = args.endpoints.max(2);
    let herald = Herald::start(args, "").await?;
    let outcome = run_on(args, &herald, n, endpoints).await;
    herald.stop().await;
    outcome
}

/// A ULID with the prefix: time first, so ids sort by time as Herald's do.
fn id(prefix: &str, ts: i64, unique: u128) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let v: u128 = ((ts.max(0) as u128) << 80) | (unique & ((1u128 << 80) - 1));
    let mut s = String::with_capacity(prefix.len() + 26);
    s.push_str(prefix);
    for k in (0..26).rev() {
        s.push(ALPHABET[((v >> (k * 5)) & 31) as usize] as char);
    }
    s
}

fn event_type(i: usize) -> &'static str {
    if i < 3 {
        return RARE;
    }
    // A fixed scramble of i, so the types interleave as real traffic does.
    let mut r = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
    r %= 100;
    let mut acc = 0;
    for (t, w) in TYPES {
        acc += w;
        if r < acc {
            return t;
        }
    }
    TYPES[0].0
}

struct Fill {
    messages: usize,
    deliveries: usize,
    attempts: usize,
    elapsed: Duration,
}

async fn run_on(
    args: &BenchArgs,
    herald: &Herald,
    n: usize,
    endpoint_count: usize,
) -> anyhow::Result<()> {
    let app = herald.create_app("log").await?;
    for (t, _) in TYPES.iter().copied().chain([(RARE, 0)]) {
        herald
            .post_json(
                "/api/v1/event-type",
                serde_json::json!({ "name": t, "description": t }),
            )
            .await?;
    }
    let mut endpoints = Vec::new();
    for i in 0..endpoint_count {
        let filter = (i == endpoint_count - 1).then(|| serde_json::json!([TYPES[0].0]));
        let mut body = serde_json::json!({ "url": format!("http://127.0.0.1:9/e{i}") });
        if let Some(f) = filter {
            body["filterTypes"] = f;
        }
        let out = herald
            .post_json(&format!("/api/v1/app/{app}/endpoint"), body)
            .await?;
        endpoints.push(out["id"].as_str().unwrap_or_default().to_owned());
    }

    let now = herald_app::ssr::infra::time::now_ms();
    let days = 30;
    let t0 = now - days * DAY_MS;
    let span = days * DAY_MS - 60_000;
    let at = |i: usize| t0 + (span as i128 * i as i128 / n.max(1) as i128) as i64;
    let fill = fill(herald, &app, &endpoints, n, at).await?;
    println!(
        "log: {} messages, {} deliveries, {} attempts over {days} days written in {:.0} s ({}, {} endpoints)",
        fill.messages,
        fill.deliveries,
        fill.attempts,
        fill.elapsed.as_secs_f64(),
        herald.backend,
        endpoints.len()
    );
    // The health rollup the recorder keeps as it goes: the last 8 days, as migration 0017 backfills
    // it on an upgrade.
    herald.execute(&rollup_sql(now - 8 * DAY_MS)).await?;
    if herald.backend == "postgres" {
        herald.execute("ANALYZE").await?;
    }

    let ep = &endpoints[0];
    let mid = n / 2;
    let mid_msg = id("msg_", at(mid), mid as u128);
    let deep = id(
        "msg_",
        at(n.saturating_sub(1000)),
        n.saturating_sub(1000) as u128,
    );
    let before = herald_app::ssr::infra::time::to_rfc3339(now - 15 * DAY_MS);
    let since_local = local(now - 10 * DAY_MS);
    let until_local = local(now - 9 * DAY_MS);

    let api: Vec<(String, String)> = vec![
        (
            "attempts by endpoint".into(),
            format!("/api/v1/app/{app}/attempt/endpoint/{ep}"),
        ),
        (
            "  status=2 (failed)".into(),
            format!("/api/v1/app/{app}/attempt/endpoint/{ep}?status=2"),
        ),
        (
            "  rare event type".into(),
            format!("/api/v1/app/{app}/attempt/endpoint/{ep}?event_types={RARE}"),
        ),
        (
            "  before 15 days ago".into(),
            format!("/api/v1/app/{app}/attempt/endpoint/{ep}?before={before}"),
        ),
        (
            "attempts by message".into(),
            format!("/api/v1/app/{app}/attempt/msg/{mid_msg}"),
        ),
        (
            "a message's endpoints".into(),
            format!("/api/v1/app/{app}/msg/{mid_msg}/endpoint"),
        ),
        (
            "an endpoint's messages".into(),
            format!("/api/v1/app/{app}/endpoint/{ep}/msg"),
        ),
        (
            "messages, rare type".into(),
            format!("/api/v1/app/{app}/msg?event_types={RARE}"),
        ),
    ];
    let session = herald.portal_session(&app).await?;
    let pages: Vec<(String, String)> = vec![
        ("endpoints (landing)".into(), format!("/portal/{app}")),
        (
            "an endpoint".into(),
            format!("/portal/{app}/endpoints/{ep}"),
        ),
        ("log".into(), format!("/portal/{app}/logs")),
        (
            "log, failed".into(),
            format!("/portal/{app}/logs?state=failed"),
        ),
        (
            "log, rare type".into(),
            format!("/portal/{app}/logs?event_type={RARE}"),
        ),
        (
            "log, endpoint + dates".into(),
            format!(
                "/portal/{app}/logs?endpoint={ep}&since={since_local}&until={until_local}&tz=0"
            ),
        ),
        (
            "log, a deep page".into(),
            format!("/portal/{app}/logs?before={deep}.{ep}"),
        ),
        (
            "message view".into(),
            format!("/portal/{app}/messages/{mid_msg}"),
        ),
        (
            "search by event id".into(),
            format!("/portal/{app}/messages?id=evt-{mid}"),
        ),
    ];
    println!(
        "{:<28} {:>9} {:>9} {:>9}  target",
        "API (server time)", "p50", "p95", "max"
    );
    let mut misses = 0;
    for (name, path) in &api {
        misses += time(herald, name, path, None, API_TARGET).await?;
    }
    println!(
        "{:<28} {:>9} {:>9} {:>9}  target",
        "portal page", "p50", "p95", "max"
    );
    for (name, path) in &pages {
        misses += time(herald, name, path, Some(&session), PAGE_TARGET).await?;
    }
    println!(
        "log: {misses} of {} miss their target; {}",
        api.len() + pages.len(),
        crate::harness::command_line()
    );
    let _ = args;
    Ok(())
}

/// `ms` as a `datetime-local` value in UTC.
fn local(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// Times `path` (warm-ups, then runs) and prints its line; 1 if its p95 misses `target`.
async fn time(
    herald: &Herald,
    name: &str,
    path: &str,
    session: Option<&str>,
    target: Duration,
) -> anyhow::Result<usize> {
    let mut took = Vec::with_capacity(RUNS);
    for i in 0..WARM_UPS + RUNS {
        let started = Instant::now();
        let status = herald.get_status(path, session).await?;
        let elapsed = started.elapsed();
        anyhow::ensure!(status == 200, "{name}: {path} answered {status}");
        if i >= WARM_UPS {
            took.push(elapsed);
        }
    }
    took.sort();
    let p = |q: f64| took[((took.len() as f64 * q) as usize).min(took.len() - 1)];
    let p95 = p(0.95);
    let verdict = if p95 <= target { "meets" } else { "MISSES" };
    println!(
        "{name:<28} {:>9} {:>9} {:>9}  {verdict} {}",
        ms(p(0.5)),
        ms(p95),
        ms(took[took.len() - 1]),
        ms(target)
    );
    Ok(usize::from(p95 > target))
}

/// Writes the log: messages, then their deliveries and attempts, `BATCH` messages per
/// statement.
async fn fill(
    herald: &Herald,
    app: &str,
    endpoints: &[String],
    n: usize,
    at: impl Fn(usize) -> i64,
) -> anyhow::Result<Fill> {
    let started = Instant::now();
    let (mut deliveries, mut attempts) = (0, 0);
    let filtered = endpoints.len() - 1;
    let mut tx = herald.begin().await?;
    let mut in_tx = 0;
    let mut start = 0;
    while start < n {
        let end = (start + BATCH).min(n);
        let mut m_sql = String::from(
            "INSERT INTO messages (id, app_id, event_type, event_id, payload, channels, created_at) VALUES ",
        );
        let mut d_sql = String::from(
            "INSERT INTO deliveries (app_id, msg_id, endpoint_id, status, skip_reason, attempts, last_status_code, trigger_type, created_at, updated_at) VALUES ",
        );
        let mut a_sql = String::from(
            "INSERT INTO attempts (id, app_id, msg_id, endpoint_id, url, status, response_status_code, response, response_headers, request_headers, duration_ms, trigger_type, error, created_at) VALUES ",
        );
        let (mut first_d, mut first_a) = (true, true);
        for i in start..end {
            let ts = at(i);
            let msg = id("msg_", ts, i as u128);
            let t = event_type(i);
            if i > start {
                m_sql.push(',');
            }
            m_sql.push_str(&format!(
                "('{msg}','{app}','{t}','evt-{i}','{{\"i\":{i},\"amount\":10.50,\"currency\":\"EUR\"}}',NULL,{ts})"
            ));
            for (j, ep) in endpoints.iter().enumerate() {
                let k = i * endpoints.len() + j;
                // Scrambled, so that every endpoint gets its share of failures (with `k` itself,
                // `k % 50` never hit some endpoints at all for some endpoint counts).
                let r = (k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
                let (status, tries, codes): (i64, usize, &[i64]) =
                    if j == filtered && t != TYPES[0].0 {
                        (4, 0, &[])
                    } else if r % 50 == 7 {
                        (2, 3, &[500, 500, 500])
                    } else if r % 10 == 3 {
                        (0, 2, &[500, 200])
                    } else {
                        (0, 1, &[200])
                    };
                let skip = if status == 4 {
                    "'filtered-out'"
                } else {
                    "NULL"
                };
                let last = codes.last().map_or("NULL".to_owned(), |c| c.to_string());
                let updated = ts + tries as i64 * 1_000;
                if !first_d {
                    d_sql.push(',');
                }
                first_d = false;
                d_sql.push_str(&format!(
                    "('{app}','{msg}','{ep}',{status},{skip},{tries},{last},0,{ts},{updated})"
                ));
                deliveries += 1;
                for (try_n, code) in codes.iter().enumerate() {
                    let a_ts = ts + try_n as i64 * 1_000;
                    let a_id = id("atmpt_", a_ts, (k * 4 + try_n) as u128);
                    let a_status = i64::from(*code != 200) * 2;
                    if !first_a {
                        a_sql.push(',');
                    }
                    first_a = false;
                    a_sql.push_str(&format!(
                        "('{a_id}','{app}','{msg}','{ep}','http://127.0.0.1:9/e{j}',{a_status},{code},'ok','{{}}','{{}}',12,0,NULL,{a_ts})"
                    ));
                    attempts += 1;
                }
            }
        }
        herald.execute_in(&mut tx, &m_sql).await?;
        herald.execute_in(&mut tx, &d_sql).await?;
        if !first_a {
            herald.execute_in(&mut tx, &a_sql).await?;
        }
        in_tx += 1;
        if in_tx == BATCHES_PER_TX {
            tx.commit().await.context("commit")?;
            tx = herald.begin().await?;
            in_tx = 0;
        }
        start = end;
        if start % 100_000 < BATCH {
            eprintln!("log: {start} of {n} messages written");
        }
    }
    tx.commit().await.context("commit")?;
    Ok(Fill {
        messages: n,
        deliveries,
        attempts,
        elapsed: started.elapsed(),
    })
}

/// `endpoint_hours` from the attempts and failed deliveries since `since` (ms).
fn rollup_sql(since: i64) -> String {
    let mut buckets = String::new();
    let mut low = None;
    for high in [100, 250, 500, 1_000, 2_500, 5_000, 10_000] {
        let cond = match low {
            None => format!("duration_ms <= {high}"),
            Some(l) => format!("duration_ms > {l} AND duration_ms <= {high}"),
        };
        buckets.push_str(&format!("SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), "));
        low = Some(high);
    }
    format!(
        "INSERT INTO endpoint_hours (endpoint_id, hour_start, app_id, attempts_ok, attempts_failed,
             delivered, lat_0, lat_1, lat_2, lat_3, lat_4, lat_5, lat_6, lat_7, last_success_at)
         SELECT endpoint_id, (created_at / 3600000) * 3600000, MIN(app_id),
             SUM(CASE WHEN status = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN status = 0 THEN 0 ELSE 1 END),
             SUM(CASE WHEN status = 0 THEN 1 ELSE 0 END), {buckets}
             SUM(CASE WHEN duration_ms > 10000 THEN 1 ELSE 0 END),
             MAX(CASE WHEN status = 0 THEN created_at END)
         FROM attempts WHERE created_at >= {since}
         GROUP BY endpoint_id, (created_at / 3600000) * 3600000"
    )
}
