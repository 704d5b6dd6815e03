//! Delivery: signed, retried, disabled and filtered as receivers expect. Each test runs on both
//! SQLite and PostgreSQL.

use crate::common::{assert_signed_by, matching_signatures, Backend, Receiver, Reply, TestApp};
use serde_json::json;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

on_both_backends!(
    a_message_is_delivered_signed_with_the_message_id_as_webhook_id,
    a_failing_delivery_is_retried_with_the_same_webhook_id_until_it_succeeds,
    during_a_rotation_grace_period_both_secrets_sign_the_delivery,
    an_endpoint_is_disabled_after_the_configured_consecutive_failures,
    an_endpoint_answering_410_is_disabled_at_once,
    retry_after_is_honoured_over_a_long_schedule,
    an_endpoint_receives_only_the_event_types_it_subscribed_to,
    a_replay_pressed_while_the_first_send_is_being_recorded_is_not_lost,
);

/// Waits until none of the message's deliveries is pending (each delivered, failed or skipped).
async fn settled(app: &TestApp, a: &str, msg: &str) {
    app.poll_until(&format!("/api/v1/app/{a}/msg/{msg}/endpoint"), WAIT, |b| {
        b["data"]
            .as_array()
            .is_some_and(|d| d.iter().all(|x| x["status"] != 1))
    })
    .await;
}

async fn a_message_is_delivered_signed_with_the_message_id_as_webhook_id(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    let ep = app.create_endpoint(&a, &rx.url("/hook"), json!({})).await;
    let secret = app.endpoint_secret(&a, &ep).await;
    assert!(secret.starts_with("whsec_"), "secret {secret}");

    let payload = json!({ "invoice": { "id": "inv_1", "amount": 4200 }, "note": "é ☃" });
    let msg = app.send(&a, "invoice.paid", payload.clone()).await;

    let got = rx.wait_for(1, WAIT).await;
    let r = &got[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/hook");
    assert_eq!(r.header("webhook-id"), msg);
    assert!(
        r.header("content-type").starts_with("application/json"),
        "content-type {}",
        r.header("content-type")
    );
    assert_eq!(r.json(), payload);
    assert_signed_by(&secret, r);
    // A different secret must not verify.
    assert_eq!(
        matching_signatures("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", r).expect("headers"),
        0
    );
}

async fn a_failing_delivery_is_retried_with_the_same_webhook_id_until_it_succeeds(
    backend: Backend,
) {
    let app = TestApp::spawn(backend, &[("RETRY_SCHEDULE", "100ms,200ms,200ms")]).await;
    let rx = Receiver::start().await;
    rx.script([Reply::status(500), Reply::status(503)]);
    let a = app.create_app("Acme").await;
    let ep = app.create_endpoint(&a, &rx.url("/hook"), json!({})).await;
    let secret = app.endpoint_secret(&a, &ep).await;
    let msg = app.send(&a, "invoice.paid", json!({ "n": 1 })).await;

    let got = rx.wait_for(3, WAIT).await;
    for r in &got {
        assert_eq!(r.header("webhook-id"), msg);
        assert_signed_by(&secret, r);
    }
    // The schedule is respected (100ms minus 20% jitter, at least).
    assert!(got[1].at.duration_since(got[0].at) >= Duration::from_millis(70));

    let attempts = app
        .poll_until(&format!("/api/v1/app/{a}/attempt/msg/{msg}"), WAIT, |b| {
            b["data"].as_array().is_some_and(|d| d.len() >= 3)
        })
        .await;
    let data = attempts["data"].as_array().unwrap();
    assert_eq!(data.len(), 3, "{attempts}");
    let mut codes: Vec<i64> = data
        .iter()
        .map(|x| x["responseStatusCode"].as_i64().unwrap())
        .collect();
    codes.sort();
    assert_eq!(codes, vec![200, 500, 503]);
    for x in data {
        assert_eq!(x["msgId"], msg);
        assert_eq!(x["endpointId"], ep);
    }
    app.drain().await;
    assert_eq!(rx.count(), 3, "no more tries after a success");
}

async fn during_a_rotation_grace_period_both_secrets_sign_the_delivery(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    let ep = app.create_endpoint(&a, &rx.url("/hook"), json!({})).await;
    let old = app.endpoint_secret(&a, &ep).await;
    let rotated = app
        .post(
            &format!("/api/v1/app/{a}/endpoint/{ep}/secret/rotate"),
            json!({ "gracePeriodSeconds": 3600 }),
        )
        .await
        .expect(200);
    let new = app.endpoint_secret(&a, &ep).await;
    assert_ne!(old, new);
    assert_eq!(rotated["key"], new.as_str());

    app.send(&a, "invoice.paid", json!({ "n": 1 })).await;
    let got = rx.wait_for(1, WAIT).await;
    let r = &got[0];
    assert_eq!(
        r.header("webhook-signature").split(' ').count(),
        2,
        "{}",
        r.header("webhook-signature")
    );
    assert_signed_by(&old, r);
    assert_signed_by(&new, r);

    // A rotation with no grace period: only the new secret signs.
    let newest = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    app.post(
        &format!("/api/v1/app/{a}/endpoint/{ep}/secret/rotate"),
        json!({ "key": newest, "gracePeriodSeconds": 0 }),
    )
    .await
    .expect(200);
    assert_eq!(app.endpoint_secret(&a, &ep).await, newest);
    app.send(&a, "invoice.paid", json!({ "n": 2 })).await;
    let got = rx.wait_for(2, WAIT).await;
    let r = &got[1];
    assert_signed_by(newest, r);
    assert_eq!(matching_signatures(&old, r).expect("headers"), 0);
    assert_eq!(matching_signatures(&new, r).expect("headers"), 0);
}

async fn an_endpoint_is_disabled_after_the_configured_consecutive_failures(backend: Backend) {
    let app = TestApp::spawn(
        backend,
        &[
            ("RETRY_SCHEDULE", "50ms,50ms,50ms,50ms,50ms,50ms"),
            ("AUTO_DISABLE_AFTER", "3"),
            ("AUTO_DISABLE_MIN_FAILING", "0s"),
        ],
    )
    .await;
    let rx = Receiver::start().await;
    rx.default_reply(Reply::status(500));
    let a = app.create_app("Acme").await;
    let ep = app.create_endpoint(&a, &rx.url("/hook"), json!({})).await;
    let msg = app.send(&a, "invoice.paid", json!({ "n": 1 })).await;

    rx.wait_for(3, WAIT).await;
    let e = app
        .poll_until(&format!("/api/v1/app/{a}/endpoint/{ep}"), WAIT, |b| {
            b["disabled"] == true
        })
        .await;
    assert!(
        e["disabledReason"].as_str().is_some_and(|s| !s.is_empty()),
        "{e}"
    );
    // The message's retry waits for the endpoint: still pending, with no time of its own, not
    // skipped or failed.
    let waiting = |b: &serde_json::Value| {
        b["data"][0]["status"] == 1 && b["data"][0]["nextAttempt"].is_null()
    };
    app.poll_until(
        &format!("/api/v1/app/{a}/msg/{msg}/endpoint"),
        WAIT,
        waiting,
    )
    .await;
    // So does a message sent while it is disabled.
    let second = app.send(&a, "invoice.paid", json!({ "n": 2 })).await;
    app.poll_until(
        &format!("/api/v1/app/{a}/msg/{second}/endpoint"),
        WAIT,
        waiting,
    )
    .await;
    app.drain().await;
    assert_eq!(rx.count(), 3, "no tries after the endpoint was disabled");

    // Enabled again (the receiver fixed), both go out.
    rx.default_reply(Reply::status(200));
    app.patch(
        &format!("/api/v1/app/{a}/endpoint/{ep}"),
        json!({ "disabled": false }),
    )
    .await
    .expect(200);
    let got = rx.wait_for(5, WAIT).await;
    let ids: Vec<&str> = got[3..].iter().map(|r| r.header("webhook-id")).collect();
    assert!(
        ids.contains(&msg.as_str()) && ids.contains(&second.as_str()),
        "{ids:?}"
    );
    settled(&app, &a, &msg).await;
    settled(&app, &a, &second).await;
}

async fn an_endpoint_answering_410_is_disabled_at_once(backend: Backend) {
    let app = TestApp::spawn(backend, &[("RETRY_SCHEDULE", "50ms,50ms,50ms")]).await;
    let rx = Receiver::start().await;
    rx.script([Reply::status(410)]);
    let a = app.create_app("Acme").await;
    let ep = app.create_endpoint(&a, &rx.url("/hook"), json!({})).await;
    let msg = app.send(&a, "invoice.paid", json!({ "n": 1 })).await;

    rx.wait_for(1, WAIT).await;
    let e = app
        .poll_until(&format!("/api/v1/app/{a}/endpoint/{ep}"), WAIT, |b| {
            b["disabled"] == true
        })
        .await;
    assert!(
        e["disabledReason"].as_str().is_some_and(|s| !s.is_empty()),
        "{e}"
    );
    settled(&app, &a, &msg).await;
    app.drain().await;
    assert_eq!(rx.count(), 1, "410 is not retried");
}

async fn retry_after_is_honoured_over_a_long_schedule(backend: Backend) {
    let app = TestApp::spawn(backend, &[("RETRY_SCHEDULE", "1h")]).await;
    let rx = Receiver::start().await;
    rx.script([Reply::status(503).retry_after("1")]);
    let a = app.create_app("Acme").await;
    app.create_endpoint(&a, &rx.url("/hook"), json!({})).await;
    let msg = app.send(&a, "invoice.paid", json!({ "n": 1 })).await;

    let got = rx.wait_for(2, WAIT).await;
    let gap = got[1].at.duration_since(got[0].at);
    assert!(
        gap >= Duration::from_millis(900),
        "retried after {gap:?}, before the Retry-After second"
    );
    assert!(gap < Duration::from_secs(5), "retried after {gap:?}");
    assert_eq!(got[1].header("webhook-id"), msg);
}

async fn an_endpoint_receives_only_the_event_types_it_subscribed_to(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    app.create_event_type("invoice.paid").await;
    app.create_event_type("invoice.voided").await;
    let a = app.create_app("Acme").await;
    app.create_endpoint(
        &a,
        &rx.url("/only-paid"),
        json!({ "filterTypes": ["invoice.paid"] }),
    )
    .await;
    app.create_endpoint(&a, &rx.url("/all"), json!({})).await;

    let voided = app.send(&a, "invoice.voided", json!({ "n": 1 })).await;
    let paid = app.send(&a, "invoice.paid", json!({ "n": 2 })).await;

    let all = rx.wait_for_matching(2, WAIT, |r| r.path == "/all").await;
    let mut ids: Vec<&str> = all.iter().map(|r| r.header("webhook-id")).collect();
    ids.sort();
    let mut want = vec![voided.as_str(), paid.as_str()];
    want.sort();
    assert_eq!(ids, want);
    let only = rx
        .wait_for_matching(1, WAIT, |r| r.path == "/only-paid")
        .await;
    assert_eq!(only[0].header("webhook-id"), paid);
    app.drain().await;
    let only: Vec<_> = rx
        .requests()
        .into_iter()
        .filter(|r| r.path == "/only-paid")
        .collect();
    assert_eq!(
        only.len(),
        1,
        "the filtered endpoint got an event type it did not subscribe to"
    );

    // Subscribing to an event type that does not exist is refused.
    let r = app
        .post(
            &format!("/api/v1/app/{a}/endpoint"),
            json!({ "url": rx.url("/x"), "filterTypes": ["no.such"] }),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
}

async fn a_replay_pressed_while_the_first_send_is_being_recorded_is_not_lost(backend: Backend) {
    use herald_app::ssr::delivery::state::Trigger;
    use herald_app::ssr::store::worker::{self, AttemptRecord, Next, Outcome};
    // No workers run: the test plays the worker with the queue's own functions, so the
    // interleaving is exact rather than left to timing.
    let app = TestApp::spawn(backend, &[("DELIVERY_ENABLED", "false")]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    let ep = app.create_endpoint(&a, &rx.url("/hook"), json!({})).await;
    let msg = app.send(&a, "invoice.paid", json!({ "id": "inv_1" })).await;
    let db = herald_app::ssr::infra::db::Db::connect(&app.db.url)
        .await
        .unwrap();

    let claimed = worker::claim(&db, "worker-1", 60_000, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let c = &claimed[0];

    // The receiver has answered; before the result is written, the user presses "Replay".
    app.post(
        &format!("/api/v1/app/{a}/msg/{msg}/endpoint/{ep}/resend"),
        json!({}),
    )
    .await
    .expect(202);

    let outcome = Outcome {
        delivery_id: c.id,
        app_id: c.app_id.clone(),
        msg_id: c.msg_id.clone(),
        endpoint_id: c.endpoint_id.clone(),
        attempt: Some(AttemptRecord {
            url: c.url.clone(),
            succeeded: true,
            response_status_code: 200,
            response: "ok".into(),
            response_headers: "{}".into(),
            request_headers: "{}".into(),
            duration_ms: 3,
            trigger: Trigger::Scheduled,
            error: None,
            created_at: herald_app::ssr::infra::time::now_ms(),
            counts_against_endpoint: true,
            request_body: worker::SentBody::Payload,
            response_truncated: false,
        }),
        next: Next::Succeeded,
        disable_endpoint: None,
        auto_disable_after: None,
        auto_disable_min_failing: None,
        probe: false,
        pause_for_ms: None,
        tries: 1,
    };
    worker::record(&db, "worker-1", &[outcome], 100, &Default::default())
        .await
        .unwrap();

    // The first send is in the log, and the replay is still queued for a worker to send.
    let attempts = app
        .get(&format!("/api/v1/app/{a}/attempt/msg/{msg}"))
        .await
        .expect(200);
    assert_eq!(attempts["data"].as_array().unwrap().len(), 1, "{attempts}");
    let again = worker::claim(&db, "worker-2", 60_000, 10).await.unwrap();
    assert_eq!(
        again.len(),
        1,
        "the late result of the first send dropped the replay"
    );
    assert_eq!(again[0].msg_id, msg);
    assert_eq!(
        again[0].trigger(),
        Trigger::Manual,
        "queued as a manual resend"
    );
}
