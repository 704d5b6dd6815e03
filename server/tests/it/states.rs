//! One state per (message, endpoint), named with its reason: what the API says of each
//! delivery of a message, skipped ones included when asked for. Each test runs on both SQLite
//! and PostgreSQL.

use crate::common::{link_signed_in, Backend, Receiver, Reply, TestApp};
use serde_json::{json, Value};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

on_both_backends!(
    each_delivery_of_a_message_says_its_state_and_why,
    a_skipped_delivery_is_listed_only_when_expanded_statuses_are_asked_for,
    a_delivery_waiting_behind_a_disabled_endpoint_says_so_and_goes_when_it_is_enabled,
    deliveries_behind_an_endpoint_that_went_down_wait_visibly_for_its_probe,
    the_message_view_finds_a_message_by_event_id_and_never_another_company_s,
);

/// The message's deliveries by endpoint id, skipped ones included.
async fn deliveries(app: &TestApp, a: &str, msg: &str) -> Vec<Value> {
    app.get(&format!(
        "/api/v1/app/{a}/msg/{msg}/endpoint?expanded_statuses=true"
    ))
    .await
    .expect(200)["data"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn of<'a>(rows: &'a [Value], ep: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["id"] == ep)
        .unwrap_or_else(|| panic!("no delivery to {ep} in {rows:?}"))
}

async fn each_delivery_of_a_message_says_its_state_and_why(backend: Backend) {
    // One retry, an hour away: a failed first try stays "retrying" for the whole test.
    let app = TestApp::spawn(backend, &[("RETRY_SCHEDULE", "1h")]).await;
    app.create_event_type("invoice.voided").await;
    let ok = Receiver::start().await;
    let failing = Receiver::start().await;
    failing.default_reply(Reply::status(500));
    let a = app.create_app("Acme").await;
    let delivered = app.create_endpoint(&a, &ok.url("/ok"), json!({})).await;
    let retrying = app
        .create_endpoint(&a, &failing.url("/down"), json!({}))
        .await;
    let filtered = app
        .create_endpoint(
            &a,
            &ok.url("/filtered"),
            json!({ "filterTypes": ["invoice.voided"] }),
        )
        .await;

    let msg = app.send(&a, "invoice.paid", json!({ "n": 1 })).await;
    app.drain().await;
    failing.wait_for(1, WAIT).await;
    let rows = app
        .poll_until(
            &format!("/api/v1/app/{a}/msg/{msg}/endpoint?expanded_statuses=true"),
            WAIT,
            |b| {
                b["data"].as_array().is_some_and(|d| {
                    d.len() == 3
                        && d.iter()
                            .all(|r| r["state"] != "queued" && r["state"] != "sending")
                })
            },
        )
        .await["data"]
        .as_array()
        .cloned()
        .unwrap_or_default();

    let d = of(&rows, &delivered);
    assert_eq!(
        (&d["status"], &d["statusText"], &d["state"]),
        (&json!(0), &json!("success"), &json!("delivered")),
        "{d}"
    );
    assert_eq!((&d["tries"], &d["maxTries"]), (&json!(1), &json!(2)), "{d}");
    assert_eq!(d["lastStatusCode"], 200, "{d}");
    assert!(d["lastAttemptAt"].is_string(), "{d}");
    assert!(d["nextAttempt"].is_null(), "{d}");

    let r = of(&rows, &retrying);
    assert_eq!(
        (&r["status"], &r["statusText"], &r["state"]),
        (&json!(1), &json!("pending"), &json!("retrying")),
        "{r}"
    );
    assert_eq!((&r["tries"], &r["maxTries"]), (&json!(1), &json!(2)), "{r}");
    assert_eq!(r["lastStatusCode"], 500, "{r}");
    assert!(r["nextAttempt"].is_string(), "{r}");
    assert!(
        r["stateDetail"]
            .as_str()
            .is_some_and(|s| s.contains("try 2 of 2")),
        "{r}"
    );

    let s = of(&rows, &filtered);
    assert_eq!(
        (
            &s["status"],
            &s["statusText"],
            &s["state"],
            &s["stateReason"]
        ),
        (
            &json!(4),
            &json!("canceled"),
            &json!("skipped"),
            &json!("filtered-out")
        ),
        "{s}"
    );
    assert_eq!(s["tries"], 0, "{s}");
    assert!(s["lastStatusCode"].is_null(), "{s}");
    assert!(
        s["stateDetail"]
            .as_str()
            .is_some_and(|t| t.contains("not in the endpoint's filter")),
        "{s}"
    );
}

async fn a_skipped_delivery_is_listed_only_when_expanded_statuses_are_asked_for(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    app.create_event_type("invoice.voided").await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    let open = app.create_endpoint(&a, &rx.url("/all"), json!({})).await;
    let filtered = app
        .create_endpoint(
            &a,
            &rx.url("/voided"),
            json!({ "filterTypes": ["invoice.voided"] }),
        )
        .await;
    let msg = app.send(&a, "invoice.paid", json!({})).await;
    app.drain().await;

    let plain = app
        .get(&format!("/api/v1/app/{a}/msg/{msg}/endpoint"))
        .await
        .expect(200);
    let ids: Vec<&Value> = plain["data"]
        .as_array()
        .map(|d| d.iter().map(|r| &r["id"]).collect())
        .unwrap_or_default();
    assert_eq!(ids, vec![&json!(open)], "{plain}");
    assert_eq!(deliveries(&app, &a, &msg).await.len(), 2);

    // The endpoint's own list: the same rule, and a status filter on 4 asks for them.
    let path = format!("/api/v1/app/{a}/endpoint/{filtered}/msg");
    let none = app.get(&path).await.expect(200);
    assert_eq!(none["data"], json!([]), "{none}");
    for query in ["?expanded_statuses=true", "?status=4"] {
        let got = app.get(&format!("{path}{query}")).await.expect(200);
        assert_eq!(got["data"][0]["id"], msg, "{query}: {got}");
        assert_eq!(got["data"][0]["statusText"], "canceled", "{query}: {got}");
        assert_eq!(
            got["data"][0]["stateReason"], "filtered-out",
            "{query}: {got}"
        );
    }
    let bad = app.get(&format!("{path}?status=5")).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body.to_string().contains("4 (canceled)"),
        "{}",
        bad.body
    );
}

async fn a_delivery_waiting_behind_a_disabled_endpoint_says_so_and_goes_when_it_is_enabled(
    backend: Backend,
) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    let ep = app
        .create_endpoint(&a, &rx.url("/later"), json!({ "disabled": true }))
        .await;
    let msg = app.send(&a, "invoice.paid", json!({})).await;
    app.drain().await;

    let rows = deliveries(&app, &a, &msg).await;
    let d = of(&rows, &ep);
    assert_eq!(
        (&d["status"], &d["state"], &d["stateReason"]),
        (&json!(1), &json!("waiting"), &json!("endpoint-disabled")),
        "{d}"
    );
    assert!(
        d["stateDetail"]
            .as_str()
            .is_some_and(|s| s.contains("when the endpoint is enabled")),
        "{d}"
    );
    assert_eq!(rx.count(), 0);

    app.patch(
        &format!("/api/v1/app/{a}/endpoint/{ep}"),
        json!({ "disabled": false }),
    )
    .await
    .expect(200);
    app.drain().await;
    rx.wait_for(1, WAIT).await;
    app.poll_until(&format!("/api/v1/app/{a}/msg/{msg}/endpoint"), WAIT, |b| {
        b["data"][0]["state"] == "delivered"
    })
    .await;
}

async fn deliveries_behind_an_endpoint_that_went_down_wait_visibly_for_its_probe(backend: Backend) {
    // Paused after one failure, and no probe within the test: what waits stays waiting.
    let app = TestApp::spawn(
        backend,
        &[
            ("PAUSE_AFTER", "1"),
            ("PROBE_INTERVAL", "1h"),
            ("MAX_PROBE_INTERVAL", "1h"),
            ("RETRY_SCHEDULE", "1h,1h"),
        ],
    )
    .await;
    let rx = Receiver::start().await;
    rx.default_reply(Reply::status(503));
    let a = app.create_app("Acme").await;
    let ep = app.create_endpoint(&a, &rx.url("/down"), json!({})).await;
    let first = app.send(&a, "invoice.paid", json!({ "n": 1 })).await;
    rx.wait_for(1, WAIT).await;
    app.drain().await;
    let second = app.send(&a, "invoice.paid", json!({ "n": 2 })).await;
    app.drain().await;
    assert_eq!(
        rx.count(),
        1,
        "nothing is sent while the endpoint is paused"
    );

    let tried = deliveries(&app, &a, &first).await;
    let t = of(&tried, &ep);
    assert_eq!(
        (&t["status"], &t["state"], &t["stateReason"]),
        (&json!(1), &json!("waiting"), &json!("endpoint-failing")),
        "{t}"
    );
    assert_eq!(
        (&t["tries"], &t["maxTries"], &t["lastStatusCode"]),
        (&json!(1), &json!(3), &json!(503)),
        "{t}"
    );
    let waiting = deliveries(&app, &a, &second).await;
    let w = of(&waiting, &ep);
    assert_eq!(
        (&w["status"], &w["state"], &w["stateReason"], &w["tries"]),
        (
            &json!(1),
            &json!("waiting"),
            &json!("endpoint-failing"),
            &json!(0)
        ),
        "{w}"
    );
    // When the probe goes.
    assert!(w["nextAttempt"].is_string(), "{w}");
    assert!(
        w["stateDetail"]
            .as_str()
            .is_some_and(|s| s.contains("when a probe succeeds")),
        "{w}"
    );
    // The endpoint's own list shows both, newest first.
    let listed = app
        .get(&format!("/api/v1/app/{a}/endpoint/{ep}/msg"))
        .await
        .expect(200);
    let ids: Vec<&Value> = listed["data"]
        .as_array()
        .map(|d| d.iter().map(|r| &r["id"]).collect())
        .unwrap_or_default();
    assert_eq!(ids, vec![&json!(second), &json!(first)], "{listed}");
}

async fn the_message_view_finds_a_message_by_event_id_and_never_another_company_s(
    backend: Backend,
) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    let b = app.create_app("Globex").await;
    app.create_endpoint(&a, &rx.url("/acme"), json!({})).await;
    app.create_endpoint(&b, &rx.url("/globex"), json!({})).await;
    let mine = app
        .post(
            &format!("/api/v1/app/{a}/msg"),
            json!({ "eventType": "invoice.paid", "eventId": "evt-7", "payload": { "x": 1 } }),
        )
        .await
        .expect(202)["id"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_default();
    let theirs = app
        .post(
            &format!("/api/v1/app/{b}/msg"),
            json!({ "eventType": "invoice.paid", "eventId": "evt-9", "payload": {} }),
        )
        .await
        .expect(202)["id"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_default();
    app.drain().await;

    let mut portal = link_signed_in(&app, &a, json!({})).await;
    for found in [
        format!("/portal/{a}/messages/evt-7"),
        format!("/portal/{a}/messages/{mine}"),
        format!("/portal/{a}/messages?id=evt-7"),
    ] {
        let page = portal.get(&found).await;
        assert_eq!(page.status, 200, "{found}");
        assert!(page.body.contains(&mine), "{found} shows the message");
        assert!(page.body.contains("evt-7"), "{found} shows its event id");
    }
    // An empty search or one no id could be: said so, never a 500.
    for (bad, why) in [
        (format!("/portal/{a}/messages?id="), "must not be empty"),
        (
            format!("/portal/{a}/messages/%00%ff"),
            "only letters, digits",
        ),
    ] {
        let page = portal.get(&bad).await;
        assert_eq!(page.status, 422, "{bad}");
        assert!(
            page.body.contains("Message id or event id"),
            "{bad} names the field"
        );
        assert!(page.body.contains(why), "{bad} says why");
    }
    // Another company's message, by id or event id, and an unknown one: the same "nothing
    // here".
    for missing in [
        format!("/portal/{a}/messages/{theirs}"),
        format!("/portal/{a}/messages/evt-9"),
        format!("/portal/{a}/messages/msg_nope"),
    ] {
        let page = portal.get(&missing).await;
        assert_eq!(page.status, 404, "{missing}: {}", page.status);
        assert!(page.body.contains("There is nothing here"), "{missing}");
        assert!(!page.body.contains(&theirs), "{missing} leaks nothing");
    }
    let r = portal
        .call("get_message", &[("app", &a), ("message", &theirs)])
        .await;
    assert_eq!(r.status, 404, "{r:?}");
}
