//! Exact bytes (issue 13, part 2): what an attempt record says was sent is what the receiver
//! got, byte for byte, under every preset, so a customer can check a signature against it.

use crate::common::{link_signed_in, Backend, Received, Receiver, Reply, TestApp};
use serde_json::{json, Value};
use std::time::Duration;

on_both_backends!(
    each_preset_s_attempt_shows_the_exact_body_and_headers_the_receiver_got,
    a_long_response_is_kept_to_64_kib_and_said_to_be_cut,
    an_expunged_message_takes_its_sent_bodies_with_it,
);

const WAIT: Duration = Duration::from_secs(10);

/// Key order, a trailing zero and spacing that re-serialising JSON would change.
const RAW: &str =
    r#"{"zeta": 1, "amount": 10.50, "alpha": "é", "nested": {"b": [1, 2.0], "a": null}}"#;

async fn send_raw(app: &TestApp, a: &str, payload: &str) -> String {
    let body = format!(r#"{{"eventType": "invoice.paid", "payload": {payload}}}"#);
    let r = app
        .raw(
            "POST",
            &format!("/api/v1/app/{a}/msg"),
            &[
                (
                    "authorization",
                    &format!("Bearer {}", crate::common::API_KEY),
                ),
                ("content-type", "application/json"),
            ],
            body.into_bytes(),
        )
        .await;
    r.expect(202)["id"].as_str().unwrap().to_owned()
}

/// The one attempt of `msg`, once recorded.
async fn only_attempt(app: &TestApp, a: &str, msg: &str) -> Value {
    let list = app
        .poll_until(&format!("/api/v1/app/{a}/attempt/msg/{msg}"), WAIT, |v| {
            v["data"].as_array().is_some_and(|d| d.len() == 1)
        })
        .await;
    list["data"][0].clone()
}

/// Every header the receiver got (but those the connection itself sets) is in the record with
/// the same value, and the record holds no header that was not sent; the endpoint's
/// credential is hidden and named.
fn assert_headers_as_received(r: &Received, headers: &Value) {
    let sent = headers["sentHeaders"].as_object().expect("sentHeaders");
    for (name, value) in r.headers.iter() {
        let name = name.as_str();
        if matches!(name, "host" | "content-length") {
            continue;
        }
        let kept = sent
            .get(name)
            .unwrap_or_else(|| panic!("{name} was sent but is not in the record: {headers}"));
        if name == "authorization" {
            assert_eq!(kept, "<redacted>", "{headers}");
        } else {
            assert_eq!(kept, value.to_str().unwrap(), "{name}: {headers}");
        }
    }
    for name in sent.keys() {
        assert!(
            r.headers.contains_key(name.as_str()),
            "{name} is in the record but was not sent"
        );
    }
    assert_eq!(headers["sensitive"], json!(["authorization"]), "{headers}");
}

async fn each_preset_s_attempt_shows_the_exact_body_and_headers_the_receiver_got(backend: Backend) {
    for preset in ["standard", "fiskl", "fiskil", "invoice-maker", "hisab"] {
        let app = TestApp::spawn(backend, &[("PRESET", preset)]).await;
        let rx = Receiver::start().await;
        let a = app.create_app("Acme").await;
        app.create_endpoint(
            &a,
            &rx.url("/hook"),
            json!({ "headers": { "Authorization": "Bearer tenant-credential", "X-Tenant": "acme" } }),
        )
        .await;
        let msg = send_raw(&app, &a, RAW).await;
        let got = rx.wait_for(1, WAIT).await;
        let received = &got[0];
        let attempt = only_attempt(&app, &a, &msg).await;
        let id = attempt["id"].as_str().unwrap();

        let body = app
            .get(&format!("/api/v1/app/{a}/msg/{msg}/attempt/{id}/body"))
            .await;
        assert_eq!(body.status, 200, "{preset}: {body:?}");
        assert_eq!(
            body.headers
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/json"),
            "{preset}"
        );
        assert_eq!(
            String::from_utf8_lossy(&body.bytes),
            String::from_utf8_lossy(&received.body),
            "{preset}: the recorded body is not what was received"
        );
        if preset == "standard" {
            assert_eq!(
                received.body,
                RAW.as_bytes(),
                "the raw envelope is the payload"
            );
            // Another company asking for this attempt, or an attempt id that is not one, finds
            // nothing.
            let other = app.create_app("Other").await;
            for what in ["body", "headers"] {
                let r = app
                    .get(&format!(
                        "/api/v1/app/{other}/msg/{msg}/attempt/{id}/{what}"
                    ))
                    .await;
                assert_eq!(r.status, 404, "{what}: {r:?}");
                let r = app
                    .get(&format!(
                        "/api/v1/app/{a}/msg/{msg}/attempt/atmpt_nope/{what}"
                    ))
                    .await;
                assert_eq!(r.status, 404, "{what}: {r:?}");
            }
        }

        let headers = app
            .get(&format!("/api/v1/app/{a}/msg/{msg}/attempt/{id}/headers"))
            .await
            .expect(200);
        assert_headers_as_received(received, &headers);
        assert_eq!(
            received.header("authorization"),
            "Bearer tenant-credential",
            "{preset}: the receiver gets the credential"
        );
        assert!(
            !headers.to_string().contains("tenant-credential"),
            "{preset}: the credential is never shown: {headers}"
        );

        // The portal's attempt page shows the same bytes and headers.
        let mut b = link_signed_in(&app, &a, json!({})).await;
        let page = b
            .call("get_attempt", &[("app", a.as_str()), ("attempt", id)])
            .await;
        assert_eq!(page.status, 200, "{page:?}");
        let page = page.json();
        assert_eq!(
            page["request_body"].as_str().unwrap().as_bytes(),
            received.body.as_slice(),
            "{preset}: the portal shows other bytes than were sent"
        );
        assert_eq!(page["body_recorded"], true);
        let shown: Vec<(String, String)> =
            serde_json::from_value(page["request_headers"].clone()).unwrap();
        for (k, v) in &shown {
            if k == "authorization" {
                assert_eq!(v, "<redacted>");
            } else {
                assert_eq!(received.header(k), v, "{preset}: {k}");
            }
        }
        assert!(
            page["signature_help"]
                .as_str()
                .unwrap()
                .contains("HMAC-SHA256"),
            "{page}"
        );
    }
}

async fn a_long_response_is_kept_to_64_kib_and_said_to_be_cut(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    app.create_endpoint(&a, &rx.url("/hook"), json!({})).await;
    rx.script([
        Reply::status(200).body(vec![b'x'; 100 * 1024]),
        Reply::status(200).body(vec![b'y'; 64 * 1024]),
    ]);
    let long = app.send(&a, "invoice.paid", json!({ "n": 1 })).await;
    let attempt = only_attempt(&app, &a, &long).await;
    assert_eq!(attempt["response"].as_str().unwrap().len(), 64 * 1024);
    assert_eq!(attempt["responseTruncated"], true, "{}", attempt["id"]);

    let exact = app.send(&a, "invoice.paid", json!({ "n": 2 })).await;
    let attempt = only_attempt(&app, &a, &exact).await;
    assert_eq!(attempt["response"].as_str().unwrap().len(), 64 * 1024);
    assert!(
        attempt.get("responseTruncated").is_none(),
        "exactly 64 KiB is whole: {}",
        attempt["id"]
    );
}

async fn an_expunged_message_takes_its_sent_bodies_with_it(backend: Backend) {
    // An envelope around the payload, so the body is kept apart from the message.
    let app = TestApp::spawn(backend, &[("PRESET", "fiskl")]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    app.create_endpoint(&a, &rx.url("/hook"), json!({})).await;
    let msg = send_raw(&app, &a, RAW).await;
    rx.wait_for(1, WAIT).await;
    let id = only_attempt(&app, &a, &msg).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/app/{a}/msg/{msg}/attempt/{id}/body");
    assert_eq!(app.get(&path).await.status, 200);
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT COUNT(*) FROM sent_bodies WHERE msg_id = '{msg}'"
            ))
            .await,
        1
    );

    app.delete(&format!("/api/v1/app/{a}/msg/{msg}/content"))
        .await
        .expect(204);
    let gone = app.get(&path).await;
    assert_eq!(gone.status, 404, "{gone:?}");
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT COUNT(*) FROM sent_bodies WHERE msg_id = '{msg}'"
            ))
            .await,
        0,
        "the enveloped payload is gone too"
    );
}
