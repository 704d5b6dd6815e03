//! Sending an endpoint what it missed: what failed, and what was skipped that it would take
//! today, counted before it is sent, sent once, and never what it already received; through the
//! portal and through the API (Svix's `recover` and `replay-missing`). Each test runs on both
//! SQLite and PostgreSQL.

use crate::common::{link_signed_in, Backend, Receiver, Reply, TestApp};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

on_both_backends!(
    the_portal_sends_what_an_endpoint_missed_once_and_never_what_it_received,
    recover_sends_failed_deliveries_and_replay_missing_skipped_ones_in_their_window,
    sending_what_was_missed_refuses_a_disabled_endpoint_and_bad_times,
);

/// Fails on the first try and its one retry (a millisecond later), without pausing the
/// endpoint: a failing delivery becomes "failed" within the test.
const FAIL_FAST: &[(&str, &str)] = &[("RETRY_SCHEDULE", "1ms"), ("PAUSE_AFTER", "50")];

/// Waits until the delivery of `msg` to `ep` is in `state`.
async fn wait_state(app: &TestApp, a: &str, msg: &str, ep: &str, state: &str) {
    app.poll_until(
        &format!("/api/v1/app/{a}/msg/{msg}/endpoint?expanded_statuses=true"),
        WAIT,
        |b| {
            b["data"]
                .as_array()
                .is_some_and(|d| d.iter().any(|r| r["id"] == ep && r["state"] == state))
        },
    )
    .await;
}

/// The `webhook-id`s of the requests the receiver got after the first `skip`.
fn ids_after(rx: &Receiver, skip: usize) -> Vec<String> {
    rx.requests()
        .iter()
        .skip(skip)
        .map(|r| r.header("webhook-id").to_owned())
        .collect()
}

/// Sends `n` messages of `event_type` that fail at `rx` and waits until each is "failed".
async fn failed_messages(
    app: &TestApp,
    rx: &Receiver,
    a: &str,
    ep: &str,
    event_type: &str,
    n: usize,
) -> Vec<String> {
    rx.default_reply(Reply::status(500));
    let mut ids = Vec::new();
    for i in 0..n {
        let msg = app.send(a, event_type, json!({ "failed": i })).await;
        wait_state(app, a, &msg, ep, "failed").await;
        ids.push(msg);
    }
    rx.default_reply(Reply::status(200));
    ids
}

/// A company whose endpoint takes paid invoices only (voided ones are skipped there), on a
/// receiver, with failures that settle fast. Returns (app, receiver, company, endpoint).
async fn paid_invoices_only(backend: Backend) -> (TestApp, Receiver, String, String) {
    let app = TestApp::spawn(backend, FAIL_FAST).await;
    app.create_event_type("invoice.paid").await;
    app.create_event_type("invoice.voided").await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    let ep = app
        .create_endpoint(
            &a,
            &rx.url("/hook"),
            json!({ "filterTypes": ["invoice.paid"] }),
        )
        .await;
    (app, rx, a, ep)
}

async fn the_portal_sends_what_an_endpoint_missed_once_and_never_what_it_received(
    backend: Backend,
) {
    let (app, rx, a, ep) = paid_invoices_only(backend).await;

    // Delivered: never sent again.
    let delivered = app.send(&a, "invoice.paid", json!({ "ok": 1 })).await;
    wait_state(&app, &a, &delivered, &ep, "delivered").await;
    // Skipped by the filter, which is widened below: missed.
    let filtered = app.send(&a, "invoice.voided", json!({ "v": 1 })).await;
    wait_state(&app, &a, &filtered, &ep, "skipped").await;
    // Failed: missed.
    let failed = failed_messages(&app, &rx, &a, &ep, "invoice.paid", 2).await;
    // Skipped while the endpoint was disabled, as versions before deliveries waited did it:
    // missed. And one whose content was expunged: nothing left to send.
    app.patch(
        &format!("/api/v1/app/{a}/endpoint/{ep}"),
        json!({ "disabled": true }),
    )
    .await
    .expect(200);
    let legacy = app.send(&a, "invoice.paid", json!({ "legacy": 1 })).await;
    let expunged = app.send(&a, "invoice.paid", json!({ "gone": 1 })).await;
    wait_state(&app, &a, &expunged, &ep, "waiting").await;
    app.db
        .execute(&format!(
            "UPDATE deliveries SET status = 4, skip_reason = 'endpoint-disabled', next_attempt_at = NULL
             WHERE msg_id = '{legacy}'"
        ))
        .await;
    app.db
        .execute(&format!(
            "UPDATE deliveries SET status = 4, skip_reason = 'expunged', next_attempt_at = NULL
             WHERE msg_id = '{expunged}'"
        ))
        .await;
    app.db
        .execute(&format!(
            "UPDATE messages SET payload = NULL WHERE id = '{expunged}'"
        ))
        .await;

    let mut portal = link_signed_in(&app, &a, json!({})).await;
    let since = [
        ("app", a.as_str()),
        ("endpoint", ep.as_str()),
        ("since", "2000-01-01T00:00"),
        ("tz", "0"),
    ];
    // Disabled: the preview says so, and the send is refused, naming why.
    let r = portal.call("count_missed", &since).await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.json()["endpoint_disabled"], true, "{r:?}");
    let r = portal.call("send_missed", &since).await;
    assert_eq!(r.status, 422, "{r:?}");
    assert!(r.body.contains("enable it first"), "{r:?}");

    app.patch(
        &format!("/api/v1/app/{a}/endpoint/{ep}"),
        json!({ "disabled": false, "filterTypes": ["invoice.paid", "invoice.voided"] }),
    )
    .await
    .expect(200);
    app.drain().await;
    let before = rx.count();

    let r = portal.call("count_missed", &since).await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(
        r.json(),
        json!({ "failed": 2, "skipped": 2, "more": false, "waiting": 0, "endpoint_disabled": false }),
        "two failed, the filtered one and the legacy skip; not the expunged one"
    );
    let r = portal.call("send_missed", &since).await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.json(), json!(4), "the preview's count is what is sent");

    rx.wait_for(before + 4, WAIT).await;
    app.drain().await;
    let sent: BTreeSet<String> = ids_after(&rx, before).into_iter().collect();
    let expected: BTreeSet<String> = [&failed[0], &failed[1], &filtered, &legacy]
        .into_iter()
        .cloned()
        .collect();
    assert_eq!(sent, expected);
    assert_eq!(rx.count(), before + 4, "each missed delivery went once");
    for msg in [&failed[0], &failed[1], &filtered, &legacy, &delivered] {
        wait_state(&app, &a, msg, &ep, "delivered").await;
    }

    // Nothing is missed any more: a second send sends nothing.
    let r = portal.call("count_missed", &since).await;
    assert_eq!(
        (&r.json()["failed"], &r.json()["skipped"]),
        (&json!(0), &json!(0)),
        "{r:?}"
    );
    let r = portal.call("send_missed", &since).await;
    assert_eq!(r.json(), json!(0), "{r:?}");
    app.drain().await;
    assert_eq!(rx.count(), before + 4);

    // It is in the audit trail, with the count.
    let trail = app.get("/api/v1/audit?limit=50").await.expect(200);
    let sends: Vec<&Value> = trail["data"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter(|e| e["action"] == "endpoint.missed_sent")
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(sends.len(), 2, "{trail}");
    assert!(
        sends
            .iter()
            .any(|e| e.to_string().contains("\"deliveries\":4")),
        "{trail}"
    );
}

async fn recover_sends_failed_deliveries_and_replay_missing_skipped_ones_in_their_window(
    backend: Backend,
) {
    let (app, rx, a, ep) = paid_invoices_only(backend).await;
    let early = failed_messages(&app, &rx, &a, &ep, "invoice.paid", 1).await;
    let filtered = app.send(&a, "invoice.voided", json!({ "v": 1 })).await;
    wait_state(&app, &a, &filtered, &ep, "skipped").await;
    let late = failed_messages(&app, &rx, &a, &ep, "invoice.paid", 1).await;
    let late_at = app
        .get(&format!("/api/v1/app/{a}/msg/{}", late[0]))
        .await
        .expect(200)["timestamp"]
        .as_str()
        .expect("timestamp")
        .to_owned();
    app.patch(
        &format!("/api/v1/app/{a}/endpoint/{ep}"),
        json!({ "filterTypes": ["invoice.paid", "invoice.voided"] }),
    )
    .await
    .expect(200);
    app.drain().await;

    // recover: failed deliveries only, and only those before `until`.
    let before = rx.count();
    let out = app
        .post(
            &format!("/api/v1/app/{a}/endpoint/{ep}/recover"),
            json!({ "since": "2000-01-01T00:00:00Z", "until": late_at }),
        )
        .await
        .expect(202);
    assert_task(&out, "endpoint.recover", 1);
    rx.wait_for(before + 1, WAIT).await;
    app.drain().await;
    assert_eq!(ids_after(&rx, before), vec![early[0].clone()]);

    // replay-missing: the rest, failed and skipped, since a date.
    let before = rx.count();
    let out = app
        .post(
            &format!("/api/v1/app/{a}/endpoint/{ep}/replay-missing"),
            json!({ "since": "2000-01-01T00:00:00Z" }),
        )
        .await
        .expect(202);
    assert_task(&out, "endpoint.replay", 2);
    rx.wait_for(before + 2, WAIT).await;
    app.drain().await;
    let sent: BTreeSet<String> = ids_after(&rx, before).into_iter().collect();
    assert_eq!(sent, BTreeSet::from([filtered.clone(), late[0].clone()]));

    // A window after everything takes nothing.
    let out = app
        .post(
            &format!("/api/v1/app/{a}/endpoint/{ep}/replay-missing"),
            json!({ "since": "2100-01-01T00:00:00Z" }),
        )
        .await
        .expect(202);
    assert_task(&out, "endpoint.replay", 0);
}

/// A finished task in Svix's shape, with how many deliveries it queued.
fn assert_task(out: &Value, task: &str, sent: u64) {
    assert_eq!(out["status"], "finished", "{out}");
    assert_eq!(out["task"], task, "{out}");
    assert_eq!(out["data"]["messagesSent"], sent, "{out}");
    let id = out["id"].as_str().unwrap_or_default();
    let rest = id.strip_prefix("qtask_").unwrap_or_default();
    assert!(
        rest.len() == 27 && rest.chars().all(|c| c.is_ascii_alphanumeric()),
        "{id}"
    );
    assert!(out["updatedAt"].as_str().is_some(), "{out}");
}

async fn sending_what_was_missed_refuses_a_disabled_endpoint_and_bad_times(backend: Backend) {
    let app = TestApp::spawn(backend, FAIL_FAST).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    let ep = app.create_endpoint(&a, &rx.url("/hook"), json!({})).await;
    let other = app.create_app("Other").await;
    let theirs = app
        .create_endpoint(&other, &rx.url("/theirs"), json!({}))
        .await;

    for (path, body, names) in [
        ("recover", json!({ "since": "yesterday" }), "since"),
        (
            "replay-missing",
            json!({ "since": "2026-01-01T00:00:00Z", "until": "soon" }),
            "until",
        ),
        (
            "replay-missing",
            json!({ "since": "2026-01-02T00:00:00Z", "until": "2026-01-01T00:00:00Z" }),
            "until",
        ),
        ("recover", json!({}), "since"),
    ] {
        let r = app
            .post(
                &format!("/api/v1/app/{a}/endpoint/{ep}/{path}"),
                body.clone(),
            )
            .await;
        assert_eq!(r.status, 422, "{path} {body}: {r:?}");
        assert!(
            r.body.to_string().contains(names),
            "{path} {body} names {names}: {r:?}"
        );
    }
    let r = app
        .post(
            &format!("/api/v1/app/{a}/endpoint/{theirs}/replay-missing"),
            json!({ "since": "2026-01-01T00:00:00Z" }),
        )
        .await;
    assert_eq!(r.status, 404, "another company's endpoint: {r:?}");

    app.patch(
        &format!("/api/v1/app/{a}/endpoint/{ep}"),
        json!({ "disabled": true }),
    )
    .await
    .expect(200);
    for path in ["recover", "replay-missing"] {
        let r = app
            .post(
                &format!("/api/v1/app/{a}/endpoint/{ep}/{path}"),
                json!({ "since": "2026-01-01T00:00:00Z" }),
            )
            .await;
        assert_eq!(r.status, 422, "{path}: {r:?}");
        assert!(
            r.body.to_string().contains("enable it first"),
            "{path}: {r:?}"
        );
    }

    let mut portal = link_signed_in(&app, &a, json!({})).await;
    for (since, tz, names) in [
        ("sometime", "0", "Since"),
        ("2026-13-01T00:00", "0", "Since"),
        ("", "0", "Since"),
        ("2026-01-01T00:00", "east", "Time zone"),
        ("2026-01-01T00:00", "100000", "Time zone"),
    ] {
        let r = portal
            .call(
                "count_missed",
                &[("app", &a), ("endpoint", &ep), ("since", since), ("tz", tz)],
            )
            .await;
        assert_eq!(r.status, 422, "{since} {tz}: {r:?}");
        assert!(r.body.contains(names), "{since} {tz} names {names}: {r:?}");
    }
}
