//! `--scenario outage`: one company, one endpoint, N messages queued while the endpoint is down
//! (503, refused connections, or hanging: `--outage-kind`) for `--outage-secs`, counted from the
//! first message; then it recovers. What is measured: whether the endpoint was disabled, what
//! was skipped, failed or still pending at recovery, how long after recovery the whole backlog
//! was delivered (target: 30 s), and duplicates.

use crate::harness::{command_line, ms, Deliveries, EndpointState, Herald};
use crate::receiver::{Mode, Receiver};
use crate::{BenchArgs, OutageKind};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The target: the backlog is delivered within this long of recovery.
const TARGET_DRAIN: Duration = Duration::from_secs(30);
/// How often the record is read during the outage.
const WATCH_EVERY: Duration = Duration::from_millis(500);

struct Report {
    backend: &'static str,
    request_timeout: Duration,
    accepted: usize,
    errors: usize,
    ingest: Duration,
    /// How long the endpoint was actually down.
    outage: Duration,
    /// Since the start of the outage, when each first happened.
    first_disabled: Option<Duration>,
    first_skipped: Option<Duration>,
    first_failed: Option<Duration>,
    requests_during: u64,
    at_recovery: Deliveries,
    endpoint_at_recovery: EndpointState,
    /// After recovery: the first delivery, and the last one when all arrived.
    first_after: Option<Duration>,
    drained_after: Option<Duration>,
    /// Why the wait after recovery ended, when it was not because everything was settled.
    stopped: Option<String>,
    final_deliveries: Deliveries,
    endpoint_final: EndpointState,
    requests_total: u64,
    delivered: usize,
    missing: usize,
    duplicates: u64,
}

pub async fn run(args: &BenchArgs) -> anyhow::Result<()> {
    let n = args.messages.unwrap_or(3_000);
    let receiver = Receiver::start(args.outage_kind.mode(), n, args.retry_after).await?;
    let herald = Arc::new(Herald::start(args, "outage").await?);
    let outcome = measure(args, n, &herald, &receiver).await;
    receiver.set_mode(Mode::Answer);
    herald.stop().await;
    let r = outcome?;

    let kind = match (args.outage_kind, args.retry_after) {
        (OutageKind::Unavailable, Some(s)) => format!("503 with Retry-After: {s}"),
        (OutageKind::Unavailable, None) => "503".to_owned(),
        (OutageKind::Refuse, _) => "connections closed unanswered".to_owned(),
        (OutageKind::Hang, _) => "never answers".to_owned(),
    };
    println!("$ {}", command_line());
    println!(
        "herald-bench: scenario=outage backend={} N={} C={} outage={}s ({kind}) payload={}B request-timeout={}",
        r.backend,
        n,
        args.concurrency,
        args.outage_secs,
        args.payload_bytes,
        humantime::format_duration(r.request_timeout)
    );
    println!(
        "  ingest:      {:>8.0} msg/s ({} accepted, {} errors, {:.2}s)",
        r.accepted as f64 / r.ingest.as_secs_f64().max(0.001),
        r.accepted,
        r.errors,
        r.ingest.as_secs_f64()
    );
    let when = |d: Option<Duration>| match d {
        Some(d) => format!("at +{:.1}s", d.as_secs_f64()),
        None => "never".to_owned(),
    };
    println!(
        "  outage:      {:.1}s, {} requests reached the receiver; a delivery failed: {}, skipped: {}; endpoint disabled: {}",
        r.outage.as_secs_f64(),
        r.requests_during,
        when(r.first_failed),
        when(r.first_skipped),
        when(r.first_disabled)
    );
    println!(
        "  at recovery: {}; {} attempts recorded, {} deliveries attempted; {}",
        r.at_recovery.states(),
        r.at_recovery.attempts,
        r.at_recovery.attempted,
        r.endpoint_at_recovery.describe()
    );
    let after = |d: Option<Duration>| match d {
        Some(d) => format!("{:.2}s after recovery", d.as_secs_f64()),
        None => "never".to_owned(),
    };
    println!(
        "  recovery:    first delivery {}, whole backlog {}{}",
        after(r.first_after),
        after(r.drained_after),
        match &r.stopped {
            Some(why) => format!(" (stopped waiting: {why})"),
            None => String::new(),
        }
    );
    println!(
        "  final:       {}; {}; {} attempts recorded, {} requests at the receiver",
        r.final_deliveries.states(),
        r.endpoint_final.describe(),
        r.final_deliveries.attempts,
        r.requests_total
    );
    println!("  delivered:   {} of {}", r.delivered, r.accepted);
    println!("  duplicates:  {}", r.duplicates);
    println!("  missing:     {}", r.missing);
    let f = &r.final_deliveries;
    let never_disabled = r.first_disabled.is_none() && !r.endpoint_final.disabled;
    let nothing_lost = f.skipped == 0 && f.failed == 0 && f.other == 0 && r.missing == 0;
    let in_time = r.drained_after.is_some_and(|d| d <= TARGET_DRAIN);
    println!(
        "  target:      never disabled: {}; nothing skipped, failed or missing: {}; backlog delivered within {} of recovery: {}",
        met(never_disabled),
        met(nothing_lost),
        ms(TARGET_DRAIN),
        met(in_time)
    );
    Ok(())
}

fn met(yes: bool) -> &'static str {
    if yes {
        "met"
    } else {
        "NOT met"
    }
}

async fn measure(
    args: &BenchArgs,
    n: usize,
    herald: &Arc<Herald>,
    receiver: &Receiver,
) -> anyhow::Result<Report> {
    let app = herald.create_app("company").await?;
    let ep = herald.create_endpoint(&app, &receiver.url(0)).await?;
    let filler = "x".repeat(args.payload_bytes.saturating_sub(60));

    // The outage starts with the first message.
    let outage_start = Instant::now();
    let backlog = herald
        .post_backlog(&app, n, args.concurrency, &filler)
        .await;
    // It lasts --outage-secs, or until the backlog is all in when that takes longer.
    let recovery_at = (outage_start + Duration::from_secs(args.outage_secs)).max(Instant::now());
    let (mut first_disabled, mut first_skipped, mut first_failed) = (None, None, None);
    loop {
        let e = herald.endpoint(&ep).await?;
        let d = herald.deliveries(&ep).await?;
        let t = outage_start.elapsed();
        if e.disabled && first_disabled.is_none() {
            first_disabled = Some(t);
        }
        if d.skipped > 0 && first_skipped.is_none() {
            first_skipped = Some(t);
        }
        if d.failed > 0 && first_failed.is_none() {
            first_failed = Some(t);
        }
        let now = Instant::now();
        if now >= recovery_at {
            break;
        }
        tokio::time::sleep(WATCH_EVERY.min(recovery_at - now)).await;
    }
    let requests_during = receiver.requests();
    let at_recovery = herald.deliveries(&ep).await?;
    let endpoint_at_recovery = herald.endpoint(&ep).await?;
    let recovered = Instant::now();
    receiver.set_mode(Mode::Answer);
    let outage = recovered.duration_since(outage_start);

    // After recovery: wait until every accepted message arrived and the record has nothing
    // pending (no retry left that could add a duplicate); or until nothing more can arrive.
    let accepted = backlog.sent.len();
    let deadline = recovered + Duration::from_secs(args.timeout_secs);
    let mut stopped = None;
    let mut last_read = None::<Instant>;
    loop {
        let all_arrived = receiver.arrived() >= accepted;
        if all_arrived || last_read.is_none_or(|t| t.elapsed() >= Duration::from_millis(250)) {
            last_read = Some(Instant::now());
            let d = herald.deliveries(&ep).await?;
            if d.pending == 0 {
                if !all_arrived {
                    stopped = Some("nothing pending is left to deliver".to_owned());
                }
                break;
            }
            if herald.endpoint(&ep).await?.disabled {
                stopped = Some(format!(
                    "the endpoint is disabled, with {} deliveries pending",
                    d.pending
                ));
                break;
            }
        }
        if Instant::now() >= deadline {
            stopped = Some(format!("--timeout-secs {} passed", args.timeout_secs));
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let final_deliveries = herald.deliveries(&ep).await?;
    let endpoint_final = herald.endpoint(&ep).await?;
    let requests_total = receiver.requests();
    let (mut first, mut last, mut delivered, mut missing, mut duplicates) =
        (None::<Instant>, None::<Instant>, 0usize, 0usize, 0u64);
    if let Ok(arr) = receiver.arrivals().lock() {
        for id in backlog.sent.keys() {
            match arr.get(&(id.clone(), 0)) {
                Some((count, t)) => {
                    delivered += 1;
                    duplicates += u64::from(count.saturating_sub(1));
                    first = Some(first.map_or(*t, |f| f.min(*t)));
                    last = Some(last.map_or(*t, |l| l.max(*t)));
                }
                None => missing += 1,
            }
        }
    }
    Ok(Report {
        backend: herald.backend,
        request_timeout: herald.request_timeout,
        accepted,
        errors: backlog.errors,
        ingest: backlog.elapsed,
        outage,
        first_disabled,
        first_skipped,
        first_failed,
        requests_during,
        at_recovery,
        endpoint_at_recovery,
        first_after: first.map(|t| t.saturating_duration_since(recovered)),
        drained_after: if missing == 0 {
            last.map(|t| t.saturating_duration_since(recovered))
        } else {
            None
        },
        stopped,
        final_deliveries,
        endpoint_final,
        requests_total,
        delivered,
        missing,
        duplicates,
    })
}
