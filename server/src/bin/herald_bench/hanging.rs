//! `--scenario hanging`: company A has one endpoint whose receiver never answers (each send ends at
//! Herald's request timeout) and a backlog of N messages queued first; meanwhile company B sends
//! `--rate` messages a second for `--duration` seconds to a healthy endpoint. What is measured is
//! B's delivery latency, against a baseline phase where A's endpoint answers, and what became of
//! A's deliveries (attempted, and none skipped, failed or disabled).
//!
//! With `--endpoints K`, company A has K such endpoints, each receiving every message: many
//! hanging endpoints of one company, held together to the company's share of the slots.
//!
//! Each phase runs on a fresh database and a fresh server, so the second phase inherits nothing.

use crate::harness::{command_line, ms, poll_until, Deliveries, EndpointState, Herald, Summary};
use crate::receiver::{Mode, Receiver};
use crate::BenchArgs;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The target for B's p99 while A hangs.
const TARGET_P99: Duration = Duration::from_secs(1);

struct Phase {
    backend: &'static str,
    request_timeout: Duration,
    // Company B, the healthy one.
    b_sent: usize,
    b_errors: usize,
    b_delivered: usize,
    b_missing: usize,
    b_duplicates: u64,
    /// From the start of B's API call to the first arrival at B's receiver.
    b_from_call: Summary,
    /// From the API's answer (202) to the first arrival; zero when the delivery came first.
    b_from_accepted: Summary,
    b_api: Summary,
    b_deliveries: Deliveries,
    /// False when B's wait ran into --timeout-secs.
    b_settled: bool,
    // Company A, the one whose endpoint hangs (or, in the baseline, answers).
    a_accepted: usize,
    a_errors: usize,
    a_ingest: Duration,
    /// Whether A's receiver had a request before B started.
    a_started: bool,
    a_arrived: usize,
    a_requests: u64,
    a_held: u64,
    a_deliveries: Deliveries,
    a_endpoint: EndpointState,
    /// How many of A's endpoints were disabled.
    a_disabled: usize,
    /// From B's first call to the end of the measurement.
    window: Duration,
}

pub async fn run(args: &BenchArgs) -> anyhow::Result<()> {
    let n = args.messages.unwrap_or(5_000);
    if args.endpoints == 0 {
        anyhow::bail!("--endpoints must be at least 1");
    }
    if !args.rate.is_finite() || args.rate <= 0.0 || args.duration == 0 {
        anyhow::bail!("--rate and --duration must be above zero");
    }
    let baseline = if args.no_baseline {
        None
    } else {
        Some(phase(args, n, false).await?)
    };
    let hanging = phase(args, n, true).await?;

    let first = baseline.as_ref().unwrap_or(&hanging);
    println!("$ {}", command_line());
    println!(
        "herald-bench: scenario=hanging backend={} N={} endpoints={} C={} rate={}/s duration={}s payload={}B request-timeout={}",
        first.backend,
        n,
        args.endpoints,
        args.concurrency,
        args.rate,
        args.duration,
        args.payload_bytes,
        humantime::format_duration(first.request_timeout)
    );
    println!(
        "  setup:       company A queues N messages for each of its {} endpoint(s), then company B sends at {}/s to its own",
        args.endpoints, args.rate
    );
    if let Some(b) = &baseline {
        print_phase("baseline (A's receiver answers)", b);
    }
    print_phase("A hanging (A's receiver never answers)", &hanging);

    let p99_met = hanging.b_from_call.p99 < TARGET_P99 && hanging.b_missing == 0;
    let a = &hanging.a_deliveries;
    let a_intact = hanging.a_disabled == 0 && a.failed == 0 && a.skipped == 0 && a.other == 0;
    println!(
        "  target:      B p99 under {} with A hanging: {} (p99 {}{}); A nothing failed, skipped or disabled: {}",
        ms(TARGET_P99),
        met(p99_met),
        ms(hanging.b_from_call.p99),
        if hanging.b_missing > 0 {
            format!(", {} of B's messages missing", hanging.b_missing)
        } else {
            String::new()
        },
        met(a_intact)
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

fn print_phase(title: &str, p: &Phase) {
    println!("  {title}:");
    println!(
        "    B latency:   {} (API call -> arrival); {} (accepted -> arrival)",
        p.b_from_call.describe(),
        p.b_from_accepted.describe()
    );
    println!(
        "    B sent:      {} accepted ({} errors), {} delivered, {} missing, {} duplicates; API call {}{}",
        p.b_sent,
        p.b_errors,
        p.b_delivered,
        p.b_missing,
        p.b_duplicates,
        p.b_api.describe(),
        if p.b_settled {
            ""
        } else {
            "; gave up waiting (--timeout-secs)"
        }
    );
    println!("    B record:    {}", p.b_deliveries.states());
    println!(
        "    A backlog:   {} accepted ({} errors) in {:.2}s{}; {} delivered to its receiver",
        p.a_accepted,
        p.a_errors,
        p.a_ingest.as_secs_f64(),
        if p.a_started {
            ""
        } else {
            ", no request had reached its receiver when B started"
        },
        p.a_arrived
    );
    println!(
        "    A after {:.1}s: {} deliveries attempted, {} attempts recorded, {} requests at its receiver ({} held open now)",
        p.window.as_secs_f64(),
        p.a_deliveries.attempted,
        p.a_deliveries.attempts,
        p.a_requests,
        p.a_held
    );
    println!(
        "    A record:    {}; {}{}",
        p.a_deliveries.states(),
        p.a_endpoint.describe(),
        if p.a_disabled > 0 {
            format!("; {} of its endpoints disabled", p.a_disabled)
        } else {
            String::new()
        }
    );
}

async fn phase(args: &BenchArgs, n: usize, hang: bool) -> anyhow::Result<Phase> {
    let b_count = (args.rate * args.duration as f64).round() as usize;
    let rx_a = Receiver::start(if hang { Mode::Hang } else { Mode::Answer }, n, None).await?;
    let rx_b = Receiver::start(Mode::Answer, b_count, None).await?;
    let herald = Arc::new(Herald::start(args, if hang { "hanging" } else { "baseline" }).await?);
    let outcome = phase_run(args, n, &herald, &rx_a, &rx_b).await;
    // Held requests end now rather than at the timeout, so the server stops at once. The figures
    // were read before this.
    rx_a.set_mode(Mode::Refuse);
    herald.stop().await;
    outcome
}

async fn phase_run(
    args: &BenchArgs,
    n: usize,
    herald: &Arc<Herald>,
    rx_a: &Receiver,
    rx_b: &Receiver,
) -> anyhow::Result<Phase> {
    let limit = Duration::from_secs(args.timeout_secs);
    let app_a = herald.create_app("company-a").await?;
    let mut eps_a = Vec::with_capacity(args.endpoints);
    for i in 0..args.endpoints {
        eps_a.push(herald.create_endpoint(&app_a, &rx_a.url(i)).await?);
    }
    let app_b = herald.create_app("company-b").await?;
    let ep_b = herald.create_endpoint(&app_b, &rx_b.url(0)).await?;
    let filler = "x".repeat(args.payload_bytes.saturating_sub(60));

    let backlog = herald
        .post_backlog(&app_a, n, args.concurrency, &filler)
        .await;
    // B starts once A's sends have begun (a request of A's reached its receiver).
    let nothing_queued = backlog.sent.is_empty();
    let a_started = poll_until(limit, Duration::from_millis(20), || async move {
        rx_a.requests() > 0 || nothing_queued
    })
    .await;

    let b_start = Instant::now();
    let paced = herald
        .post_at_rate(
            &app_b,
            args.rate,
            Duration::from_secs(args.duration),
            &filler,
        )
        .await;
    // Settled: every accepted message of B arrived, and B's record has nothing pending (so no
    // retry can still add a duplicate).
    let expected = paced.sent.len();
    let h: &Herald = herald;
    let ep_b_ref = ep_b.as_str();
    let b_settled = poll_until(limit, Duration::from_millis(20), || async move {
        rx_b.arrived() >= expected
            && h.deliveries(ep_b_ref)
                .await
                .map(|d| d.pending == 0)
                .unwrap_or(false)
    })
    .await;
    let window = b_start.elapsed();

    // A's figures at the end of the measurement, before anything is released.
    let a_requests = rx_a.requests();
    let a_held = rx_a.held();
    let a_arrived = rx_a.arrived();
    let mut a_deliveries = Deliveries::default();
    let mut a_disabled = 0;
    for ep in &eps_a {
        a_deliveries.add(herald.deliveries(ep).await?);
        if herald.endpoint(ep).await?.disabled {
            a_disabled += 1;
        }
    }
    // The first one's streak stands for all: they fail alike.
    let a_endpoint = herald.endpoint(&eps_a[0]).await?;
    let b_deliveries = herald.deliveries(&ep_b).await?;

    let (mut from_call, mut from_accepted, mut api) = (Vec::new(), Vec::new(), Vec::new());
    let (mut duplicates, mut missing) = (0u64, 0usize);
    if let Ok(arr) = rx_b.arrivals().lock() {
        for (id, (t0, took)) in &paced.sent {
            api.push(*took);
            match arr.get(&(id.clone(), 0)) {
                Some((count, t)) => {
                    duplicates += u64::from(count.saturating_sub(1));
                    from_call.push(t.saturating_duration_since(*t0));
                    from_accepted.push(t.saturating_duration_since(*t0 + *took));
                }
                None => missing += 1,
            }
        }
    }
    Ok(Phase {
        backend: herald.backend,
        request_timeout: herald.request_timeout,
        b_sent: paced.sent.len(),
        b_errors: paced.errors,
        b_delivered: from_call.len(),
        b_missing: missing,
        b_duplicates: duplicates,
        b_from_call: Summary::of(from_call),
        b_from_accepted: Summary::of(from_accepted),
        b_api: Summary::of(api),
        b_deliveries,
        b_settled,
        a_accepted: backlog.sent.len(),
        a_errors: backlog.errors,
        a_ingest: backlog.elapsed,
        a_started,
        a_arrived,
        a_requests,
        a_held,
        a_deliveries,
        a_endpoint,
        a_disabled,
        window,
    })
}
