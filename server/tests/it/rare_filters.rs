//! Filters that match little or much list exactly what reading everything would (issue 13's
//! performance part): a rare event type is served from its few messages, a common one by
//! reading newest first, and an endpoint's failed attempts from their own index.

use crate::common::{link_signed_in, Backend, Receiver, Reply, TestApp};
use serde_json::{json, Value};
use std::time::Duration;

on_both_backends!(rare_and_common_filters_list_exactly_what_reading_everything_would,);

const WAIT: Duration = Duration::from_secs(60);

/// Every item of an API listing, walking its pages.
async fn walk(app: &TestApp, path: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut iterator: Option<String> = None;
    loop {
        let sep = if path.contains('?') { '&' } else { '?' };
        let url = match &iterator {
            Some(it) => format!("{path}{sep}limit=250&iterator={it}"),
            None => format!("{path}{sep}limit=250"),
        };
        let page = app.get(&url).await.expect(200);
        out.extend(page["data"].as_array().cloned().unwrap_or_default());
        if page["done"] == true {
            return out;
        }
        iterator = page["iterator"].as_str().map(str::to_owned);
        assert!(iterator.is_some(), "not done but no iterator: {url}");
    }
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn rare_and_common_filters_list_exactly_what_reading_everything_would(backend: Backend) {
    let app = TestApp::spawn(backend, &[("RETRY_SCHEDULE", "1h")]).await;
    let ok = Receiver::start().await;
    let failing = Receiver::start().await;
    failing.default_reply(Reply::status(500));
    app.create_event_type("log.rare").await;
    app.create_event_type("log.common").await;
    let a = app.create_app("Acme").await;
    let all = app.create_endpoint(&a, &ok.url("/all"), json!({})).await;
    let rare_only = app
        .create_endpoint(
            &a,
            &failing.url("/rare"),
            json!({ "filterTypes": ["log.rare"] }),
        )
        .await;
    // The rare type first and last, so its messages are not all the newest; more of the common
    // type than a rare filter takes (1,000).
    let mut rare = vec![app.send(&a, "log.rare", json!({ "n": -1 })).await];
    for n in 0..1_001 {
        app.send(&a, "log.common", json!({ "n": n })).await;
    }
    rare.push(app.send(&a, "log.rare", json!({ "n": 1 })).await);
    rare.push(app.send(&a, "log.rare", json!({ "n": 2 })).await);
    // Newest first, as listings order them: by id (time first).
    rare.sort_by(|x, y| y.cmp(x));
    ok.wait_for(1_004, WAIT).await;
    failing.wait_for(3, WAIT).await;
    app.drain().await;

    // Messages.
    let listed = walk(&app, &format!("/api/v1/app/{a}/msg?event_types=log.rare")).await;
    assert_eq!(ids(&listed), rare, "newest first");
    let everything = walk(&app, &format!("/api/v1/app/{a}/msg")).await;
    let common = walk(&app, &format!("/api/v1/app/{a}/msg?event_types=log.common")).await;
    let want: Vec<&Value> = everything
        .iter()
        .filter(|m| m["eventType"] == "log.common")
        .collect();
    assert_eq!(common.len(), 1_001);
    assert_eq!(
        ids(&common),
        ids(&want.into_iter().cloned().collect::<Vec<_>>())
    );
    let both = walk(
        &app,
        &format!("/api/v1/app/{a}/msg?event_types=log.common&event_types=log.rare"),
    )
    .await;
    assert_eq!(ids(&both), ids(&everything));

    // Attempts of an endpoint by type, and its failed ones.
    let path = format!("/api/v1/app/{a}/attempt/endpoint/{all}");
    let rare_attempts = walk(&app, &format!("{path}?event_types=log.rare")).await;
    // Attempts come newest first by their own ids; two messages sent together may be tried in
    // either order, so the messages are compared as a set.
    let mut rare_msgs: Vec<&str> = rare_attempts
        .iter()
        .map(|t| t["msgId"].as_str().unwrap())
        .collect();
    let mut newest_first = ids(&rare_attempts);
    newest_first.sort_by(|x, y| y.cmp(x));
    assert_eq!(ids(&rare_attempts), newest_first);
    rare_msgs.sort();
    let mut want: Vec<&str> = rare.iter().map(String::as_str).collect();
    want.sort();
    assert_eq!(rare_msgs, want);
    let all_attempts = walk(&app, &path).await;
    assert_eq!(all_attempts.len(), 1_004);
    let common_attempts = walk(&app, &format!("{path}?event_types=log.common")).await;
    assert_eq!(common_attempts.len(), 1_001);
    let mut sorted = ids(&common_attempts);
    sorted.sort_by(|x, y| y.cmp(x));
    assert_eq!(ids(&common_attempts), sorted, "newest first");
    assert!(walk(&app, &format!("{path}?status=2")).await.is_empty());
    let failed = walk(
        &app,
        &format!("/api/v1/app/{a}/attempt/endpoint/{rare_only}?status=2"),
    )
    .await;
    assert_eq!(failed.len(), 3, "{failed:?}");
    let failed_rare = walk(
        &app,
        &format!("/api/v1/app/{a}/attempt/endpoint/{rare_only}?status=2&event_types=log.rare"),
    )
    .await;
    assert_eq!(ids(&failed_rare), ids(&failed));
    assert!(walk(
        &app,
        &format!("/api/v1/app/{a}/attempt/endpoint/{rare_only}?event_types=log.common"),
    )
    .await
    .is_empty());

    // The portal's log of one endpoint, by type.
    let mut b = link_signed_in(&app, &a, json!({})).await;
    let page = b
        .call(
            "list_deliveries",
            &[("app", &a), ("endpoint", &all), ("event_type", "log.rare")],
        )
        .await;
    assert_eq!(page.status, 200, "{page:?}");
    let rows: Vec<String> = page.json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["msg_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(rows, rare);
}
