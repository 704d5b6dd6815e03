//! Plans: the seeded Basic and Pro plans, their API, and the endpoint limit they put on a
//! company. Each test runs on both SQLite and PostgreSQL.

use crate::common::{validation_messages, Backend, Receiver, Reply, TestApp};
use serde_json::{json, Value};
use std::time::Duration;

on_both_backends!(
    basic_and_pro_are_seeded_and_plans_can_be_created_changed_and_deleted,
    an_application_on_a_plan_cannot_add_endpoints_beyond_its_limit,
    bad_plan_input_is_refused_naming_what_is_wrong,
    a_plans_timeout_retries_and_auto_disable_apply_to_its_companys_deliveries,
    deliveries_over_the_hourly_limit_are_held_then_sent_as_windows_open_with_nothing_lost,
    held_deliveries_go_at_once_when_the_company_moves_to_a_larger_plan,
    the_retention_purge_removes_what_the_plan_no_longer_keeps_but_never_an_undelivered_event,
);

fn settings(max_endpoints: i64) -> Value {
    json!({
        "maxEndpoints": max_endpoints,
        "deliveriesPerHour": 1000,
        "retrySchedule": ["1m", "10m"],
        "timeoutSeconds": 5,
        "retentionDays": 14,
        "autoDisableAfter": 50
    })
}

async fn basic_and_pro_are_seeded_and_plans_can_be_created_changed_and_deleted(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;

    let list = app.get("/api/v1/plan").await.expect(200);
    let names: Vec<&str> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Basic", "Pro"]);
    let basic = app.get("/api/v1/plan/Basic").await.expect(200);
    assert_eq!(basic["maxEndpoints"], 2);
    assert_eq!(basic["deliveriesPerHour"], 100);
    assert_eq!(basic["retrySchedule"].as_array().unwrap().len(), 5);
    assert_eq!(basic["timeoutSeconds"], 10);
    let pro = app.get("/api/v1/plan/Pro").await.expect(200);
    assert_eq!(pro["maxEndpoints"], 50);
    assert_eq!(pro["deliveriesPerHour"], 5000);
    assert_eq!(pro["retrySchedule"].as_array().unwrap().len(), 5);

    let mut body = settings(5);
    body["name"] = json!("Team");
    let team = app.post("/api/v1/plan", body.clone()).await.expect(201);
    assert_eq!(team["name"], "Team");
    assert_eq!(team["retrySchedule"], json!(["1m", "10m"]));
    assert_eq!(app.post("/api/v1/plan", body).await.status, 409);

    let changed = app.put("/api/v1/plan/Team", settings(7)).await.expect(200);
    assert_eq!(changed["maxEndpoints"], 7);
    assert_eq!(app.put("/api/v1/plan/Scale", settings(9)).await.status, 201);

    // A plan in use cannot be deleted; once nobody is on it, it can.
    let a = app.create_app("Acme").await;
    app.put(&format!("/api/v1/app/{a}/plan"), json!({ "plan": "Team" }))
        .await
        .expect(200);
    let refused = app.delete("/api/v1/plan/Team").await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused.body["detail"].as_str().unwrap().contains("Team"),
        "{}",
        refused.body
    );
    app.put(&format!("/api/v1/app/{a}/plan"), json!({ "plan": null }))
        .await
        .expect(200);
    assert_eq!(app.delete("/api/v1/plan/Team").await.status, 204);
    assert_eq!(app.get("/api/v1/plan/Team").await.status, 404);
}

async fn an_application_on_a_plan_cannot_add_endpoints_beyond_its_limit(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    let usage = app
        .put(&format!("/api/v1/app/{a}/plan"), json!({ "plan": "Basic" }))
        .await
        .expect(200);
    assert_eq!(usage["plan"], "Basic");
    assert_eq!(usage["endpointsLimit"], 2);

    app.create_endpoint(&a, &rx.url("/one"), json!({})).await;
    app.create_endpoint(&a, &rx.url("/two"), json!({})).await;
    let refused = app
        .post(
            &format!("/api/v1/app/{a}/endpoint"),
            json!({ "url": rx.url("/three") }),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let why = validation_messages(&refused.body);
    assert!(
        why.contains("Basic") && why.contains("2 endpoints"),
        "the refusal names the plan and its limit: {why}"
    );

    let usage = app.get(&format!("/api/v1/app/{a}/usage")).await.expect(200);
    assert_eq!(usage["endpoints"], 2);
    assert_eq!(usage["endpointsLimit"], 2);
    assert_eq!(usage["deliveriesPerHourLimit"], 100);
    assert_eq!(usage["held"], 0);

    // A larger plan lifts the limit at once; so does no plan.
    app.put(&format!("/api/v1/app/{a}/plan"), json!({ "plan": "Pro" }))
        .await
        .expect(200);
    app.create_endpoint(&a, &rx.url("/three"), json!({})).await;
    app.put(&format!("/api/v1/app/{a}/plan"), json!({ "plan": null }))
        .await
        .expect(200);
    let usage = app.get(&format!("/api/v1/app/{a}/usage")).await.expect(200);
    assert_eq!(usage["plan"], Value::Null);
    assert_eq!(usage["endpointsLimit"], Value::Null);
    assert_eq!(usage["endpoints"], 3);
}

async fn bad_plan_input_is_refused_naming_what_is_wrong(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;

    let mut body = settings(2);
    body["retrySchedule"] = json!(["5m", "soon"]);
    let r = app.put("/api/v1/plan/Odd", body).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        validation_messages(&r.body).contains("retrySchedule"),
        "{}",
        r.body
    );

    let mut body = settings(-1);
    body["name"] = json!("Negative");
    let r = app.post("/api/v1/plan", body).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        validation_messages(&r.body).contains("maxEndpoints"),
        "{}",
        r.body
    );

    let mut body = settings(1);
    body["name"] = json!("a/b");
    let r = app.post("/api/v1/plan", body).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(validation_messages(&r.body).contains("name"), "{}", r.body);

    let r = app.post("/api/v1/plan", json!({ "name": "Half" })).await;
    assert_eq!(r.status, 422, "a plan without its settings: {}", r.body);

    // A misspelt field must not take the company off its plan.
    app.put(&format!("/api/v1/app/{a}/plan"), json!({ "plan": "Basic" }))
        .await
        .expect(200);
    let r = app
        .put(&format!("/api/v1/app/{a}/plan"), json!({ "plna": "Pro" }))
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(validation_messages(&r.body).contains("plan"), "{}", r.body);
    let usage = app.get(&format!("/api/v1/app/{a}/usage")).await.expect(200);
    assert_eq!(usage["plan"], "Basic");

    let r = app
        .put(
            &format!("/api/v1/app/{a}/plan"),
            json!({ "plan": "Platinum" }),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = app
        .put("/api/v1/app/app_nope/plan", json!({ "plan": "Pro" }))
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    assert_eq!(app.get("/api/v1/plan/Platinum").await.status, 404);
    assert_eq!(app.delete("/api/v1/plan/Platinum").await.status, 404);
}

async fn a_plans_timeout_retries_and_auto_disable_apply_to_its_companys_deliveries(
    backend: Backend,
) {
    // The deployment's own settings are slow and lenient, so the plan's are the ones seen.
    let app = TestApp::spawn(
        backend,
        &[
            ("RETRY_SCHEDULE", "30s,30s,30s"),
            ("REQUEST_TIMEOUT", "10s"),
            ("AUTO_DISABLE_AFTER", "100"),
            ("AUTO_DISABLE_MIN_FAILING", "0s"),
        ],
    )
    .await;
    let rx = Receiver::start().await;
    let mut plan = json!({
        "maxEndpoints": 5,
        "deliveriesPerHour": 1000,
        "retrySchedule": ["1s"],
        "timeoutSeconds": 1,
        "retentionDays": 7,
        "autoDisableAfter": 2
    });
    plan["name"] = json!("Strict");
    app.post("/api/v1/plan", plan).await.expect(201);
    let a = app.create_app("Acme").await;
    app.put(
        &format!("/api/v1/app/{a}/plan"),
        json!({ "plan": "Strict" }),
    )
    .await
    .expect(200);
    let ep = app.create_endpoint(&a, &rx.url("/slow"), json!({})).await;
    // First a reply slower than the plan's 1 s timeout, then an error.
    rx.script([
        Reply::status(200).delay(Duration::from_secs(3)),
        Reply::status(500),
    ]);
    let msg = app.send(&a, "invoice.paid", json!({ "id": "inv_1" })).await;

    let got = rx.wait_for(2, Duration::from_secs(10)).await;
    let gap = got[1].at.duration_since(got[0].at);
    assert!(
        gap >= Duration::from_millis(1500) && gap < Duration::from_secs(5),
        "the retry came {gap:?} after the first try: the plan's 1 s timeout and 1 s delay, \
         not the deployment's 10 s and 30 s"
    );

    // One retry on the plan's schedule, then failed for good; two failures disable the endpoint.
    let endpoint = app
        .poll_until(
            &format!("/api/v1/app/{a}/endpoint/{ep}"),
            Duration::from_secs(10),
            |e| e["disabled"] == json!(true),
        )
        .await;
    assert_eq!(endpoint["disabled"], true);
    app.poll_until(
        &format!("/api/v1/app/{a}/msg/{msg}/endpoint"),
        Duration::from_secs(10),
        |d| d["data"][0]["statusText"] == "fail" && d["data"][0]["nextAttempt"].is_null(),
    )
    .await;
    app.drain().await;
    assert_eq!(rx.count(), 2, "no attempt beyond the plan's schedule");
    let attempts = app
        .get(&format!("/api/v1/app/{a}/attempt/msg/{msg}"))
        .await
        .expect(200);
    let attempts = attempts["data"].as_array().unwrap();
    assert_eq!(attempts.len(), 2);
    assert!(
        attempts.iter().all(|t| t["status"] == 2),
        "both attempts failed: {attempts:?}"
    );
}

/// A plan allowing `per_hour` deliveries, put on a new company with one endpoint.
async fn company_on_limited_plan(app: &TestApp, rx: &Receiver, per_hour: i64) -> (String, String) {
    let mut plan = settings(5);
    plan["name"] = json!("Tiny");
    plan["deliveriesPerHour"] = json!(per_hour);
    app.post("/api/v1/plan", plan).await.expect(201);
    let a = app.create_app("Acme").await;
    app.put(&format!("/api/v1/app/{a}/plan"), json!({ "plan": "Tiny" }))
        .await
        .expect(200);
    let ep = app.create_endpoint(&a, &rx.url("/hook"), json!({})).await;
    (a, ep)
}

fn invoice_numbers(received: &[crate::common::Received]) -> Vec<i64> {
    let mut n: Vec<i64> = received
        .iter()
        .map(|r| r.json()["n"].as_i64().unwrap())
        .collect();
    n.sort_unstable();
    n
}

async fn deliveries_over_the_hourly_limit_are_held_then_sent_as_windows_open_with_nothing_lost(
    backend: Backend,
) {
    // A compressed hour: the plan's "per hour" counts in 3-second windows.
    let app = TestApp::spawn(backend, &[("PLAN_WINDOW", "3s")]).await;
    let rx = Receiver::start().await;
    let (a, _) = company_on_limited_plan(&app, &rx, 4).await;

    for n in 0..10 {
        app.send(&a, "invoice.paid", json!({ "n": n })).await;
    }
    // Within the first window only the allowance goes out; the rest is held, not failed.
    let first = rx.wait_for(1, Duration::from_secs(5)).await;
    assert!(!first.is_empty());
    let usage = app
        .poll_until(
            &format!("/api/v1/app/{a}/usage"),
            Duration::from_secs(5),
            |u| u["held"].as_i64().unwrap_or(0) > 0,
        )
        .await;
    assert!(
        usage["deliveriesThisHour"].as_i64().unwrap() <= 4,
        "{usage}"
    );
    assert_eq!(usage["deliveriesPerHourLimit"], 4);

    // Windows open one after another until every event has arrived, each exactly once.
    let all = rx.wait_for(10, Duration::from_secs(20)).await;
    assert_eq!(invoice_numbers(&all), (0..10).collect::<Vec<_>>());
    app.drain().await;
    assert_eq!(rx.count(), 10, "no event sent twice");

    // No window ever carried more than the plan allows: at 4 per 3 s, ten take three windows.
    let span = all[9].at.duration_since(all[0].at);
    assert!(
        span >= Duration::from_secs(3),
        "ten deliveries at 4 per window took only {span:?}"
    );
    // A delivery stays marked held until its result is recorded, a moment after the receiver
    // answered.
    app.poll_until(
        &format!("/api/v1/app/{a}/usage"),
        Duration::from_secs(10),
        |u| u["held"] == 0,
    )
    .await;
}

async fn held_deliveries_go_at_once_when_the_company_moves_to_a_larger_plan(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    let (a, ep) = company_on_limited_plan(&app, &rx, 2).await;

    for n in 0..5 {
        app.send(&a, "invoice.paid", json!({ "n": n })).await;
    }
    rx.wait_for(2, Duration::from_secs(5)).await;
    let usage = app
        .poll_until(
            &format!("/api/v1/app/{a}/usage"),
            Duration::from_secs(5),
            |u| u["held"] == 3,
        )
        .await;
    assert_eq!(usage["held"], 3, "{usage}");
    assert_eq!(usage["deliveriesThisHour"], 2);
    app.drain().await;
    assert_eq!(
        rx.count(),
        2,
        "an hour's allowance of 2, and the rest waits"
    );

    // The held deliveries are pending, not failed, in the API (once the two sent are recorded).
    let statuses = |msgs: &Value, status: i64| {
        msgs["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["status"] == status)
            .count()
    };
    let msgs = app
        .poll_until(
            &format!("/api/v1/app/{a}/endpoint/{ep}/msg"),
            Duration::from_secs(10),
            |m| statuses(m, 0) == 2,
        )
        .await;
    assert_eq!(statuses(&msgs, 1), 3, "{msgs}");
    assert_eq!(statuses(&msgs, 2), 0, "{msgs}");

    app.put(&format!("/api/v1/app/{a}/plan"), json!({ "plan": "Pro" }))
        .await
        .expect(200);
    let all = rx.wait_for(5, Duration::from_secs(5)).await;
    assert_eq!(invoice_numbers(&all), vec![0, 1, 2, 3, 4]);
    let usage = app
        .poll_until(
            &format!("/api/v1/app/{a}/usage"),
            Duration::from_secs(5),
            |u| u["held"] == 0,
        )
        .await;
    assert_eq!(usage["held"], 0);
    assert_eq!(usage["deliveriesThisHour"], 5);
}

async fn the_retention_purge_removes_what_the_plan_no_longer_keeps_but_never_an_undelivered_event(
    backend: Backend,
) {
    let app = TestApp::spawn(backend, &[]).await;
    let ok = Receiver::start().await;
    let down = Receiver::start().await;
    down.default_reply(Reply::status(503));
    let mut plan = settings(5);
    plan["name"] = json!("Fortnight");
    plan["retentionDays"] = json!(14);
    app.post("/api/v1/plan", plan).await.expect(201);
    let a = app.create_app("Acme").await;
    app.put(
        &format!("/api/v1/app/{a}/plan"),
        json!({ "plan": "Fortnight" }),
    )
    .await
    .expect(200);
    app.create_endpoint(&a, &ok.url("/ok"), json!({})).await;
    let mut delivered = Vec::new();
    for n in 0..3 {
        delivered.push(app.send(&a, "invoice.paid", json!({ "n": n })).await);
    }
    ok.wait_for(3, Duration::from_secs(5)).await;
    // One more event, which an endpoint that is down has not had yet (its retry is a minute off).
    app.create_endpoint(&a, &down.url("/down"), json!({})).await;
    let pending = app.send(&a, "invoice.paid", json!({ "n": 3 })).await;
    down.wait_for(1, Duration::from_secs(5)).await;
    ok.wait_for(4, Duration::from_secs(5)).await;
    // A company without a plan keeps its log.
    let other = app.create_app("Other").await;
    app.create_endpoint(&other, &ok.url("/other"), json!({}))
        .await;
    let kept = app.send(&other, "invoice.paid", json!({ "n": 9 })).await;
    ok.wait_for(5, Duration::from_secs(5)).await;
    app.drain().await;

    let db = herald_app::ssr::infra::db::Db::connect(&app.db.url)
        .await
        .unwrap();
    let day = 24 * 3600 * 1000;
    let now = herald_app::ssr::infra::time::now_ms();
    let early = herald_app::ssr::store::retention::purge(&db, now + 13 * day, 2)
        .await
        .unwrap();
    assert_eq!(
        early.attempts + early.messages,
        0,
        "within 14 days nothing goes"
    );

    // Fifteen days on, in batches of two.
    let purged = herald_app::ssr::store::retention::purge(&db, now + 15 * day, 2)
        .await
        .unwrap();
    assert_eq!(purged.messages, 3, "{purged:?}");
    assert_eq!(
        purged.attempts, 5,
        "four sends to /ok and one to /down: {purged:?}"
    );
    for m in &delivered {
        assert_eq!(
            app.get(&format!("/api/v1/app/{a}/msg/{m}")).await.status,
            404
        );
    }
    let still = app
        .get(&format!("/api/v1/app/{a}/msg/{pending}"))
        .await
        .expect(200);
    assert_eq!(
        still["payload"]["n"], 3,
        "an undelivered event keeps its payload"
    );
    app.get(&format!("/api/v1/app/{other}/msg/{kept}"))
        .await
        .expect(200);
    let again = herald_app::ssr::store::retention::purge(&db, now + 15 * day, 2)
        .await
        .unwrap();
    assert_eq!(
        again.attempts + again.messages,
        0,
        "running it again is harmless"
    );
}
