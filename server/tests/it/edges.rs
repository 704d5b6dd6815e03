//! The REST edge itself: what the extractors refuse before any handler runs (a NUL character,
//! which PostgreSQL cannot store), and the request id every answer carries.

use crate::common::{Backend, TestApp, API_KEY};
use serde_json::{json, Value};

on_both_backends!(
    a_nul_in_a_path_segment_is_a_422_naming_the_parameter,
    a_nul_in_a_query_value_is_a_422_naming_the_parameter,
    a_nul_in_a_json_string_is_a_422_naming_the_field_and_nothing_is_stored,
);

/// The `loc` of the first validation item, and its message.
#[track_caller]
fn refused(r: crate::common::Resp) -> (Value, String) {
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.body["code"], "validation", "{}", r.body);
    let item = &r.body["detail"][0];
    let msg = item["msg"].as_str().unwrap_or_default().to_owned();
    assert!(msg.contains("NUL"), "the message does not say why: {msg}");
    (item["loc"].clone(), msg)
}

async fn a_nul_in_a_path_segment_is_a_422_naming_the_parameter(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    let ep = app
        .create_endpoint(&a, "https://example.com/hook", json!({}))
        .await;

    for (path, param) in [
        ("/api/v1/app/app_x%00y".to_owned(), "app_id"),
        ("/api/v1/app/app_x%00y/endpoint".to_owned(), "app_id"),
        ("/api/v1/app/app_x%00y/msg".to_owned(), "app_id"),
        (format!("/api/v1/app/{a}/endpoint/ep_x%00y"), "endpoint_id"),
        (
            format!("/api/v1/app/{a}/endpoint/x%00/secret"),
            "endpoint_id",
        ),
        (format!("/api/v1/app/{a}/msg/msg_%00"), "msg_id"),
        (
            format!("/api/v1/app/{a}/attempt/endpoint/{ep}%00"),
            "endpoint_id",
        ),
        ("/api/v1/event-type/a.%00b".to_owned(), "event_type_name"),
        ("/api/v1/plan/Basic%00".to_owned(), "plan_name"),
    ] {
        let (loc, _) = refused(app.get(&path).await);
        assert_eq!(loc, json!(["path", param]), "GET {path}");
    }
    // Writes too, and with the body otherwise fine.
    let (loc, _) = refused(
        app.post(
            "/api/v1/app/uid%00/msg",
            json!({ "eventType": "a.b", "payload": {}, "application": { "name": "X" } }),
        )
        .await,
    );
    assert_eq!(loc, json!(["path", "app_id"]));
    let (loc, _) = refused(
        app.put(
            &format!("/api/v1/app/{a}/endpoint/new%00uid"),
            json!({ "url": "https://example.com/x" }),
        )
        .await,
    );
    assert_eq!(loc, json!(["path", "endpoint_id"]));
    let list = app.get("/api/v1/app").await.expect(200);
    assert_eq!(list["data"].as_array().unwrap().len(), 1, "{list}");
}

async fn a_nul_in_a_query_value_is_a_422_naming_the_parameter(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    let ep = app
        .create_endpoint(&a, "https://example.com/hook", json!({}))
        .await;

    for (path, param) in [
        ("/api/v1/app?iterator=app_%00".to_owned(), "iterator"),
        (format!("/api/v1/app/{a}/msg?iterator=m%00"), "iterator"),
        (
            format!("/api/v1/app/{a}/msg?event_types=a%00b"),
            "event_types",
        ),
        (format!("/api/v1/app/{a}/msg?channel=%00"), "channel"),
        (
            format!("/api/v1/app/{a}/attempt/endpoint/{ep}?event_types=a.b,c%00"),
            "event_types",
        ),
        (
            format!("/api/v1/app/{a}/endpoint/{ep}/msg?iterator=%00"),
            "iterator",
        ),
        ("/api/v1/audit?appId=%00".to_owned(), "appId"),
        ("/api/v1/event-type?iterator=x%00".to_owned(), "iterator"),
    ] {
        let (loc, _) = refused(app.get(&path).await);
        assert_eq!(loc, json!(["query", param]), "GET {path}");
    }
    // A percent sign that is not a NUL is just text.
    app.get(&format!("/api/v1/app/{a}/msg?channel=100%2500"))
        .await
        .expect(200);
}

async fn a_nul_in_a_json_string_is_a_422_naming_the_field_and_nothing_is_stored(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    let ep = app
        .create_endpoint(&a, "https://example.com/hook", json!({}))
        .await;

    let (loc, _) = refused(
        app.post("/api/v1/app", json!({ "name": "Ac\u{0}me" }))
            .await,
    );
    assert_eq!(loc, json!(["body", "name"]));
    let (loc, _) = refused(
        app.post(
            &format!("/api/v1/app/{a}/endpoint"),
            json!({ "url": "https://example.com/x", "description": "nul \u{0} here" }),
        )
        .await,
    );
    assert_eq!(loc, json!(["body", "description"]));
    let (loc, _) = refused(
        app.patch(
            &format!("/api/v1/app/{a}/endpoint/{ep}"),
            json!({ "filterTypes": ["ok.type", "bad\u{0}"] }),
        )
        .await,
    );
    assert_eq!(loc, json!(["body", "filterTypes", "1"]));
    let (loc, _) = refused(
        app.post(
            &format!("/api/v1/app/{a}/msg"),
            json!({ "eventType": "invoice\u{0}.paid", "payload": {} }),
        )
        .await,
    );
    assert_eq!(loc, json!(["body", "eventType"]));
    // The payload is stored as text on one backend and could not be stored on the other: it is
    // refused on both, naming where in the payload the NUL is.
    let (loc, msg) = refused(
        app.post(
            &format!("/api/v1/app/{a}/msg"),
            json!({ "eventType": "invoice.paid", "payload": { "lines": [{ "memo": "a\u{0}" }] } }),
        )
        .await,
    );
    assert_eq!(loc, json!(["body", "payload", "lines", "0", "memo"]));
    assert!(msg.starts_with("payload.lines.0.memo: "), "{msg}");
    // Optional bodies go through the same check.
    let (loc, _) = refused(
        app.post(
            &format!("/api/v1/app/{a}/endpoint/{ep}/secret/rotate"),
            json!({ "key": "whsec_\u{0}" }),
        )
        .await,
    );
    assert_eq!(loc, json!(["body", "key"]));
    // `\\u0000` in JSON is a backslash and the text "u0000", not a NUL: accepted.
    let r = app
        .raw(
            "POST",
            &format!("/api/v1/app/{a}/msg"),
            &[
                ("authorization", &format!("Bearer {API_KEY}")),
                ("content-type", "application/json"),
            ],
            br#"{"eventType": "invoice.paid", "payload": {"path": "C:\\u0000"}}"#.to_vec(),
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.body);
    assert_eq!(r.body["payload"]["path"], "C:\\u0000");

    // Only that last message was stored, and the endpoint is unchanged.
    let msgs = app.get(&format!("/api/v1/app/{a}/msg")).await.expect(200);
    assert_eq!(msgs["data"].as_array().unwrap().len(), 1, "{msgs}");
    let e = app
        .get(&format!("/api/v1/app/{a}/endpoint/{ep}"))
        .await
        .expect(200);
    assert!(e.get("filterTypes").is_none(), "{e}");
    let list = app
        .get(&format!("/api/v1/app/{a}/endpoint"))
        .await
        .expect(200);
    assert_eq!(list["data"].as_array().unwrap().len(), 1, "{list}");
}

/// The request id does not depend on the database: one backend is enough.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_carries_a_request_id_and_a_clients_own_is_echoed() {
    let app = TestApp::spawn(Backend::Sqlite, &[]).await;
    let id_of = |r: &crate::common::Resp| {
        r.headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };

    // Ours, different for each request, on answers of every kind (API, error, portal page).
    let mut seen = std::collections::BTreeSet::new();
    for path in [
        "/api/v1/health/ping",
        "/api/v1/app",
        "/api/v1/nowhere",
        "/login",
    ] {
        let r = app.raw("GET", path, &[], Vec::new()).await;
        let id = id_of(&r).unwrap_or_else(|| panic!("GET {path}: no x-request-id"));
        assert!(!id.is_empty(), "GET {path}");
        assert!(seen.insert(id), "GET {path}: a request id was reused");
    }

    // The client's own is echoed, so it can find its request in our logs.
    let r = app
        .raw(
            "GET",
            "/api/v1/app",
            &[
                ("authorization", &format!("Bearer {API_KEY}")),
                ("x-request-id", "client-trace-42"),
            ],
            Vec::new(),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(id_of(&r).as_deref(), Some("client-trace-42"));

    // One that would clutter every log line is replaced by ours.
    let long = "x".repeat(500);
    let r = app
        .raw(
            "GET",
            "/api/v1/health/ping",
            &[("x-request-id", &long)],
            Vec::new(),
        )
        .await;
    let id = id_of(&r).expect("a request id");
    assert!(!id.is_empty() && id != long, "{id}");
}
