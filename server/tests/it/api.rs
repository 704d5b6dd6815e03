//! The REST API: idempotency, error answers, tenant isolation, SSRF guard, pagination and the
//! OpenAPI document. Each test runs on both SQLite and PostgreSQL.

use crate::common::{validation_messages, Backend, Receiver, TestApp, API_KEY};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::Duration;

on_both_backends!(
    an_idempotency_key_replays_the_same_message_and_a_repeated_event_id_conflicts,
    bad_input_gets_the_right_client_error_in_the_error_format,
    requests_without_a_valid_api_key_are_refused_with_401,
    another_tenants_endpoint_is_not_found_through_a_different_app,
    endpoints_at_private_addresses_are_refused_naming_the_reason,
    paths_with_a_trailing_slash_work,
    lists_paginate_with_iterator_until_done,
    every_path_in_the_openapi_document_answers,
    concurrent_messages_are_each_answered_for_themselves_when_some_event_ids_collide,
);

/// Accepted messages are committed in groups. A group that holds a repeated `eventId` must still
/// give every request its own answer: the first of each `eventId` is accepted, its repeats get
/// 409, and the unrelated messages of the same group are accepted and delivered.
async fn concurrent_messages_are_each_answered_for_themselves_when_some_event_ids_collide(
    backend: Backend,
) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    app.create_endpoint(&a, &rx.url("/hook"), json!({})).await;
    let mut calls = Vec::new();
    for i in 0..60 {
        // Ten eventIds sent three times each, and thirty messages without one.
        let body = if i < 30 {
            json!({ "eventType": "a.b", "eventId": format!("evt_{}", i % 10), "payload": { "i": i } })
        } else {
            json!({ "eventType": "a.b", "payload": { "i": i } })
        };
        let path = format!("/api/v1/app/{a}/msg");
        let client = app.client.clone();
        let url = app.url(&path);
        calls.push(tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(API_KEY)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for c in calls {
        statuses.push(c.await.unwrap());
    }
    let accepted = statuses.iter().filter(|s| **s == 202).count();
    let conflicts = statuses.iter().filter(|s| **s == 409).count();
    assert_eq!((accepted, conflicts), (40, 20), "{statuses:?}");
    rx.wait_for(40, Duration::from_secs(20)).await;
    // Nothing more is due: a repeat that slipped through would have been sent by now.
    app.drain().await;
    assert_eq!(rx.count(), 40);
}

async fn an_idempotency_key_replays_the_same_message_and_a_repeated_event_id_conflicts(
    backend: Backend,
) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    app.create_endpoint(&a, &rx.url("/hook"), json!({})).await;
    let body =
        serde_json::to_vec(&json!({ "eventType": "invoice.paid", "payload": { "n": 1 } })).unwrap();
    let headers = [
        ("authorization", format!("Bearer {API_KEY}")),
        ("content-type", "application/json".to_owned()),
        ("idempotency-key", "key-123".to_owned()),
    ];
    let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let first = app
        .raw("POST", &format!("/api/v1/app/{a}/msg"), &h, body.clone())
        .await
        .expect(202);
    let second = app
        .raw("POST", &format!("/api/v1/app/{a}/msg"), &h, body)
        .await
        .expect(202);
    assert_eq!(first["id"], second["id"]);
    let msgs = app.get(&format!("/api/v1/app/{a}/msg")).await.expect(200);
    assert_eq!(msgs["data"].as_array().unwrap().len(), 1, "{msgs}");

    let m = json!({ "eventType": "invoice.paid", "eventId": "evt_1", "payload": { "n": 2 } });
    app.post(&format!("/api/v1/app/{a}/msg"), m.clone())
        .await
        .expect(202);
    let dup = app
        .post(&format!("/api/v1/app/{a}/msg"), m)
        .await
        .expect(409);
    assert!(
        dup["code"].is_string() && dup["detail"].is_string(),
        "{dup}"
    );

    // Replayed requests deliver once: two messages, two deliveries.
    rx.wait_for(2, Duration::from_secs(10)).await;
    app.drain().await;
    assert_eq!(rx.count(), 2);
}

/// Every error has a `code`. A 422's `detail` is Svix's list of `{loc, msg, type}` (the SDKs
/// parse it); every other error's `detail` is one sentence.
#[track_caller]
fn assert_error(status: u16, want: u16, body: &Value) {
    assert_eq!(status, want, "{body}");
    assert!(body["code"].is_string(), "error without a code: {body}");
    if want == 422 {
        let items = body["detail"].as_array().expect("a 422 detail is a list");
        assert!(!items.is_empty(), "empty 422 detail: {body}");
        for item in items {
            assert!(
                item["loc"].as_array().is_some_and(|l| !l.is_empty()),
                "{body}"
            );
            assert!(
                item["msg"].as_str().is_some_and(|m| !m.is_empty()),
                "{body}"
            );
            assert!(item["type"].is_string(), "{body}");
        }
    } else {
        assert!(
            body["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "error without a detail: {body}"
        );
    }
}

async fn bad_input_gets_the_right_client_error_in_the_error_format(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    let auth = format!("Bearer {API_KEY}");
    let json_headers = [
        ("authorization", auth.as_str()),
        ("content-type", "application/json"),
    ];

    // Malformed JSON: 400.
    let r = app
        .raw(
            "POST",
            "/api/v1/app",
            &json_headers,
            b"{\"name\": ".to_vec(),
        )
        .await;
    assert_error(r.status, 400, &r.body);
    let r = app
        .raw(
            "POST",
            &format!("/api/v1/app/{a}/msg"),
            &json_headers,
            b"not json".to_vec(),
        )
        .await;
    assert_error(r.status, 400, &r.body);

    // Well-formed JSON of the wrong shape: 422.
    let r = app.post("/api/v1/app", json!({ "name": 42 })).await;
    assert_error(r.status, 422, &r.body);
    assert_eq!(
        r.body["detail"][0]["loc"],
        json!(["body", "name"]),
        "{}",
        r.body
    );
    let r = app
        .post(&format!("/api/v1/app/{a}/msg"), json!({ "payload": {} }))
        .await;
    assert_error(r.status, 422, &r.body);
    let r = app
        .post(
            &format!("/api/v1/app/{a}/endpoint"),
            json!({ "url": ["x"] }),
        )
        .await;
    assert_error(r.status, 422, &r.body);

    // Unknown ids: 404.
    for path in [
        "/api/v1/app/app_doesnotexist".to_owned(),
        format!("/api/v1/app/{a}/endpoint/ep_doesnotexist"),
        format!("/api/v1/app/{a}/msg/msg_doesnotexist"),
        format!("/api/v1/app/{a}/attempt/msg/msg_doesnotexist"),
        "/api/v1/event-type/no.such.type".to_owned(),
        "/api/v1/no-such-resource".to_owned(),
    ] {
        let r = app.get(&path).await;
        assert_error(r.status, 404, &r.body);
    }
    let r = app
        .post(
            "/api/v1/app/app_doesnotexist/msg",
            json!({ "eventType": "a.b", "payload": {} }),
        )
        .await;
    assert_error(r.status, 404, &r.body);

    // Oversized body: 413.
    let big = "x".repeat(1200 * 1024);
    let r = app
        .post(
            &format!("/api/v1/app/{a}/msg"),
            json!({ "eventType": "a.b", "payload": { "big": big } }),
        )
        .await;
    assert_error(r.status, 413, &r.body);

    // Bad endpoint URLs: 422.
    for url in [
        "not a url",
        "ftp://example.com/x",
        "",
        "http://",
        "javascript:alert(1)",
    ] {
        let r = app
            .post(&format!("/api/v1/app/{a}/endpoint"), json!({ "url": url }))
            .await;
        assert_error(r.status, 422, &r.body);
    }

    // Bad list parameters: 422.
    let r = app.get("/api/v1/app?limit=0").await;
    assert_error(r.status, 422, &r.body);
    assert_eq!(r.body["detail"][0]["loc"][0], "query", "{}", r.body);
    let r = app.get("/api/v1/app?limit=abc").await;
    assert_error(r.status, 422, &r.body);
}

async fn requests_without_a_valid_api_key_are_refused_with_401(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let wrong = "Bearer hk_not_the_right_key_at_all_0000000";
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![],
        vec![("authorization", wrong)],
        vec![("authorization", "Bearer ")],
        vec![("authorization", "Basic dXNlcjpwYXNz")],
        vec![("authorization", API_KEY)],
    ];
    for headers in cases {
        for (method, path) in [
            ("GET", "/api/v1/app"),
            ("POST", "/api/v1/app"),
            ("GET", "/api/v1/event-type"),
        ] {
            let mut h = headers.clone();
            h.push(("content-type", "application/json"));
            let r = app
                .raw(method, path, &h, b"{\"name\":\"x\"}".to_vec())
                .await;
            assert_error(r.status, 401, &r.body);
        }
    }
    // Nothing was created by the refused requests.
    let list = app.get("/api/v1/app").await.expect(200);
    assert_eq!(list["data"].as_array().unwrap().len(), 0);
}

async fn another_tenants_endpoint_is_not_found_through_a_different_app(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let mine = app.create_app("Mine").await;
    let theirs = app.create_app("Theirs").await;
    let ep = app
        .create_endpoint(&theirs, "https://example.com/hook", json!({}))
        .await;
    let msg = app.send(&theirs, "invoice.paid", json!({ "n": 1 })).await;

    for path in [
        format!("/api/v1/app/{mine}/endpoint/{ep}"),
        format!("/api/v1/app/{mine}/endpoint/{ep}/secret"),
        format!("/api/v1/app/{mine}/endpoint/{ep}/headers"),
        format!("/api/v1/app/{mine}/endpoint/{ep}/stats"),
        format!("/api/v1/app/{mine}/msg/{msg}"),
        format!("/api/v1/app/{mine}/attempt/endpoint/{ep}"),
    ] {
        let r = app.get(&path).await;
        assert_error(r.status, 404, &r.body);
    }
    let r = app
        .patch(
            &format!("/api/v1/app/{mine}/endpoint/{ep}"),
            json!({ "description": "hijacked" }),
        )
        .await;
    assert_error(r.status, 404, &r.body);
    let r = app
        .post(
            &format!("/api/v1/app/{mine}/endpoint/{ep}/secret/rotate"),
            json!({}),
        )
        .await;
    assert_error(r.status, 404, &r.body);
    let r = app
        .delete(&format!("/api/v1/app/{mine}/endpoint/{ep}"))
        .await;
    assert_error(r.status, 404, &r.body);

    // Still there, unchanged, for its owner.
    let e = app
        .get(&format!("/api/v1/app/{theirs}/endpoint/{ep}"))
        .await
        .expect(200);
    assert_eq!(e["description"], "test endpoint");
    let list = app
        .get(&format!("/api/v1/app/{mine}/endpoint"))
        .await
        .expect(200);
    assert_eq!(list["data"].as_array().unwrap().len(), 0);
}

async fn endpoints_at_private_addresses_are_refused_naming_the_reason(backend: Backend) {
    let app = TestApp::spawn(backend, &[("ALLOW_PRIVATE_NETWORKS", "false")]).await;
    let a = app.create_app("Acme").await;
    for (url, reason) in [
        ("http://127.0.0.1/x", "loopback"),
        ("http://169.254.169.254/", "metadata"),
        ("http://10.0.0.1/", "private"),
        ("http://[::1]:8080/", "loopback"),
        ("http://localhost/x", "loopback"),
    ] {
        let r = app
            .post(&format!("/api/v1/app/{a}/endpoint"), json!({ "url": url }))
            .await;
        assert_error(r.status, 422, &r.body);
        let detail = validation_messages(&r.body);
        assert_eq!(
            r.body["detail"][0]["loc"],
            json!(["body", "url"]),
            "{}",
            r.body
        );
        assert!(
            detail.contains(reason),
            "{url}: detail '{detail}' does not name the reason '{reason}'"
        );
    }
    // A public address is fine.
    app.create_endpoint(&a, "https://93.184.215.14/hook", json!({}))
        .await;
}

async fn paths_with_a_trailing_slash_work(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let r = app
        .post("/api/v1/app/", json!({ "name": "Slash" }))
        .await
        .expect(201);
    let a = r["id"].as_str().unwrap().to_owned();
    let list = app.get("/api/v1/app/").await.expect(200);
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    app.get(&format!("/api/v1/app/{a}/")).await.expect(200);
    app.get(&format!("/api/v1/app/{a}/endpoint/"))
        .await
        .expect(200);
    app.post(
        "/api/v1/event-type/",
        json!({ "name": "x.y", "description": "d" }),
    )
    .await
    .expect(201);
    app.get("/api/v1/event-type/x.y/").await.expect(200);
}

async fn lists_paginate_with_iterator_until_done(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let mut made = BTreeSet::new();
    for i in 0..7 {
        made.insert(app.create_app(&format!("App {i}")).await);
    }
    let a = made.iter().next().unwrap().clone();
    let mut msgs = BTreeSet::new();
    for i in 0..5 {
        msgs.insert(app.send(&a, "invoice.paid", json!({ "i": i })).await);
    }

    for (path, want) in [
        ("/api/v1/app".to_owned(), &made),
        (format!("/api/v1/app/{a}/msg"), &msgs),
    ] {
        let mut seen = Vec::new();
        let mut iterator: Option<String> = None;
        let mut pages = 0;
        loop {
            let q = match &iterator {
                Some(it) => format!("{path}?limit=2&iterator={it}"),
                None => format!("{path}?limit=2"),
            };
            let page = app.get(&q).await.expect(200);
            let data = page["data"].as_array().unwrap();
            assert!(data.len() <= 2, "{page}");
            seen.extend(data.iter().map(|x| x["id"].as_str().unwrap().to_owned()));
            pages += 1;
            assert!(pages < 10, "pagination does not end: {page}");
            if page["done"] == true {
                break;
            }
            iterator = Some(
                page["iterator"]
                    .as_str()
                    .expect("an iterator when not done")
                    .to_owned(),
            );
        }
        let unique: BTreeSet<String> = seen.iter().cloned().collect();
        assert_eq!(
            unique.len(),
            seen.len(),
            "{path}: an item came twice: {seen:?}"
        );
        assert_eq!(&unique, want, "{path}");
        assert!(pages >= 3, "{path}: {pages} pages");
    }
}

async fn every_path_in_the_openapi_document_answers(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    app.create_event_type("invoice.paid").await;
    let a = app.create_app("Acme").await;
    let ep = app.create_endpoint(&a, &rx.url("/hook"), json!({})).await;
    let msg = app.send(&a, "invoice.paid", json!({ "n": 1 })).await;
    rx.wait_for(1, Duration::from_secs(10)).await;
    let attempts = app
        .poll_until(
            &format!("/api/v1/app/{a}/attempt/msg/{msg}"),
            Duration::from_secs(10),
            |b| b["data"].as_array().is_some_and(|d| !d.is_empty()),
        )
        .await;
    let attempt = attempts["data"][0]["id"].as_str().unwrap().to_owned();

    let doc = app.get("/api/v1/openapi.json").await.expect(200);
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 20, "only {} paths", paths.len());
    for p in [
        "/api/v1/app",
        "/api/v1/app/{app_id}/msg",
        "/api/v1/app/{app_id}/endpoint/{endpoint_id}/secret/rotate",
    ] {
        assert!(
            paths.contains_key(p),
            "{p} missing from the OpenAPI document"
        );
    }

    let mut calls = Vec::new();
    for (path, item) in paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                let concrete = path
                    .replace("{app_id}", &a)
                    .replace("{endpoint_id}", &ep)
                    .replace("{msg_id}", &msg)
                    .replace("{attempt_id}", &attempt)
                    .replace("{event_type_name}", "invoice.paid")
                    .replace("{plan_name}", "Basic");
                assert!(!concrete.contains('{'), "unknown path parameter in {path}");
                calls.push((method.to_ascii_uppercase(), concrete, path.clone()));
            }
        }
    }
    // Deletions last, deepest first, so they do not remove what other calls need.
    calls.sort_by_key(|(m, c, _)| {
        (
            m == "DELETE",
            std::cmp::Reverse(if m == "DELETE" {
                c.matches('/').count()
            } else {
                0
            }),
        )
    });
    for (method, path, template) in calls {
        let body = matches!(method.as_str(), "POST" | "PUT" | "PATCH").then(|| json!({}));
        let r = app.request(&method, &path, body).await;
        assert!(
            !matches!(r.status, 404 | 405) && r.status < 500,
            "{method} {template} ({path}) answered {}: {}",
            r.status,
            r.body
        );
    }
}

/// The document does not depend on the database: one backend is enough.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_declares_query_parameters_bearer_auth_and_error_bodies() {
    let app = TestApp::spawn(Backend::Sqlite, &[]).await;
    let doc = app.get("/api/v1/openapi.json").await.expect(200);

    // The audit trail's filters are query parameters, not path parameters.
    let params = doc["paths"]["/api/v1/audit"]["get"]["parameters"]
        .as_array()
        .expect("audit parameters");
    let names: BTreeSet<&str> = params.iter().filter_map(|p| p["name"].as_str()).collect();
    assert_eq!(names, BTreeSet::from(["appId", "limit", "iterator"]));
    for p in params {
        assert_eq!(p["in"], "query", "{p}");
    }
    // No operation declares a path parameter its path does not have.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["in"] == "path" {
                    let name = p["name"].as_str().unwrap();
                    assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{method} {path}: path parameter {name} is not in the path"
                    );
                }
            }
        }
    }

    // A bearer scheme, referenced by every API-key route and by none of the health checks.
    let schemes = &doc["components"]["securitySchemes"];
    let (name, scheme) = schemes
        .as_object()
        .and_then(|s| s.iter().find(|(_, v)| v["scheme"] == "bearer"))
        .expect("a bearer security scheme");
    assert_eq!(scheme["type"], "http");
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let secured = op["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|r| r.get(name).is_some()));
            assert_eq!(
                secured,
                !path.starts_with("/api/v1/health"),
                "{method} {path}: security {}",
                op["security"]
            );
        }
    }

    // Errors are documented with their bodies.
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["HttpErrorOut"]["required"],
        json!(["code", "detail"]),
        "{}",
        schemas["HttpErrorOut"]
    );
    let body_ref = |op: &Value, status: &str| {
        op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .map(str::to_owned)
    };
    let get_endpoint = &doc["paths"]["/api/v1/app/{app_id}/endpoint/{endpoint_id}"]["get"];
    assert_eq!(
        body_ref(get_endpoint, "404").as_deref(),
        Some("#/components/schemas/HttpErrorOut")
    );
    assert_eq!(
        body_ref(get_endpoint, "401").as_deref(),
        Some("#/components/schemas/HttpErrorOut")
    );
    let create_endpoint = &doc["paths"]["/api/v1/app/{app_id}/endpoint"]["post"];
    assert_eq!(
        body_ref(create_endpoint, "422").as_deref(),
        Some("#/components/schemas/HttpValidationError")
    );
    assert_eq!(
        body_ref(create_endpoint, "400").as_deref(),
        Some("#/components/schemas/HttpErrorOut")
    );
    // What a handler documents itself stays.
    let create_msg = &doc["paths"]["/api/v1/app/{app_id}/msg"]["post"];
    assert!(create_msg["responses"]["409"].is_object(), "{create_msg}");
    assert!(create_msg["responses"]["202"].is_object(), "{create_msg}");
}
