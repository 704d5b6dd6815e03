//! Health over time (issue 13, part 6): an endpoint's success rate counts deliveries, not tries,
//! and the endpoints list and page read it from the hourly rollup the recorder keeps.

use crate::common::{link_signed_in, Backend, Receiver, Reply, TestApp};
use serde_json::{json, Value};
use std::time::Duration;

on_both_backends!(
    the_success_rate_counts_deliveries_so_a_retry_that_got_through_is_a_success,
    the_hourly_rollup_follows_the_attempts_and_goes_with_its_endpoint,
);

const WAIT: Duration = Duration::from_secs(10);

async fn endpoint_page(app: &TestApp, a: &str, ep: &str) -> Value {
    let mut b = link_signed_in(app, a, json!({})).await;
    let r = b
        .call("get_endpoint", &[("app", a), ("endpoint", ep)])
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    r.json()
}

async fn the_success_rate_counts_deliveries_so_a_retry_that_got_through_is_a_success(
    backend: Backend,
) {
    let app = TestApp::spawn(
        backend,
        &[("RETRY_SCHEDULE", "50ms,50ms"), ("PAUSE_AFTER", "100")],
    )
    .await;
    let flaky = Receiver::start().await;
    flaky.script([Reply::status(500)]);
    let a = app.create_app("Acme").await;
    let ep = app
        .create_endpoint(&a, &flaky.url("/hook"), json!({}))
        .await;

    // One message through after a retry, one at once: both delivered, 3 tries.
    let first = app.send(&a, "invoice.paid", json!({ "n": 1 })).await;
    flaky.wait_for(2, WAIT).await;
    app.poll_until(
        &format!("/api/v1/app/{a}/msg/{first}/endpoint"),
        WAIT,
        |v| v["data"][0]["status"] == 0,
    )
    .await;
    app.send(&a, "invoice.paid", json!({ "n": 2 })).await;
    flaky.wait_for(3, WAIT).await;
    app.drain().await;

    let page = endpoint_page(&app, &a, &ep).await;
    assert_eq!(page["success_rate"], 1.0, "by message, not by try: {page}");
    let day = &page["day"];
    assert_eq!(day["delivered"], 2, "{page}");
    assert_eq!(day["delivered_first_try"], 1, "{page}");
    assert_eq!(day["failed"], 0, "{page}");
    assert_eq!(day["attempts"], 3, "{page}");
    assert_eq!(day["attempts_failed"], 1, "{page}");
    assert_eq!(
        day["p50"], "≤ 100 ms",
        "a local receiver answers fast: {page}"
    );
    assert_eq!(page["week"]["delivered"], 2, "{page}");
    assert!(page["last_success_at"].as_i64().is_some(), "{page}");

    // A message that fails every try: one delivery of three failed.
    flaky.default_reply(Reply::status(500));
    let lost = app.send(&a, "invoice.paid", json!({ "n": 3 })).await;
    app.poll_until(&format!("/api/v1/app/{a}/msg/{lost}/endpoint"), WAIT, |v| {
        v["data"][0]["status"] == 2
    })
    .await;
    app.drain().await;
    let page = endpoint_page(&app, &a, &ep).await;
    let rate = page["success_rate"].as_f64().unwrap();
    assert!((rate - 2.0 / 3.0).abs() < 1e-9, "{page}");
    assert_eq!(page["day"]["failed"], 1, "{page}");
    assert_eq!(page["day"]["attempts"], 6, "{page}");
    assert_eq!(page["day"]["attempts_failed"], 4, "{page}");

    // The endpoints list says the same, with this hour's tries in its last bar.
    let mut b = link_signed_in(&app, &a, json!({})).await;
    let list = b.call("list_endpoints", &[("app", &a)]).await.json();
    let row = &list[0];
    assert_eq!(row["id"], ep.as_str());
    assert_eq!(row["success_rate"], page["success_rate"], "{list}");
    let bars = row["hourly"].as_array().unwrap();
    assert_eq!(bars.len(), 24);
    let tries: i64 = bars
        .iter()
        .map(|b| b[0].as_i64().unwrap() + b[1].as_i64().unwrap())
        .sum();
    assert_eq!(tries, 6, "{list}");
}

async fn the_hourly_rollup_follows_the_attempts_and_goes_with_its_endpoint(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    let ep = app.create_endpoint(&a, &rx.url("/hook"), json!({})).await;
    for n in 0..5 {
        app.send(&a, "invoice.paid", json!({ "n": n })).await;
    }
    rx.wait_for(5, WAIT).await;
    app.drain().await;
    let rows = |sql: &str| sql.replace("{ep}", &ep);
    assert_eq!(
        app.db
            .scalar(&rows(
                "SELECT CAST(SUM(attempts_ok) AS BIGINT) FROM endpoint_hours WHERE endpoint_id = '{ep}'"
            ))
            .await,
        app.db
            .scalar(&rows(
                "SELECT COUNT(*) FROM attempts WHERE endpoint_id = '{ep}' AND status = 0"
            ))
            .await,
    );
    assert_eq!(
        app.db
            .scalar(&rows(
                "SELECT CAST(SUM(delivered) AS BIGINT) FROM endpoint_hours WHERE endpoint_id = '{ep}'"
            ))
            .await,
        5
    );

    app.delete(&format!("/api/v1/app/{a}/endpoint/{ep}"))
        .await
        .expect(204);
    assert_eq!(
        app.db
            .scalar(&rows(
                "SELECT COUNT(*) FROM endpoint_hours WHERE endpoint_id = '{ep}'"
            ))
            .await,
        0
    );
}
