//! What the operator hears: operational webhooks for endpoints disabled and messages whose
//! retries ran out, delivered (signed) to the operational application's endpoints.

use crate::common::{assert_signed_by, link_signed_in, Backend, Receiver, Reply, TestApp};
use serde_json::json;
use std::time::Duration;

on_both_backends!(
    an_exhausted_message_and_an_auto_disabled_endpoint_reach_the_operators_endpoint,
    a_message_failing_a_fourth_time_warns_the_operator_and_the_company,
    every_change_is_in_the_audit_trail_with_who_made_it_and_what_changed,
);

async fn an_exhausted_message_and_an_auto_disabled_endpoint_reach_the_operators_endpoint(
    backend: Backend,
) {
    let app = TestApp::spawn(
        backend,
        &[
            ("RETRY_SCHEDULE", "100ms"),
            ("AUTO_DISABLE_AFTER", "2"),
            ("AUTO_DISABLE_MIN_FAILING", "0s"),
        ],
    )
    .await;
    let operator = Receiver::start().await;
    let op_ep = app
        .create_endpoint("herald-operational", &operator.url("/ops"), json!({}))
        .await;
    let op_secret = app.endpoint_secret("herald-operational", &op_ep).await;

    let down = Receiver::start().await;
    down.default_reply(Reply::status(503));
    let a = app.create_app("Acme").await;
    let ep = app.create_endpoint(&a, &down.url("/down"), json!({})).await;
    let msg = app.send(&a, "invoice.paid", json!({ "id": "inv_1" })).await;

    // Two failed tries: no retry left (exhausted), and two in a row disable the endpoint.
    let got = operator.wait_for(2, Duration::from_secs(10)).await;
    let mut by_type = std::collections::BTreeMap::new();
    for r in &got {
        assert_signed_by(&op_secret, r);
        let body = r.json();
        by_type.insert(body["type"].as_str().unwrap().to_owned(), body);
    }
    let exhausted = &by_type["message.attempt.exhausted"];
    assert_eq!(exhausted["data"]["appId"], a.as_str());
    assert_eq!(exhausted["data"]["msgId"], msg.as_str());
    assert_eq!(exhausted["data"]["endpointId"], ep.as_str());
    assert_eq!(exhausted["data"]["lastAttempt"]["responseStatusCode"], 503);
    assert!(exhausted["data"]["lastAttempt"]["id"]
        .as_str()
        .unwrap()
        .starts_with("atmpt_"));
    let disabled = &by_type["endpoint.disabled"];
    assert_eq!(disabled["data"]["appId"], a.as_str());
    assert_eq!(disabled["data"]["endpointId"], ep.as_str());
    assert!(disabled["data"]["failSince"].as_str().is_some());
    assert_eq!(down.count(), 2);

    // They are ordinary messages of the operational application, in its log.
    let msgs = app
        .get("/api/v1/app/herald-operational/msg")
        .await
        .expect(200);
    assert_eq!(msgs["data"].as_array().unwrap().len(), 2, "{msgs}");
    app.drain().await;
    assert_eq!(operator.count(), 2, "each notification is sent once");

    // The company sees both in its portal, in words.
    let mut portal = link_signed_in(&app, &a, json!({ "readOnly": true })).await;
    let notices = portal.call("notices", &[("app", &a)]).await;
    assert_eq!(notices.status, 200, "{notices:?}");
    let notices = notices.json();
    let kinds: Vec<&str> = notices
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 2, "{notices}");
    assert!(kinds.contains(&"endpoint.disabled") && kinds.contains(&"message.attempt.exhausted"));
    let text = notices.to_string();
    assert!(
        text.contains(&down.url("/down")),
        "the summaries name the endpoint: {text}"
    );
    assert!(text.contains("503"), "{text}");
    let page = portal.get(&format!("/portal/{a}")).await;
    assert!(
        page.body.contains("Recent alerts"),
        "the endpoints page lists them"
    );
}

async fn every_change_is_in_the_audit_trail_with_who_made_it_and_what_changed(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    let other = app.create_app("Other").await;
    app.create_event_type("invoice.paid").await;
    let ep = app.create_endpoint(&a, &rx.url("/one"), json!({})).await;
    app.patch(
        &format!("/api/v1/app/{a}/endpoint/{ep}"),
        json!({ "url": rx.url("/two") }),
    )
    .await
    .expect(200);
    app.patch(
        &format!("/api/v1/app/{a}/endpoint/{ep}"),
        json!({ "disabled": true }),
    )
    .await
    .expect(200);
    app.endpoint_secret(&a, &ep).await;
    app.post(
        &format!("/api/v1/app/{a}/endpoint/{ep}/secret/rotate"),
        json!({}),
    )
    .await
    .expect(200);
    app.put(&format!("/api/v1/app/{a}/plan"), json!({ "plan": "Pro" }))
        .await
        .expect(200);
    app.delete(&format!("/api/v1/app/{a}/endpoint/{ep}"))
        .await
        .expect(204);
    app.create_endpoint(&other, &rx.url("/other"), json!({}))
        .await;

    let trail = app
        .get(&format!("/api/v1/audit?appId={a}"))
        .await
        .expect(200);
    let entries = trail["data"].as_array().unwrap();
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "endpoint.deleted",
            "application.plan_changed",
            "endpoint.secret_rotated",
            "endpoint.secret_revealed",
            "endpoint.disabled",
            "endpoint.updated",
            "endpoint.created",
            "application.created",
        ],
        "newest first, only this company's: {trail}"
    );
    for e in entries {
        assert_eq!(e["actor"]["kind"], "api_key", "{e}");
        assert_eq!(e["actor"]["name"], "API key \"bootstrap\"", "{e}");
        assert_eq!(e["appId"], a.as_str());
        assert!(e["timestamp"].as_str().unwrap().ends_with('Z'));
    }
    let edit = &entries[5];
    assert_eq!(edit["target"], ep.as_str());
    assert_eq!(edit["changes"]["url"]["from"], rx.url("/one"));
    assert_eq!(edit["changes"]["url"]["to"], rx.url("/two"));
    assert_eq!(
        edit["changes"].as_object().unwrap().len(),
        1,
        "only what changed: {edit}"
    );
    assert_eq!(entries[1]["changes"]["plan"]["to"], "Pro");
    assert_eq!(
        entries[1]["changes"]["plan"]["from"],
        serde_json::Value::Null
    );
    let rotated = serde_json::to_string(&entries[2]).unwrap();
    assert!(
        !rotated.contains("whsec_"),
        "no secret in the trail: {rotated}"
    );

    // Operators see everything, the catalogue's changes included; pages follow the iterator.
    let all = app.get("/api/v1/audit?limit=3").await.expect(200);
    assert_eq!(all["data"].as_array().unwrap().len(), 3);
    assert_eq!(all["data"][0]["appId"], other.as_str());
    let mut seen = 3;
    let mut it = all["iterator"].as_str().map(str::to_owned);
    let mut catalogue = false;
    while let Some(i) = it {
        let page = app
            .get(&format!("/api/v1/audit?limit=3&iterator={i}"))
            .await
            .expect(200);
        for e in page["data"].as_array().unwrap() {
            seen += 1;
            catalogue |= e["action"] == "event_type.created" && e["appId"].is_null();
        }
        it = if page["done"] == true {
            None
        } else {
            page["iterator"].as_str().map(str::to_owned)
        };
    }
    assert!(
        catalogue,
        "the catalogue's changes are deployment-wide entries"
    );
    assert_eq!(
        seen,
        8 + 2 + 1,
        "Acme's, Other's two and the catalogue's: {seen}"
    );

    let bad = app.get("/api/v1/audit?appId=app_nope").await;
    assert_eq!(bad.status, 404);
}

async fn a_message_failing_a_fourth_time_warns_the_operator_and_the_company(backend: Backend) {
    let app = TestApp::spawn(
        backend,
        &[
            ("RETRY_SCHEDULE", "20ms,20ms,20ms,20ms,20ms"),
            ("PAUSE_AFTER", "100"),
        ],
    )
    .await;
    let operator = Receiver::start().await;
    app.create_endpoint("herald-operational", &operator.url("/ops"), json!({}))
        .await;
    let down = Receiver::start().await;
    down.default_reply(Reply::status(500));
    let a = app.create_app("Acme").await;
    let ep = app.create_endpoint(&a, &down.url("/down"), json!({})).await;
    let msg = app.send(&a, "invoice.paid", json!({ "id": "inv_1" })).await;

    let got = operator
        .wait_for_matching(1, Duration::from_secs(10), |r| {
            r.json()["type"] == "message.attempt.failing"
        })
        .await;
    let body = got[0].json();
    assert_eq!(body["data"]["msgId"], msg.as_str());
    assert_eq!(body["data"]["endpointId"], ep.as_str());
    assert_eq!(body["data"]["lastAttempt"]["responseStatusCode"], 500);
    assert!(
        down.count() >= 4,
        "warned after {} tries, not the fourth",
        down.count()
    );

    // Once, not on every later failure: the sixth and last try exhausts it.
    operator
        .wait_for_matching(1, Duration::from_secs(10), |r| {
            r.json()["type"] == "message.attempt.exhausted"
        })
        .await;
    app.drain().await;
    let failing = operator
        .requests()
        .iter()
        .filter(|r| r.json()["type"] == "message.attempt.failing")
        .count();
    assert_eq!(failing, 1);

    // The company reads it in its portal.
    let mut portal = link_signed_in(&app, &a, json!({ "readOnly": true })).await;
    let notices = portal.call("notices", &[("app", &a)]).await.json();
    let warned = notices
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["kind"] == "message.attempt.failing");
    assert!(warned, "{notices}");
}
