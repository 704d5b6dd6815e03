//! Auto-disable that follows a real failure (issue 12): a plan's own least time failing, and
//! the one e-mail a company's admins get when one of its endpoints starts failing. Each on
//! SQLite and PostgreSQL.

use crate::common::{
    create_user, user_signed_in, validation_messages, Backend, Receiver, Reply, SmtpSink, TestApp,
    USER_PASSWORD,
};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(15);

on_both_backends!(
    a_plan_with_a_short_least_time_failing_disables_sooner_than_the_deployment,
    a_failing_endpoint_mails_each_admin_of_its_company_once,
    a_bad_least_time_failing_is_refused_naming_the_field,
);

fn plan(auto_disable_after: i64, min_failing: Value) -> Value {
    json!({
        "maxEndpoints": 10,
        "deliveriesPerHour": 1000,
        "retrySchedule": ["1h"],
        "timeoutSeconds": 10,
        "retentionDays": 30,
        "autoDisableAfter": auto_disable_after,
        "autoDisableMinFailingSeconds": min_failing,
    })
}

/// Waits until `sql` (a count) is at least `n`: a recorded state, not a fixed time.
async fn wait_for_count(app: &TestApp, sql: &str, n: i64) -> i64 {
    let deadline = Instant::now() + WAIT;
    loop {
        let got = app.db.scalar(sql).await;
        if got >= n || Instant::now() > deadline {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn add_user(app: &TestApp, app_id: &str, permission: &str) -> String {
    let email = format!("{permission}-{}@example.com", crate::common::random_hex(4));
    let out = create_user(
        app,
        &[
            "--email",
            &email,
            "--password",
            USER_PASSWORD,
            "--tenant",
            app_id,
            "--permission",
            permission,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    email
}

async fn a_plan_with_a_short_least_time_failing_disables_sooner_than_the_deployment(
    backend: Backend,
) {
    // The deployment: three failures, and a day failing (the default), before disabling.
    let app = TestApp::spawn(
        backend,
        &[("RETRY_SCHEDULE", "1h"), ("AUTO_DISABLE_AFTER", "3")],
    )
    .await;
    app.put("/api/v1/plan/Quick", plan(3, json!(0)))
        .await
        .expect(201);
    let on_plan = Receiver::start().await;
    on_plan.default_reply(Reply::status(500));
    let default = Receiver::start().await;
    default.default_reply(Reply::status(500));

    let quick = app.create_app("Quickco").await;
    app.put(
        &format!("/api/v1/app/{quick}/plan"),
        json!({ "plan": "Quick" }),
    )
    .await
    .expect(200);
    let quick_ep = app
        .create_endpoint(&quick, &on_plan.url("/hook"), json!({}))
        .await;
    let slow = app.create_app("Slowco").await;
    let slow_ep = app
        .create_endpoint(&slow, &default.url("/hook"), json!({}))
        .await;

    // Three messages each, one try each (the next is an hour away): three failures in a row.
    for i in 0..3 {
        app.send(&quick, "invoice.paid", json!({ "i": i })).await;
        app.send(&slow, "invoice.paid", json!({ "i": i })).await;
    }
    on_plan.wait_for(3, WAIT).await;
    default.wait_for(3, WAIT).await;
    app.drain().await;
    let failures = "SELECT COALESCE(MAX(consecutive_failures), 0) FROM endpoints WHERE id = ";
    assert_eq!(app.db.scalar(&format!("{failures}'{quick_ep}'")).await, 3);
    assert_eq!(app.db.scalar(&format!("{failures}'{slow_ep}'")).await, 3);

    let e = app
        .get(&format!("/api/v1/app/{quick}/endpoint/{quick_ep}"))
        .await
        .expect(200);
    assert_eq!(
        e["disabled"], true,
        "the plan allows disabling at once: {e}"
    );
    assert!(
        e["disabledReason"]
            .as_str()
            .is_some_and(|r| r.contains("3 consecutive")),
        "{e}"
    );
    let e = app
        .get(&format!("/api/v1/app/{slow}/endpoint/{slow_ep}"))
        .await
        .expect(200);
    assert_eq!(
        e["disabled"], false,
        "the deployment's day failing had not passed: {e}"
    );

    // Both streaks reached the mail threshold, but without SMTP nothing is kept to send.
    assert_eq!(
        app.db.scalar("SELECT COUNT(*) FROM failing_mails").await,
        0,
        "mails owed pile up without an SMTP server"
    );
}

async fn a_failing_endpoint_mails_each_admin_of_its_company_once(backend: Backend) {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(
        backend,
        &[
            ("SMTP_URL", &smtp.url()),
            ("MAIL_FROM", "Herald <herald@example.com>"),
            ("BASE_URL", "https://herald.example.com"),
            ("RETRY_SCHEDULE", "20ms,20ms,20ms,20ms,20ms"),
            ("PAUSE_AFTER", "3"),
            ("PROBE_INTERVAL", "50ms"),
            ("MAX_PROBE_INTERVAL", "100ms"),
        ],
    )
    .await;
    let rx = Receiver::start().await;
    rx.default_reply(Reply::status(500));
    let ok = Receiver::start().await;

    let acme = app.create_app("Acme").await;
    let url = rx.url("/acme-hook");
    let ep = app.create_endpoint(&acme, &url, json!({})).await;
    let mut admins = vec![
        add_user(&app, &acme, "admin"),
        add_user(&app, &acme, "admin"),
    ];
    admins.sort();
    add_user(&app, &acme, "integration.read");
    add_user(&app, &acme, "integration.write");
    let globex = app.create_app("Globex").await;
    add_user(&app, &globex, "admin");
    app.create_endpoint(&globex, &ok.url("/globex-hook"), json!({}))
        .await;

    for i in 0..3 {
        app.send(&acme, "invoice.paid", json!({ "i": i })).await;
        app.send(&globex, "invoice.paid", json!({ "i": i })).await;
    }
    smtp.wait_for(admins.len(), WAIT).await;
    // It goes on failing well past the moment it was mailed: probes, then failed for good.
    rx.wait_for(10, WAIT).await;
    app.drain().await;
    let done = wait_for_count(
        &app,
        "SELECT COUNT(*) FROM failing_mails WHERE sent_at IS NOT NULL",
        1,
    )
    .await;
    assert_eq!(done, 1);
    assert_eq!(
        app.db.scalar("SELECT COUNT(*) FROM failing_mails").await,
        1,
        "one mail owed for the one failing streak"
    );

    let mails = smtp.wait_for(admins.len(), WAIT).await;
    let mut to: Vec<String> = mails.iter().map(|(r, _)| r.clone()).collect();
    to.sort();
    assert_eq!(
        to, admins,
        "exactly one mail to each admin of the company, none to members or other companies"
    );
    let link = format!("https://herald.example.com/portal/{acme}/endpoints/{ep}");
    for (_, data) in &mails {
        for says in [
            "Acme: a webhook endpoint is failing",
            url.as_str(),
            "Failing since:",
            "answered HTTP 500",
            "Nothing is lost",
            "disabled automatically after 100 failed attempts",
            link.as_str(),
        ] {
            assert!(data.contains(says), "missing {says:?} in:\n{data}");
        }
    }
}

async fn a_bad_least_time_failing_is_refused_naming_the_field(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    for bad in [json!(-1), json!(31 * 86_400)] {
        let r = app.put("/api/v1/plan/Odd", plan(3, bad.clone())).await;
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
        assert!(
            validation_messages(&r.body).contains("autoDisableMinFailingSeconds"),
            "{}",
            r.body
        );
    }
    let r = app.put("/api/v1/plan/Odd", plan(3, json!("a day"))).await;
    assert_eq!(r.status, 422, "{}", r.body);

    // A good value is kept; left out, the deployment's applies.
    let p = app
        .put("/api/v1/plan/Odd", plan(3, json!(3600)))
        .await
        .expect(201);
    assert_eq!(p["autoDisableMinFailingSeconds"], 3600);
    let mut body = plan(3, Value::Null);
    body.as_object_mut()
        .unwrap()
        .remove("autoDisableMinFailingSeconds");
    let p = app.put("/api/v1/plan/Odd", body).await.expect(200);
    assert_eq!(p["autoDisableMinFailingSeconds"], Value::Null);

    // The console's plan form takes it as a delay and names it when it is not one.
    let (mut op, _) = user_signed_in(&app, &["--operator"]).await;
    let form = |min: &'static str| {
        vec![
            ("name", "Console"),
            ("max_endpoints", "10"),
            ("deliveries_per_hour", "1000"),
            ("retry_schedule", "1m"),
            ("timeout_seconds", "10"),
            ("retention_days", "30"),
            ("auto_disable_after", "50"),
            ("auto_disable_min_failing", min),
        ]
    };
    let r = op.call_admin("save_plan", &form("soon")).await;
    assert_eq!(r.status, 422, "{r:?}");
    assert!(r.body.contains("Least time failing"), "{}", r.body);
    let r = op.call_admin("save_plan", &form("31d")).await;
    assert_eq!(r.status, 422, "{r:?}");
    assert!(
        r.body.contains("autoDisableMinFailingSeconds"),
        "{}",
        r.body
    );
    let r = op.call_admin("save_plan", &form("2h")).await;
    assert_eq!(r.status, 200, "{r:?}");
    let p = app.get("/api/v1/plan/Console").await.expect(200);
    assert_eq!(p["autoDisableMinFailingSeconds"], 7200);
    let listed = op.call_admin("plans", &[]).await.json();
    let console = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Console")
        .cloned()
        .unwrap();
    assert_eq!(console["auto_disable_min_failing"], "2h");
}
