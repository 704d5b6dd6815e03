//! A tenant the operator disabled sends nothing, through any door, until it is enabled again; its
//! pending deliveries wait where the company can see them. A damaged event filter sends nothing.

use crate::common::{link_signed_in, user_signed_in, Backend, Browser, Receiver, Reply, TestApp};
use serde_json::json;
use std::time::Duration;

on_both_backends!(
    a_disabled_tenant_sends_nothing_through_any_door_until_it_is_enabled,
    an_endpoint_whose_event_filter_cannot_be_read_gets_nothing,
);

async fn set_disabled(op: &mut Browser, app: &str, disabled: bool) {
    let r = op
        .call_admin(
            "set_tenant_state",
            &[
                ("app", app),
                ("disabled", if disabled { "true" } else { "false" }),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
}

async fn a_disabled_tenant_sends_nothing_through_any_door_until_it_is_enabled(backend: Backend) {
    // A retry far enough out that it is still pending when the tenant is disabled.
    let app = TestApp::spawn(backend, &[("RETRY_SCHEDULE", "3s,3s")]).await;
    let rx = Receiver::start().await;
    rx.script([Reply::status(500)]);
    let a = app.create_app("Acme").await;
    app.create_event_type("invoice.paid").await;
    let ep = app.create_endpoint(&a, &rx.url("/hook"), json!({})).await;
    let (mut op, _) = user_signed_in(&app, &["--operator"]).await;
    let mut portal = link_signed_in(&app, &a, json!({})).await;
    let unused_link = app
        .post(&format!("/api/v1/auth/app-portal-access/{a}"), json!({}))
        .await
        .expect(200);

    // A message that failed once and waits for its retry.
    let pending = app.send(&a, "invoice.paid", json!({ "n": 1 })).await;
    rx.wait_for(1, Duration::from_secs(10)).await;
    // And one that was delivered, to try resending.
    rx.default_reply(Reply::status(200));
    let done = app.send(&a, "invoice.paid", json!({ "n": 2 })).await;
    rx.wait_for(2, Duration::from_secs(10)).await;

    set_disabled(&mut op, &a, true).await;

    let paused = |status: u16, what: &str, body: &serde_json::Value| {
        assert_eq!(status, 403, "{what}: {body}");
    };
    let r = app
        .post(
            &format!("/api/v1/app/{a}/msg"),
            json!({ "eventType": "invoice.paid", "payload": {} }),
        )
        .await;
    paused(r.status, "send", &r.body);
    let r = app
        .post(
            &format!("/api/v1/app/{a}/endpoint/{ep}/send-example"),
            json!({ "eventType": "invoice.paid" }),
        )
        .await;
    paused(r.status, "send-example", &r.body);
    let r = app
        .post(
            &format!("/api/v1/app/{a}/msg/{done}/endpoint/{ep}/resend"),
            json!({}),
        )
        .await;
    paused(r.status, "resend", &r.body);
    let r = app
        .post(
            &format!("/api/v1/app/{a}/endpoint/{ep}/recover"),
            json!({ "since": "2020-01-01T00:00:00Z" }),
        )
        .await;
    paused(r.status, "recover", &r.body);
    let r = app
        .post(
            &format!("/api/v1/app/{a}/endpoint/{ep}/replay-missing"),
            json!({ "since": "2020-01-01T00:00:00Z" }),
        )
        .await;
    paused(r.status, "replay-missing", &r.body);
    let r = app
        .post(&format!("/api/v1/auth/app-portal-access/{a}"), json!({}))
        .await;
    paused(r.status, "portal link", &r.body);

    // A link minted before is not exchanged for a session.
    let mut late = Browser::new(&app);
    let r = late.open_link(unused_link["url"].as_str().unwrap()).await;
    assert!(
        late.cookie.is_none(),
        "a session for a disabled tenant: {r:?}"
    );

    // The portal session still reads, but changes and sends nothing.
    assert_eq!(
        portal.call("list_endpoints", &[("app", &a)]).await.status,
        200
    );
    for (f, form) in [
        (
            "send_test_event",
            vec![
                ("app", a.as_str()),
                ("endpoint", ep.as_str()),
                ("event_type", "invoice.paid"),
            ],
        ),
        (
            "replay",
            vec![
                ("app", a.as_str()),
                ("message", done.as_str()),
                ("endpoint", ep.as_str()),
            ],
        ),
        (
            "send_missed",
            vec![
                ("app", a.as_str()),
                ("endpoint", ep.as_str()),
                ("since", "2026-01-01T00:00"),
                ("tz", "0"),
            ],
        ),
    ] {
        let r = portal.call(f, &form).await;
        assert_eq!(r.status, 403, "{f}: {r:?}");
        assert!(r.body.contains("Paused"), "{f} says why: {r:?}");
    }

    // The retry falls due while the tenant is disabled: the worker puts it back to wait behind
    // its endpoint, visibly pending, with no next attempt until the tenant is enabled.
    let dest = format!("/api/v1/app/{a}/msg/{pending}/endpoint");
    let waits = app
        .poll_until(&dest, Duration::from_secs(10), |b| {
            b["data"][0]["nextAttempt"].is_null() && b["data"][0]["status"] == 1
        })
        .await;
    assert_eq!(
        (&waits["data"][0]["state"], &waits["data"][0]["stateReason"]),
        (&json!("waiting"), &json!("tenant-disabled")),
        "{waits}"
    );
    app.drain().await;
    assert_eq!(
        rx.count(),
        2,
        "nothing is sent while the tenant is disabled"
    );

    // Enabled again: the waiting retry goes out, and sending works.
    set_disabled(&mut op, &a, false).await;
    rx.wait_for(3, Duration::from_secs(10)).await;
    app.send(&a, "invoice.paid", json!({ "n": 3 })).await;
    rx.wait_for(4, Duration::from_secs(10)).await;
}

async fn an_endpoint_whose_event_filter_cannot_be_read_gets_nothing(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    app.create_event_type("invoice.paid").await;
    app.create_event_type("invoice.sent").await;
    let ep = app
        .create_endpoint(
            &a,
            &rx.url("/hook"),
            json!({ "filterTypes": ["invoice.sent"] }),
        )
        .await;
    app.db
        .execute(&format!(
            "UPDATE endpoints SET event_types = '[\"invoice.sent\"' WHERE id = '{ep}'"
        ))
        .await;
    let msg = app.send(&a, "invoice.paid", json!({})).await;
    app.drain().await;
    assert_eq!(
        rx.count(),
        0,
        "a damaged filter is no filter: it got the event"
    );
    let dest = app
        .get(&format!("/api/v1/app/{a}/msg/{msg}/endpoint"))
        .await
        .expect(200);
    assert_ne!(dest["data"][0]["status"], 0, "not delivered: {dest}");
    assert_ne!(dest["data"][0]["status"], 1, "not pending either: {dest}");
}
