//! The operator console's server functions over HTTP, as the console's pages call them: only
//! operators get in; tenants, plans, API keys, the event catalogue (and its file, also on the
//! command line) and system health.

use crate::common::{herald_cli, user_signed_in, Backend, Browser, Receiver, Reply, TestApp};
use serde_json::json;
use std::time::Duration;

on_both_backends!(
    only_operators_get_into_the_console,
    an_operator_manages_tenants_plans_and_keys_and_it_is_all_audited,
    the_catalogue_imports_all_or_nothing_and_exports_what_it_holds,
    system_health_counts_waiting_held_and_failed_work,
    system_health_names_paused_endpoints_and_each_companys_share_of_the_send_slots,
    a_change_and_its_audit_entry_commit_together_or_not_at_all,
);

async fn operator(app: &TestApp) -> Browser {
    operator_and_email(app).await.0
}

async fn operator_and_email(app: &TestApp) -> (Browser, String) {
    user_signed_in(app, &["--operator"]).await
}

/// The plan form as the console posts it, with one field changed.
fn plan_form<'a>(field: &'a str, value: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("name", "Team"),
        ("max_endpoints", "10"),
        ("deliveries_per_hour", "1000"),
        ("retry_schedule", "1m, 10m"),
        ("timeout_seconds", "10"),
        ("retention_days", "30"),
        ("auto_disable_after", "50"),
    ];
    for f in form.iter_mut().filter(|(k, _)| *k == field) {
        f.1 = value;
    }
    form
}

async fn only_operators_get_into_the_console(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    let mut nobody = Browser::new(&app);
    assert_eq!(nobody.call_admin("health", &[]).await.status, 401);
    let (mut company_admin, _) =
        user_signed_in(&app, &["--tenant", &a, "--permission", "admin"]).await;
    for f in ["health", "keys", "plans", "catalogue"] {
        let r = company_admin.call_admin(f, &[]).await;
        assert_eq!(r.status, 403, "{f}");
        assert_eq!(r.json(), serde_json::json!("OperatorOnly"), "{f}: {r:?}");
    }
    assert_eq!(
        company_admin
            .call_admin("tenants", &[("q", "")])
            .await
            .status,
        403
    );
    let page = company_admin.get("/admin").await;
    assert_eq!(page.status, 403, "the page itself answers 403");
    let mut op = operator(&app).await;
    assert_eq!(op.call_admin("health", &[]).await.status, 200);
    assert_eq!(op.get("/admin/tenants").await.status, 200);
}

async fn an_operator_manages_tenants_plans_and_keys_and_it_is_all_audited(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let acme = app.create_app("Acme Corp").await;
    app.create_app("Globex").await;
    let (mut op, op_email) = operator_and_email(&app).await;

    // Search by name, case-insensitively; the operational application is no tenant.
    let found = op.call_admin("tenants", &[("q", "acme")]).await.json();
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found[0]["id"], acme.as_str());
    let all = op.call_admin("tenants", &[("q", "")]).await.json();
    assert_eq!(all.as_array().unwrap().len(), 2, "{all}");

    // A plan, edited in the console; bad numbers are named.
    let r = op
        .call_admin("save_plan", &plan_form("max_endpoints", "ten"))
        .await;
    assert_eq!(r.status, 422, "{r:?}");
    assert!(r.body.contains("Max endpoints"), "{}", r.body);
    let r = op
        .call_admin("save_plan", &plan_form("retry_schedule", "1m, soon"))
        .await;
    assert_eq!(r.status, 422, "{r:?}");
    let r = op.call_admin("save_plan", &plan_form("name", "Team")).await;
    assert_eq!(r.status, 200, "{r:?}");
    let team = app.get("/api/v1/plan/Team").await.expect(200);
    assert_eq!(team["retrySchedule"], json!(["1m", "10m"]));

    let r = op
        .call_admin("set_tenant_plan", &[("app", &acme), ("plan", "Team")])
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let usage = app
        .get(&format!("/api/v1/app/{acme}/usage"))
        .await
        .expect(200);
    assert_eq!(usage["plan"], "Team");
    let r = op
        .call_admin("set_tenant_plan", &[("app", &acme), ("plan", "Nope")])
        .await;
    assert_eq!(r.status, 404, "{r:?}");

    // A disabled tenant's messages are refused, with a reason; enabled again, accepted.
    let r = op
        .call_admin("set_tenant_state", &[("app", &acme), ("disabled", "true")])
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let refused = app
        .post(
            &format!("/api/v1/app/{acme}/msg"),
            json!({ "eventType": "invoice.paid", "payload": {} }),
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(
        refused.body["detail"]
            .as_str()
            .unwrap()
            .contains("disabled"),
        "{}",
        refused.body
    );
    let listed = op.call_admin("tenants", &[("q", "acme")]).await.json();
    assert_eq!(listed[0]["disabled"], true);
    op.call_admin("set_tenant_state", &[("app", &acme), ("disabled", "false")])
        .await;
    app.send(&acme, "invoice.paid", json!({})).await;

    // An API key is shown once, works, and stops working when revoked.
    let r = op.call_admin("create_key", &[("name", "billing")]).await;
    assert_eq!(r.status, 200, "{r:?}");
    let key = r.json().as_str().unwrap().to_owned();
    let keys = op.call_admin("keys", &[]).await.json();
    let rec = keys
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "billing")
        .unwrap()
        .clone();
    assert!(
        !keys.to_string().contains(&key),
        "the list never shows a key's value"
    );
    let r = op
        .call_admin("revoke_key", &[("id", rec["id"].as_str().unwrap())])
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let with_revoked = reqwest::Client::new()
        .get(app.url("/api/v1/app"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(with_revoked.status().as_u16(), 401);
    let again = op
        .call_admin("revoke_key", &[("id", rec["id"].as_str().unwrap())])
        .await;
    assert_eq!(again.status, 422);

    let trail = app.get("/api/v1/audit?limit=50").await.expect(200);
    let actions: Vec<&str> = trail["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "api_key.revoked",
        "api_key.created",
        "application.enabled",
        "application.disabled",
        "application.plan_changed",
        "plan.created",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    assert_eq!(
        trail["data"][0]["actor"]["name"],
        op_email.as_str(),
        "the operator is named"
    );

    // The console shows the same trail, every company's and the deployment's.
    let page = op.call_admin("audit", &[]).await.json();
    let rows = page["rows"].as_array().unwrap();
    assert!(
        rows.iter().any(|r| r["action"] == "api_key.revoked"),
        "{page}"
    );
    assert!(rows.iter().any(|r| r["action"] == "application.disabled"
        && r["target"].as_str().unwrap().contains(acme.as_str())));
}

async fn the_catalogue_imports_all_or_nothing_and_exports_what_it_holds(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let mut op = operator(&app).await;
    let file = json!({ "eventTypes": [
        { "name": "invoice.created", "description": "An invoice was created", "groupName": "invoice",
          "schemas": { "1": { "type": "object", "examples": [ { "id": "inv_1" } ] } } },
        { "name": "invoice.paid", "description": "An invoice was paid", "groupName": "invoice" }
    ]});
    let bad = json!({ "eventTypes": [ { "name": "ok.one" }, { "name": "not valid!" } ] });
    let r = op
        .call_admin("import_catalogue", &[("file", &bad.to_string())])
        .await;
    assert_eq!(r.status, 422, "{r:?}");
    assert!(
        r.body.contains("eventTypes[1]"),
        "the bad entry is named: {}",
        r.body
    );
    assert_eq!(
        app.get("/api/v1/event-type/ok.one").await.status,
        404,
        "nothing was imported"
    );

    let r = op
        .call_admin("import_catalogue", &[("file", &file.to_string())])
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert!(r.body.contains("2 created"), "{}", r.body);
    let et = app
        .get("/api/v1/event-type/invoice.created")
        .await
        .expect(200);
    assert_eq!(et["groupName"], "invoice");

    // Edit and archive from the console.
    op.call_admin(
        "save_event_type",
        &[
            ("name", "invoice.paid"),
            ("description", "Paid in full"),
            ("group_name", "billing"),
        ],
    )
    .await;
    op.call_admin(
        "archive_event_type",
        &[("name", "invoice.created"), ("archived", "true")],
    )
    .await;
    let list = op.call_admin("catalogue", &[]).await.json();
    assert_eq!(
        list.as_array().unwrap().len(),
        2,
        "archived ones are listed too: {list}"
    );

    // The export holds all of it, and another deployment imports it on the command line.
    let exported = op.call_admin("export_catalogue", &[]).await.json();
    let text = exported.as_str().unwrap().to_owned();
    let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
    let entries = parsed["eventTypes"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert!(entries
        .iter()
        .any(|e| e["name"] == "invoice.created" && e["archived"] == true));
    assert!(entries
        .iter()
        .any(|e| e["description"] == "Paid in full" && e["groupName"] == "billing"));

    let other = TestApp::spawn(backend, &[]).await;
    let path = other.db.dir.path().join("catalogue.json");
    std::fs::write(&path, &text).unwrap();
    let out = herald_cli(&other, &["catalogue", "import", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 created"));
    let et = other
        .get("/api/v1/event-type/invoice.created")
        .await
        .expect(200);
    assert_eq!(et["archived"], true);
    let broken = other.db.dir.path().join("broken.json");
    std::fs::write(&broken, "{\"eventTypes\": [").unwrap();
    let out = herald_cli(&other, &["catalogue", "import", broken.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.json"));
}

async fn system_health_counts_waiting_held_and_failed_work(backend: Backend) {
    let app = TestApp::spawn(backend, &[("RETRY_SCHEDULE", "1h")]).await;
    let rx = Receiver::start().await;
    rx.default_reply(Reply::status(500));
    let a = app.create_app("Acme").await;
    app.create_endpoint(&a, &rx.url("/down"), json!({})).await;
    app.send(&a, "invoice.paid", json!({})).await;
    rx.wait_for(1, Duration::from_secs(5)).await;
    let mut op = operator(&app).await;
    let h = loop {
        let h = op.call_admin("health", &[]).await.json();
        if h["attempts_last_hour"] == 1 {
            break h;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        h["queue_depth"], 1,
        "the failed delivery waits for its retry: {h}"
    );
    assert_eq!(h["due"], 0);
    assert_eq!(h["failure_rate"], 1.0);
    assert_eq!(h["deliveries_last_minute"], 1);
    assert_eq!(h["held"], 0);
    assert_eq!(
        h["contract"],
        "standard preset: standard-webhooks signatures, whsec secrets, raw envelope"
    );
    assert!(
        h["retries"]
            .as_str()
            .unwrap()
            .starts_with("1h (±20%), 5 s to answer"),
        "{h}"
    );
    // The tenant list counts each company's sends this hour and what its plan holds back.
    let limited = app.create_app("Limited").await;
    let plan = json!({ "name": "One", "maxEndpoints": 5, "deliveriesPerHour": 1,
        "retrySchedule": ["1h"], "timeoutSeconds": 5, "retentionDays": 7, "autoDisableAfter": 10 });
    app.post("/api/v1/plan", plan).await.expect(201);
    app.put(
        &format!("/api/v1/app/{limited}/plan"),
        json!({ "plan": "One" }),
    )
    .await
    .expect(200);
    app.create_endpoint(&limited, &rx.url("/limited"), json!({}))
        .await;
    app.send(&limited, "invoice.paid", json!({ "n": 1 })).await;
    app.send(&limited, "invoice.paid", json!({ "n": 2 })).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let (acme, held) = loop {
        let t = op.call_admin("tenants", &[("q", "")]).await.json();
        let row = |id: &str| {
            t.as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == id)
                .cloned()
                .unwrap()
        };
        // Sent and held are read by two queries: wait until both show the claim that reserved
        // one send and held the other.
        let l = row(&limited);
        if l["held"] == 1 && l["sent_this_hour"] == 1 {
            break (row(&a), l);
        }
        assert!(std::time::Instant::now() < deadline, "nothing held: {t}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(acme["sent_this_hour"], 1, "{acme}");
    assert_eq!(acme["held"], 0, "{acme}");
    assert_eq!(held["sent_this_hour"], 1, "{held}");
}

async fn system_health_names_paused_endpoints_and_each_companys_share_of_the_send_slots(
    backend: Backend,
) {
    let app = TestApp::spawn(
        backend,
        &[
            ("WORKER_CONCURRENCY", "16"),
            ("ENDPOINT_CONCURRENCY", "3"),
            // The hanging sends stay in flight for the whole test.
            ("REQUEST_TIMEOUT", "60s"),
            // Paused after two failures, and no probe before the test is over: the backlog
            // stays waiting behind the endpoint.
            ("RETRY_SCHEDULE", "50ms,50ms,50ms,50ms"),
            ("PAUSE_AFTER", "2"),
            ("PROBE_INTERVAL", "1h"),
            ("MAX_PROBE_INTERVAL", "1h"),
        ],
    )
    .await;
    let down = Receiver::start().await;
    down.default_reply(Reply::status(500));
    let busy = Receiver::start().await;
    // Longer than the failing pause's hour, so the receiver's pause stands as the reason.
    busy.default_reply(Reply::status(429).retry_after("7200"));
    let hang = Receiver::start().await;
    hang.default_reply(Reply::status(200).delay(Duration::from_secs(60)));

    // Downco: one endpoint failing until it is paused, another paused by its Retry-After.
    let downco = app.create_app("Downco").await;
    let failing = app
        .create_endpoint(&downco, &down.url("/down"), json!({}))
        .await;
    let asked = app
        .create_endpoint(&downco, &busy.url("/busy"), json!({}))
        .await;
    for i in 0..5 {
        app.send(&downco, "invoice.paid", json!({ "i": i })).await;
    }
    // Hangco fills its endpoint's three slots and has two deliveries waiting behind them;
    // Slowco has one send in flight.
    let hangco = app.create_app("Hangco").await;
    app.create_endpoint(&hangco, &hang.url("/hangco"), json!({}))
        .await;
    let slowco = app.create_app("Slowco").await;
    app.create_endpoint(&slowco, &hang.url("/slowco"), json!({}))
        .await;
    for i in 0..5 {
        app.send(&hangco, "invoice.paid", json!({ "i": i })).await;
    }
    app.send(&slowco, "invoice.paid", json!({})).await;
    hang.wait_for(4, Duration::from_secs(15)).await;

    let mut op = operator(&app).await;
    let endpoint = |l: &serde_json::Value, id: &str| {
        l["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["endpoint_id"] == id)
            .cloned()
    };
    let company = |l: &serde_json::Value, id: &str| {
        l["companies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["app_id"] == id)
            .cloned()
    };
    // Each part is recorded by a different batch of results: wait until all of them are.
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    let load = loop {
        let r = op.call_admin("delivery_load", &[]).await;
        assert_eq!(r.status, 200, "{r:?}");
        let l = r.json();
        let settled = endpoint(&l, &failing)
            .is_some_and(|e| e["trouble"] == "paused" && e["waiting"] == 5)
            && endpoint(&l, &asked).is_some_and(|e| e["waiting"] == 5)
            && l["in_flight"] == 4
            && company(&l, &hangco).is_some_and(|c| c["waiting"] == 2);
        if settled {
            break l;
        }
        assert!(std::time::Instant::now() < deadline, "never settled: {l}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let paused = endpoint(&load, &failing).unwrap();
    assert_eq!(paused["app_id"], downco.as_str(), "{paused}");
    assert_eq!(paused["app_name"], "Downco");
    assert_eq!(paused["url"], down.url("/down"));
    assert!(
        paused["consecutive_failures"].as_i64().unwrap() >= 2,
        "{paused}"
    );
    assert!(paused["failing_since"].as_i64().unwrap() <= now, "{paused}");
    assert!(
        paused["next_probe"].as_i64().unwrap() > now + 30 * 60_000,
        "the next probe is the hour's backoff away: {paused}"
    );
    assert_eq!(paused["waiting_more"], false);
    let by_receiver = endpoint(&load, &asked).unwrap();
    assert_eq!(
        by_receiver["trouble"], "paused_by_receiver",
        "{by_receiver}"
    );
    assert!(by_receiver["next_probe"].as_i64().unwrap() > now + 90 * 60_000);
    assert_eq!(load["endpoints_more"], 0);
    assert_eq!(
        load["endpoints"].as_array().unwrap().len(),
        2,
        "only Downco's endpoints hold deliveries back: {load}"
    );

    // The slots: three of four sends in flight are Hangco's, one is Slowco's; Downco sends nothing.
    assert_eq!(load["instances"], 1, "{load}");
    assert_eq!(load["slots"], 16);
    assert_eq!(load["endpoint_slots"], 3);
    assert_eq!(
        load["company_slots"], 12,
        "three quarters of the worker's 16"
    );
    assert_eq!(load["companies_more"], 0);
    let companies = load["companies"].as_array().unwrap();
    assert_eq!(companies.len(), 2, "{load}");
    assert_eq!(
        companies[0]["app_id"],
        hangco.as_str(),
        "busiest first: {load}"
    );
    assert_eq!(companies[0]["app_name"], "Hangco");
    assert_eq!(companies[0]["in_flight"], 3);
    assert_eq!(companies[0]["share"], 0.75);
    assert_eq!(companies[0]["waiting"], 2);
    let slow = company(&load, &slowco).unwrap();
    assert_eq!(slow["in_flight"], 1, "{slow}");
    assert_eq!(slow["share"], 0.25);
    assert_eq!(slow["waiting"], 0);
    assert!(company(&load, &downco).is_none());

    // The page renders both on the server, for a browser without JavaScript too.
    let page = op.get("/admin").await;
    assert_eq!(page.status, 200, "{}", page.body);
    // At least two: the pause came at the second failure in a row.
    let failures = format!(
        "after {} failed attempts in a row",
        paused["consecutive_failures"]
    );
    for text in [
        "Endpoints holding deliveries back",
        &down.url("/down"),
        &failures,
        "it asked to wait (Retry-After)",
        "Send slots by company",
        "4 sends in flight on 1 instance, each with 16 send slots",
        "a company may hold up to 12 of them, and one endpoint up to 3",
        "75.0%",
        "25.0%",
    ] {
        assert!(page.body.contains(text), "{text} missing: {}", page.body);
    }

    // Only operators see who sends what.
    let (mut company_admin, _) =
        user_signed_in(&app, &["--tenant", &downco, "--permission", "admin"]).await;
    assert_eq!(
        company_admin.call_admin("delivery_load", &[]).await.status,
        403
    );
}

/// Makes every audit write fail (a trigger that refuses the insert), or lets them through again.
async fn refuse_audit_entries(app: &TestApp, backend: Backend, refuse: bool) {
    let statements: &[&str] = match (backend, refuse) {
        (Backend::Sqlite, true) => &["CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log \
             BEGIN SELECT RAISE(ABORT, 'audit refused'); END"],
        (Backend::Sqlite, false) => &["DROP TRIGGER refuse_audit"],
        (Backend::Postgres, true) => &[
            "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$",
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log \
             FOR EACH ROW EXECUTE FUNCTION refuse_audit()",
        ],
        (Backend::Postgres, false) => &["DROP TRIGGER refuse_audit ON audit_log"],
    };
    for sql in statements {
        app.db.execute(sql).await;
    }
}

/// The actions of the whole audit trail, newest first, as the REST API lists them.
async fn audit_actions(app: &TestApp) -> Vec<(String, Option<String>)> {
    let trail = app.get("/api/v1/audit?limit=250").await.expect(200);
    trail["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let action = e["action"].as_str().unwrap().to_owned();
            (action, e["target"].as_str().map(str::to_owned))
        })
        .collect()
}

/// The domain writes a change and its audit entry in one transaction: when the entry cannot be
/// written, the change does not happen either (the caller gets a 500 and may retry), through
/// every door; and a change that is made always has its entry.
async fn a_change_and_its_audit_entry_commit_together_or_not_at_all(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    let acme = app.create_app("Acme").await;
    app.create_event_type("invoice.paid").await;
    let ep = app
        .create_endpoint(&acme, &rx.url("/hook"), json!({}))
        .await;
    let mut op = operator(&app).await;
    let before = audit_actions(&app).await;

    refuse_audit_entries(&app, backend, true).await;
    // The REST API: a plan, an endpoint, an edit of the tenant, a deletion.
    let plan = json!({ "name": "Refused", "maxEndpoints": 1, "deliveriesPerHour": 10,
        "retrySchedule": ["1m"], "timeoutSeconds": 5, "retentionDays": 1, "autoDisableAfter": 5 });
    assert_eq!(app.post("/api/v1/plan", plan.clone()).await.status, 500);
    app.get("/api/v1/plan/Refused").await.expect(404);
    let second = json!({ "url": rx.url("/second"), "description": "second" });
    let r = app
        .post(&format!("/api/v1/app/{acme}/endpoint"), second)
        .await;
    assert_eq!(r.status, 500, "{:?}", r.body);
    let listed = app
        .get(&format!("/api/v1/app/{acme}/endpoint"))
        .await
        .expect(200);
    assert_eq!(
        listed["data"].as_array().unwrap().len(),
        1,
        "no second endpoint"
    );
    let r = app
        .patch(&format!("/api/v1/app/{acme}"), json!({ "name": "Renamed" }))
        .await;
    assert_eq!(r.status, 500, "{:?}", r.body);
    let tenant = app.get(&format!("/api/v1/app/{acme}")).await.expect(200);
    assert_eq!(tenant["name"], "Acme", "the rename was rolled back");
    let r = app
        .delete(&format!("/api/v1/app/{acme}/endpoint/{ep}"))
        .await;
    assert_eq!(r.status, 500, "{:?}", r.body);
    app.get(&format!("/api/v1/app/{acme}/endpoint/{ep}"))
        .await
        .expect(200);
    // The console: disabling the tenant does not happen, so it still accepts messages.
    let r = op
        .call_admin("set_tenant_state", &[("app", &acme), ("disabled", "true")])
        .await;
    assert_eq!(r.status, 500, "{r:?}");
    app.send(&acme, "invoice.paid", json!({})).await;
    refuse_audit_entries(&app, backend, false).await;
    assert_eq!(
        audit_actions(&app).await,
        before,
        "nothing was filed, as nothing changed"
    );

    app.post("/api/v1/plan", plan).await.expect(201);
    let r = op
        .call_admin("set_tenant_state", &[("app", &acme), ("disabled", "true")])
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let after = audit_actions(&app).await;
    assert_eq!(
        after[..2],
        [
            ("application.disabled".to_owned(), Some(acme.clone())),
            ("plan.created".to_owned(), Some("Refused".to_owned())),
        ],
        "each change has its entry"
    );
}
