//! The portal's delivery log: one row per (message, endpoint) in its one state, skipped ones
//! included, newest first; older and newer pages that together cover it exactly once; filters
//! by state, event type and endpoint. Each test runs on both SQLite and PostgreSQL.

use crate::common::{link_signed_in, Backend, Browser, Receiver, TestApp};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

on_both_backends!(
    older_and_newer_pages_cover_the_delivery_log_exactly_once,
    the_delivery_log_filters_by_state_event_type_and_endpoint,
    attempt_listings_bound_by_time_and_status_exactly,
);

/// 60 messages, paid and voided in turn, to an endpoint taking everything and one taking paid
/// invoices only: 120 deliveries, 30 of them skipped. Returns (company, all, paid only).
async fn company_with_a_log(app: &TestApp) -> (String, String, String) {
    app.create_event_type("invoice.paid").await;
    app.create_event_type("invoice.voided").await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    let all = app.create_endpoint(&a, &rx.url("/all"), json!({})).await;
    let paid = app
        .create_endpoint(
            &a,
            &rx.url("/paid"),
            json!({ "filterTypes": ["invoice.paid"] }),
        )
        .await;
    for i in 0..60 {
        let t = if i % 2 == 0 {
            "invoice.paid"
        } else {
            "invoice.voided"
        };
        app.send(&a, t, json!({ "n": i })).await;
    }
    rx.wait_for(90, WAIT).await;
    app.drain().await;
    (a, all, paid)
}

async fn page(b: &mut Browser, form: &[(&str, &str)]) -> Value {
    let r = b.call("list_deliveries", form).await;
    assert_eq!(r.status, 200, "{form:?}: {r:?}");
    r.json()
}

fn keys(p: &Value) -> Vec<(String, String)> {
    p["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["msg_id"].as_str().unwrap_or_default().to_owned(),
                r["delivery"]["endpoint_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect()
}

async fn older_and_newer_pages_cover_the_delivery_log_exactly_once(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let (a, _, _) = company_with_a_log(&app).await;
    let mut b = link_signed_in(&app, &a, json!({})).await;

    // Older, from the newest.
    let mut pages = vec![page(&mut b, &[("app", &a)]).await];
    assert!(
        pages[0]["newer"].is_null(),
        "nothing is newer than the newest"
    );
    while let Some(c) = pages
        .last()
        .and_then(|p| p["older"].as_str())
        .map(str::to_owned)
    {
        assert!(pages.len() < 5, "the log ends");
        pages.push(page(&mut b, &[("app", &a), ("before", &c)]).await);
    }
    let sizes: Vec<usize> = pages.iter().map(|p| keys(p).len()).collect();
    assert_eq!(sizes, [50, 50, 20]);
    let walked: Vec<(String, String)> = pages.iter().flat_map(keys).collect();
    let mut sorted = walked.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(
        walked, sorted,
        "newest message first, each page after the one before"
    );
    assert_eq!(
        walked.iter().collect::<BTreeSet<_>>().len(),
        120,
        "each once"
    );

    // Newer, back from the oldest page: the same pages, in the same order.
    let mut back = vec![pages[2].clone()];
    while let Some(c) = back
        .last()
        .and_then(|p| p["newer"].as_str())
        .map(str::to_owned)
    {
        assert!(back.len() < 5, "the log starts");
        back.push(page(&mut b, &[("app", &a), ("after", &c)]).await);
    }
    back.reverse();
    let again: Vec<(String, String)> = back.iter().flat_map(keys).collect();
    assert_eq!(again, walked);
    assert!(back[0]["newer"].is_null(), "{}", back[0]["newer"]);
    assert_eq!(back[0]["older"], pages[0]["older"]);

    // Skipped deliveries are there, with their reason.
    let skipped: Vec<&Value> = walked_rows(&pages)
        .into_iter()
        .filter(|r| r["delivery"]["state"] == "skipped")
        .collect();
    assert_eq!(skipped.len(), 30);
    assert!(
        skipped.iter().all(|r| r["event_type"] == "invoice.voided"
            && r["delivery"]["detail"]
                .as_str()
                .is_some_and(|d| d.contains("filter"))),
        "{skipped:?}"
    );

    // A place that is not one, and another company's endpoint.
    for (k, v, names) in [
        ("before", "yesterday", "Page"),
        ("after", "msg_x.ep_y", "Page"),
        ("state", "lost", "State"),
    ] {
        let r = b.call("list_deliveries", &[("app", &a), (k, v)]).await;
        assert_eq!(r.status, 422, "{k}={v}: {r:?}");
        assert!(r.body.contains(names), "{k}={v}: {r:?}");
    }
    let other = app.create_app("Other").await;
    let theirs = app
        .create_endpoint(&other, "http://127.0.0.1:9/x", json!({}))
        .await;
    let r = b
        .call("list_deliveries", &[("app", &a), ("endpoint", &theirs)])
        .await;
    assert_eq!(r.status, 404, "{r:?}");
}

fn walked_rows(pages: &[Value]) -> Vec<&Value> {
    pages
        .iter()
        .flat_map(|p| p["rows"].as_array().into_iter().flatten())
        .collect()
}

/// Every row of the log under `filter`, walking older pages.
async fn all_rows(b: &mut Browser, a: &str, filter: &[(&str, &str)]) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut before: Option<String> = None;
    loop {
        let mut form: Vec<(&str, &str)> = vec![("app", a)];
        form.extend_from_slice(filter);
        if let Some(c) = &before {
            form.push(("before", c));
        }
        let p = page(b, &form).await;
        rows.extend(p["rows"].as_array().cloned().unwrap_or_default());
        match p["older"].as_str() {
            Some(c) => before = Some(c.to_owned()),
            None => return rows,
        }
    }
}

/// A filter, how many rows it lists, and what each of them must be.
type FilterCase<'a> = (&'a [(&'a str, &'a str)], usize, &'a dyn Fn(&Value) -> bool);

async fn the_delivery_log_filters_by_state_event_type_and_endpoint(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let (a, all, paid) = company_with_a_log(&app).await;
    let mut b = link_signed_in(&app, &a, json!({})).await;

    let cases: [FilterCase; 6] = [
        (&[("state", "skipped")], 30, &|r| {
            r["delivery"]["state"] == "skipped"
        }),
        (&[("state", "delivered")], 90, &|r| {
            r["delivery"]["state"] == "delivered"
        }),
        (&[("state", "failed")], 0, &|_| false),
        (&[("endpoint", &paid)], 60, &|r| {
            r["delivery"]["endpoint_id"] == paid.as_str()
        }),
        (&[("endpoint", &paid), ("state", "skipped")], 30, &|r| {
            r["delivery"]["endpoint_id"] == paid.as_str() && r["delivery"]["state"] == "skipped"
        }),
        (
            &[("event_type", "invoice.voided"), ("endpoint", &all)],
            30,
            &|r| r["event_type"] == "invoice.voided" && r["delivery"]["state"] == "delivered",
        ),
    ];
    for (filter, n, each) in cases {
        let rows = all_rows(&mut b, &a, filter).await;
        assert_eq!(rows.len(), n, "{filter:?}");
        assert!(rows.iter().all(each), "{filter:?}: {rows:?}");
    }
    let voided = all_rows(&mut b, &a, &[("event_type", "invoice.voided")]).await;
    assert_eq!(voided.len(), 60, "to both endpoints, skipped or not");

    // Times, in the browser's zone: all of it since 2000, none of it before.
    let since = all_rows(&mut b, &a, &[("since", "2000-01-01T00:00"), ("tz", "-60")]).await;
    assert_eq!(since.len(), 120);
    let until = all_rows(&mut b, &a, &[("until", "2000-01-01T00:00"), ("tz", "-60")]).await;
    assert!(until.is_empty(), "{until:?}");
    for (form, names) in [
        (vec![("since", "noon")], "From"),
        (vec![("until", "2026-02-30T10:00")], "To"),
        (
            vec![("since", "2026-01-02T00:00"), ("until", "2026-01-01T00:00")],
            "To",
        ),
        (
            vec![("since", "2026-01-01T00:00"), ("tz", "far")],
            "Time zone",
        ),
    ] {
        let mut f = vec![("app", a.as_str())];
        f.extend(form.iter().copied());
        let r = b.call("list_deliveries", &f).await;
        assert_eq!(r.status, 422, "{form:?}: {r:?}");
        assert!(r.body.contains(names), "{form:?}: {r:?}");
    }
}

async fn attempt_listings_bound_by_time_and_status_exactly(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    app.create_event_type("invoice.paid").await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    let ep = app.create_endpoint(&a, &rx.url("/hook"), json!({})).await;
    for i in 0..3 {
        app.send(&a, "invoice.paid", json!({ "n": i })).await;
        rx.wait_for(i + 1, WAIT).await;
        app.drain().await;
    }
    let list = |q: &str| format!("/api/v1/app/{a}/attempt/endpoint/{ep}{q}");
    let all = app.get(&list("")).await.expect(200)["data"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(all.len(), 3, "{all:?}");
    let ids = |v: &Value| -> Vec<String> {
        v["data"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let at = |r: &Value| r["timestamp"].as_str().unwrap_or_default().to_owned();
    let (newest, middle, oldest) = (&all[0], &all[1], &all[2]);
    let before = app
        .get(&list(&format!("?before={}", at(middle))))
        .await
        .expect(200);
    assert_eq!(ids(&before), [oldest["id"].as_str().unwrap_or_default()]);
    let after = app
        .get(&list(&format!("?after={}", at(middle))))
        .await
        .expect(200);
    assert_eq!(ids(&after), [newest["id"].as_str().unwrap_or_default()]);
    for (q, n) in [
        ("?status=0", 3),
        ("?status=2", 0),
        ("?status=1", 0),
        ("?status=3", 0),
    ] {
        let got = app.get(&list(q)).await.expect(200);
        assert_eq!(ids(&got).len(), n, "{q}: {got}");
    }
    // The message's own attempts, through the same listing.
    let msg = newest["msgId"].as_str().unwrap_or_default();
    let by_msg = app
        .get(&format!("/api/v1/app/{a}/attempt/msg/{msg}"))
        .await
        .expect(200);
    assert_eq!(ids(&by_msg), [newest["id"].as_str().unwrap_or_default()]);
}
