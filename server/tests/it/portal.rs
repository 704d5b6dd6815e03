//! The portal's rules, checked over HTTP against the real app: magic links work once and in
//! time, sessions carry the right permission, every server function enforces it, other
//! companies' ids are not found, and browser writes from other sites are refused.

use crate::common::{create_user, link_signed_in, Answer, Backend, Browser, Receiver, TestApp};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;

on_both_backends!(
    a_magic_link_opens_the_portal_once_and_then_shows_the_expired_page,
    a_link_used_after_its_time_is_refused,
    a_read_only_session_sees_everything_and_changes_nothing,
    a_writer_can_do_every_change_the_portal_offers,
    another_companys_ids_are_not_found,
    writes_from_another_site_are_refused,
    a_form_posted_without_javascript_comes_back_with_its_error_shown,
    the_rate_limit_is_set_in_the_endpoint_form_and_a_bad_one_is_named,
    custom_headers_are_set_in_the_endpoint_form_and_a_credential_is_never_shown_again,
    a_test_event_goes_with_the_payload_as_edited_and_is_marked_as_a_test,
    expire_all_ends_the_companys_sessions,
    password_sign_in_checks_the_password_and_limits_failures,
    a_members_permission_comes_from_the_membership,
    with_delivery_switched_off_the_portal_changes_nothing,
    at_its_plans_endpoint_limit_a_company_is_told_why_it_cannot_add_one,
    an_admin_invites_a_user_who_joins_once_and_can_be_changed_and_removed,
    a_portal_link_change_is_audited_with_the_host_products_user,
);

async fn mint(app: &TestApp, a: &str, body: Value) -> String {
    let r = app
        .post(&format!("/api/v1/auth/app-portal-access/{a}"), body)
        .await
        .expect(200);
    let url = r["url"].as_str().unwrap().to_owned();
    assert!(url.contains("/portal/access?token="), "{url}");
    assert!(r["token"].as_str().unwrap().len() > 20);
    url
}

/// The user id of the first member of a `team` answer that `pick` chooses.
fn member_id(team: &Value, pick: impl Fn(&Value) -> bool) -> String {
    let m = team["members"].as_array().unwrap().iter().find(|m| pick(m));
    m.unwrap()["user_id"].as_str().unwrap().to_owned()
}

/// "Add endpoint" with every event, as the form posts it.
async fn add_endpoint(b: &mut Browser, app: &str, url: &str) -> Answer {
    b.call(
        "create_endpoint",
        &[
            ("app", app),
            ("url", url),
            ("description", ""),
            ("all_events", "on"),
        ],
    )
    .await
}

#[track_caller]
fn assert_refused(r: &Answer, status: u16) {
    assert_eq!(r.status, status, "{r:?}");
}

async fn a_magic_link_opens_the_portal_once_and_then_shows_the_expired_page(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    let url = mint(&app, &a, json!({})).await;

    let mut first = Browser::new(&app);
    let r = first.open_link(&url).await;
    assert_eq!(r.status, 303, "{r:?}");
    assert_eq!(r.location.as_deref(), Some(format!("/portal/{a}").as_str()));
    let cookie = r.set_cookie.join("\n");
    for attr in [
        "HttpOnly",
        "Secure",
        "SameSite=None",
        "Partitioned",
        "Path=/",
    ] {
        assert!(cookie.contains(attr), "cookie without {attr}: {cookie}");
    }
    let page = first.get(&format!("/portal/{a}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Endpoints"), "{}", page.body);
    assert!(page.body.contains("Acme"));

    // The same link again, from another browser: refused, and no session.
    let mut second = Browser::new(&app);
    let r = second.open_link(&url).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location.as_deref(), Some("/portal/expired"));
    assert!(second.cookie.is_none());
    let page = second.get("/portal/expired").await;
    assert_eq!(page.status, 410);
    assert!(page.body.contains("This link has expired"), "{}", page.body);

    // A forged token, and none at all.
    for forged in ["/portal/access?token=forged", "/portal/access"] {
        let mut b = Browser::new(&app);
        let r = b.open_link(forged).await;
        assert_eq!(r.location.as_deref(), Some("/portal/expired"), "{forged}");
        assert!(b.cookie.is_none());
    }
    // Without a session, the portal page says so with a 401, and shows no data.
    let page = Browser::new(&app).get(&format!("/portal/{a}")).await;
    assert_eq!(page.status, 401, "{}", page.body);
}

async fn a_link_used_after_its_time_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend, &[("PORTAL_LINK_TTL", "1s")]).await;
    let a = app.create_app("Acme").await;
    let url = mint(&app, &a, json!({})).await;
    // A second passes, as the link sees it: without waiting one out.
    app.db
        .execute("UPDATE portal_links SET created_at = created_at - 1000, expires_at = expires_at - 1000")
        .await;
    let mut b = Browser::new(&app);
    let r = b.open_link(&url).await;
    assert_eq!(r.location.as_deref(), Some("/portal/expired"));
    assert!(b.cookie.is_none());
}

async fn a_read_only_session_sees_everything_and_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    app.create_event_type("invoice.paid").await;
    let ep = app
        .create_endpoint(&a, "https://93.184.215.14/hook", json!({}))
        .await;
    let mut b = link_signed_in(&app, &a, json!({ "readOnly": true })).await;

    // Reads work.
    let r = b.call("list_endpoints", &[("app", &a)]).await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.json().as_array().unwrap().len(), 1);
    let r = b
        .call("get_endpoint", &[("app", &a), ("endpoint", &ep)])
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let r = b.call("event_catalogue", &[("app", &a)]).await;
    assert_eq!(r.status, 200, "{r:?}");
    let r = b.call("list_attempts", &[("app", &a)]).await;
    assert_eq!(r.status, 200, "{r:?}");
    let r = b.call("viewer", &[("app", &a)]).await;
    assert_eq!(r.json()["can_write"], false, "{r:?}");

    // Every change is refused with 403.
    let writes: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "create_endpoint",
            vec![
                ("app", &a),
                ("url", "https://93.184.215.14/new"),
                ("description", ""),
                ("all_events", "on"),
            ],
        ),
        (
            "update_endpoint",
            vec![
                ("app", &a),
                ("endpoint", &ep),
                ("url", "https://93.184.215.14/x"),
                ("description", ""),
                ("all_events", "on"),
            ],
        ),
        ("delete_endpoint", vec![("app", &a), ("endpoint", &ep)]),
        (
            "set_endpoint_state",
            vec![("app", &a), ("endpoint", &ep), ("disabled", "true")],
        ),
        ("reveal_secret", vec![("app", &a), ("endpoint", &ep)]),
        (
            "rotate_secret",
            vec![("app", &a), ("endpoint", &ep), ("grace", "0")],
        ),
        (
            "send_test_event",
            vec![
                ("app", &a),
                ("endpoint", &ep),
                ("event_type", "invoice.paid"),
            ],
        ),
        (
            "replay",
            vec![("app", &a), ("message", "msg_x"), ("endpoint", &ep)],
        ),
        (
            "send_missed",
            vec![
                ("app", &a),
                ("endpoint", &ep),
                ("since", "2026-01-01T00:00"),
                ("tz", "0"),
            ],
        ),
    ];
    for (name, form) in &writes {
        let r = b.call(name, form).await;
        assert_refused(&r, 403);
        assert_eq!(r.json(), json!("Forbidden"), "{name}: {r:?}");
    }
    // Nothing changed.
    let eps = app
        .get(&format!("/api/v1/app/{a}/endpoint"))
        .await
        .expect(200);
    assert_eq!(eps["data"].as_array().unwrap().len(), 1);
    assert_eq!(eps["data"][0]["url"], "https://93.184.215.14/hook");
    assert_eq!(eps["data"][0]["disabled"], false);

    // Capabilities without a write capability are read-only too.
    let mut viewer = link_signed_in(&app, &a, json!({ "capabilities": ["ViewBase"] })).await;
    let r = viewer
        .call("reveal_secret", &[("app", &a), ("endpoint", &ep)])
        .await;
    assert_refused(&r, 403);
}

async fn a_writer_can_do_every_change_the_portal_offers(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    for (name, group) in [
        ("invoice.paid", "invoice"),
        ("invoice.sent", "invoice"),
        ("payment.failed", "payment"),
    ] {
        app.post(
            "/api/v1/event-type",
            json!({ "name": name, "description": "d", "groupName": group }),
        )
        .await
        .expect(201);
    }
    let mut b = link_signed_in(&app, &a, json!({})).await;

    // Bad input is a 422 naming the field, and creates nothing.
    let r = add_endpoint(&mut b, &a, "not a url").await;
    assert_refused(&r, 422);
    assert!(r.body.contains("url"), "{r:?}");
    let r = b
        .call(
            "create_endpoint",
            &[("app", &a), ("url", &rx.url("/hook")), ("description", "")],
        )
        .await;
    assert_refused(&r, 422);
    assert_eq!(r.json()["Field"]["field"], "events", "{r:?}");

    // A whole category plus one event.
    let r = b
        .call(
            "create_endpoint",
            &[
                ("app", &a),
                ("url", &rx.url("/hook")),
                ("description", "Books"),
                ("categories[]", "invoice"),
                ("event_types[]", "payment.failed"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let eps = app
        .get(&format!("/api/v1/app/{a}/endpoint"))
        .await
        .expect(200);
    let ep = eps["data"][0]["id"].as_str().unwrap().to_owned();
    let mut types: Vec<String> =
        serde_json::from_value(eps["data"][0]["filterTypes"].clone()).unwrap();
    types.sort();
    assert_eq!(types, ["invoice.paid", "invoice.sent", "payment.failed"]);

    let secret = b
        .call("reveal_secret", &[("app", &a), ("endpoint", &ep)])
        .await;
    assert_eq!(secret.status, 200, "{secret:?}");
    let secret = secret.json().as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    let r = b
        .call(
            "rotate_secret",
            &[("app", &a), ("endpoint", &ep), ("grace", "1h")],
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let after = b
        .call("reveal_secret", &[("app", &a), ("endpoint", &ep)])
        .await
        .json();
    assert_ne!(after.as_str().unwrap(), secret);

    let r = b
        .call(
            "send_test_event",
            &[
                ("app", &a),
                ("endpoint", &ep),
                ("event_type", "invoice.paid"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let msg = r.json().as_str().unwrap().to_owned();
    let got = rx.wait_for(1, Duration::from_secs(10)).await;
    // Two signatures during the grace period.
    assert_eq!(got[0].header("webhook-signature").split(' ').count(), 2);

    let r = b
        .call(
            "replay",
            &[("app", &a), ("message", &msg), ("endpoint", &ep)],
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    rx.wait_for(2, Duration::from_secs(10)).await;

    let log = b
        .call("list_attempts", &[("app", &a), ("endpoint", &ep)])
        .await
        .json();
    assert!(!log["rows"].as_array().unwrap().is_empty(), "{log}");
    let attempt = log["rows"][0]["id"].as_str().unwrap().to_owned();
    let d = b
        .call("get_attempt", &[("app", &a), ("attempt", &attempt)])
        .await;
    assert_eq!(d.status, 200, "{d:?}");
    assert!(d.body.contains("webhook-signature"), "{d:?}");

    let r = b
        .call(
            "set_endpoint_state",
            &[("app", &a), ("endpoint", &ep), ("disabled", "true")],
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let e = app
        .get(&format!("/api/v1/app/{a}/endpoint/{ep}"))
        .await
        .expect(200);
    assert_eq!(e["disabled"], true);
    let r = b
        .call(
            "send_missed",
            &[
                ("app", &a),
                ("endpoint", &ep),
                ("since", "sometime"),
                ("tz", "0"),
            ],
        )
        .await;
    assert_refused(&r, 422);

    let r = b
        .call("delete_endpoint", &[("app", &a), ("endpoint", &ep)])
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    app.get(&format!("/api/v1/app/{a}/endpoint/{ep}"))
        .await
        .expect(404);
}

async fn another_companys_ids_are_not_found(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    let other = app.create_app("Other").await;
    let theirs = app
        .create_endpoint(&other, "https://93.184.215.14/theirs", json!({}))
        .await;
    let mut b = link_signed_in(&app, &a, json!({})).await;
    for (name, form) in [
        ("list_endpoints", vec![("app", other.as_str())]),
        (
            "get_endpoint",
            vec![("app", other.as_str()), ("endpoint", theirs.as_str())],
        ),
        (
            "get_endpoint",
            vec![("app", a.as_str()), ("endpoint", theirs.as_str())],
        ),
        (
            "reveal_secret",
            vec![("app", a.as_str()), ("endpoint", theirs.as_str())],
        ),
        (
            "delete_endpoint",
            vec![("app", a.as_str()), ("endpoint", theirs.as_str())],
        ),
        (
            "list_attempts",
            vec![("app", a.as_str()), ("endpoint", theirs.as_str())],
        ),
    ] {
        let r = b.call(name, &form).await;
        assert_refused(&r, 404);
    }
    let page = b.get(&format!("/portal/{other}")).await;
    assert_eq!(page.status, 404);
    assert!(
        !page.body.contains("Other"),
        "the other company's name leaked"
    );
    app.get(&format!("/api/v1/app/{other}/endpoint/{theirs}"))
        .await
        .expect(200);
}

async fn writes_from_another_site_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    let mut b = link_signed_in(&app, &a, json!({})).await;
    let cookie = b.cookie.clone().unwrap();
    for (origin, fetch_site) in [
        (Some("https://evil.example"), None),
        (Some("null"), None),
        (None, Some("cross-site")),
    ] {
        let mut rb = b
            .client
            .post(format!("{}/portal/fn/create_endpoint", app.base))
            .header("cookie", format!("herald_session={cookie}"))
            .form(&[
                ("app", a.as_str()),
                ("url", "https://93.184.215.14/x"),
                ("description", ""),
                ("all_events", "on"),
            ]);
        if let Some(o) = origin {
            rb = rb.header("origin", o);
        }
        if let Some(s) = fetch_site {
            rb = rb.header("sec-fetch-site", s);
        }
        let r = b.answer(rb).await;
        assert_refused(&r, 403);
    }
    let eps = app
        .get(&format!("/api/v1/app/{a}/endpoint"))
        .await
        .expect(200);
    assert!(eps["data"].as_array().unwrap().is_empty());
    // Pages may be framed only by ourselves and the configured origins.
    let page = b.get(&format!("/portal/{a}")).await;
    assert_eq!(page.status, 200);
    let app2 = TestApp::spawn(backend, &[("EMBED_ORIGINS", "https://app.fiskl.com")]).await;
    let csp = reqwest::get(app2.url("/login"))
        .await
        .unwrap()
        .headers()
        .get("content-security-policy")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert_eq!(csp, "frame-ancestors 'self' https://app.fiskl.com");
}

async fn expire_all_ends_the_companys_sessions(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    let mut alice = link_signed_in(&app, &a, json!({ "sessionId": "alice" })).await;
    let mut bob = link_signed_in(&app, &a, json!({ "sessionId": "bob" })).await;
    app.post(
        &format!("/api/v1/auth/app/{a}/expire-all"),
        json!({ "sessionIds": ["alice"] }),
    )
    .await
    .expect(204);
    assert_refused(&alice.call("list_endpoints", &[("app", &a)]).await, 401);
    assert_eq!(bob.call("list_endpoints", &[("app", &a)]).await.status, 200);
    app.post(&format!("/api/v1/auth/app/{a}/expire-all"), json!({}))
        .await
        .expect(204);
    assert_refused(&bob.call("list_endpoints", &[("app", &a)]).await, 401);
    let r = app
        .post(
            &format!("/api/v1/auth/app/{a}/expire-all"),
            json!({ "expiry": -1 }),
        )
        .await;
    assert_eq!(r.status, 422, "{:?}", r.body);
}

async fn password_sign_in_checks_the_password_and_limits_failures(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    let email = format!("ada-{}@example.com", crate::common::random_hex(4));
    let out = create_user(
        &app,
        &[
            "--email",
            &email,
            "--password",
            "correct horse battery",
            "--tenant",
            &a,
            "--permission",
            "integration.write",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Bad input to the CLI names what is wrong.
    let out = create_user(
        &app,
        &[
            "--email",
            "x@example.com",
            "--password",
            "short",
            "--operator",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("password"));

    let mut b = Browser::new(&app);
    b.cookie = Some("stale-session-from-before".into());
    let r = b
        .call(
            "login",
            &[("email", &email), ("password", "wrong password")],
        )
        .await;
    assert_refused(&r, 422);
    assert_eq!(r.json(), json!("BadCredentials"));
    let r = b
        .call(
            "login",
            &[("email", &email), ("password", "correct horse battery")],
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let session = b.cookie.clone().unwrap();
    assert_ne!(
        session, "stale-session-from-before",
        "the session id must be new"
    );
    let r = b.call("my_companies", &[]).await;
    assert_eq!(r.json()[0][0], a.as_str(), "{r:?}");
    assert_eq!(b.call("list_endpoints", &[("app", &a)]).await.status, 200);

    // Five failures lock the email, even for the right password, for a while.
    let mut other = Browser::new(&app);
    for _ in 0..5 {
        let r = other
            .call("login", &[("email", &email), ("password", "guess")])
            .await;
        assert_refused(&r, 422);
    }
    let r = other
        .call(
            "login",
            &[("email", &email), ("password", "correct horse battery")],
        )
        .await;
    assert_refused(&r, 429);

    // Signing out ends the session.
    let r = b.call("logout", &[]).await;
    assert_eq!(r.status, 200);
    b.cookie = Some(session);
    assert_refused(&b.call("list_endpoints", &[("app", &a)]).await, 401);
}

async fn a_members_permission_comes_from_the_membership(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    let other = app.create_app("Other").await;
    let email = format!("reader-{}@example.com", crate::common::random_hex(4));
    let out = create_user(
        &app,
        &[
            "--email",
            &email,
            "--password",
            "a long enough password",
            "--tenant",
            &a,
            "--permission",
            "integration.read",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut b = Browser::new(&app);
    let r = b
        .call(
            "login",
            &[("email", &email), ("password", "a long enough password")],
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(b.call("list_endpoints", &[("app", &a)]).await.status, 200);
    let r = add_endpoint(&mut b, &a, "https://93.184.215.14/x").await;
    assert_refused(&r, 403);
    assert_refused(&b.call("list_endpoints", &[("app", &other)]).await, 404);
}

async fn with_delivery_switched_off_the_portal_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend, &[("DELIVERY_ENABLED", "false")]).await;
    let a = app.create_app("Acme").await;
    let mut b = link_signed_in(&app, &a, json!({})).await;
    let r = add_endpoint(&mut b, &a, "https://93.184.215.14/x").await;
    assert_refused(&r, 503);
    let page = b.get(&format!("/portal/{a}")).await;
    assert!(page.body.contains("Webhooks aren"), "{}", page.body);
    assert!(!page.body.contains("Add endpoint"));
}

/// Without JavaScript a form posts as HTML. A refused post goes back to the form's page with
/// the error, which the page shows; nothing is created.
async fn a_form_posted_without_javascript_comes_back_with_its_error_shown(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    let mut b = link_signed_in(&app, &a, json!({})).await;
    let form_page = format!("{}/portal/{a}/endpoints/new", app.base);
    let rb = b
        .client
        .post(format!("{}/portal/fn/create_endpoint", app.base))
        .header("origin", app.base.clone())
        .header("accept", "text/html")
        .header("referer", form_page.clone())
        .form(&[
            ("app", a.as_str()),
            ("url", "ftp://example.com/x"),
            ("description", "d"),
            ("all_events", "on"),
        ]);
    let r = b.answer(rb).await;
    assert_eq!(r.status, 302, "{r:?}");
    let back = r.location.clone().unwrap();
    assert!(
        back.starts_with(&format!("/portal/{a}/endpoints/new?error=")),
        "{back}"
    );
    assert!(back.contains("&error_field=url"), "{back}");
    let page = b.get(&back).await;
    assert_eq!(page.status, 200);
    // Next to the field it is about, tied to it for screen readers, in words for the admin.
    let error = r#"<p id="endpoint-url-error" class="field-error">Use an address that starts with https://.</p>"#;
    assert!(page.body.contains(error), "{}", page.body);
    assert!(
        page.body.contains(
            r#"aria-invalid="true" aria-describedby="endpoint-url-help endpoint-url-error""#
        ),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains(r#"role="alert""#),
        "shown once, by its field: {}",
        page.body
    );
    let eps = app
        .get(&format!("/api/v1/app/{a}/endpoint"))
        .await
        .expect(200);
    assert!(eps["data"].as_array().unwrap().is_empty());
}

/// The endpoint form sets `throttleRate` (issue 12): empty for none, a whole number of sends a
/// second; a wrong value is refused with an error about that field, and nothing is changed.
async fn the_rate_limit_is_set_in_the_endpoint_form_and_a_bad_one_is_named(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    let mut b = link_signed_in(&app, &a, json!({})).await;
    // The endpoint form as it posts, to `create_endpoint` or (with an id) `update_endpoint`.
    async fn post(b: &mut Browser, a: &str, id: Option<&str>, url: &str, rate: &str) -> Answer {
        let mut form = vec![
            ("app", a),
            ("url", url),
            ("description", ""),
            ("all_events", "on"),
        ];
        form.push(("rate_limit", rate));
        match id {
            Some(id) => {
                form.push(("endpoint", id));
                b.call("update_endpoint", &form).await
            }
            None => b.call("create_endpoint", &form).await,
        }
    }
    let url = "https://93.184.215.14/x";
    let r = post(&mut b, &a, None, url, "5").await;
    assert!(r.status < 400, "{r:?}");
    let eps = app
        .get(&format!("/api/v1/app/{a}/endpoint"))
        .await
        .expect(200);
    let ep = eps["data"][0].clone();
    assert_eq!(ep["throttleRate"], 5, "{ep}");
    let id = ep["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/app/{a}/endpoint/{id}");

    for bad in ["0", "2.5", "many", "70000"] {
        let r = post(&mut b, &a, Some(&id), url, bad).await;
        assert_eq!(r.status, 422, "{bad}: {r:?}");
        assert_eq!(r.json()["Field"]["field"], "rate_limit", "{bad}: {r:?}");
    }
    let ep = app.get(&path).await.expect(200);
    assert_eq!(ep["throttleRate"], 5, "unchanged by the refused edits");

    let r = post(&mut b, &a, Some(&id), url, "").await;
    assert!(r.status < 400, "{r:?}");
    let ep = app.get(&path).await.expect(200);
    assert!(ep["throttleRate"].is_null(), "emptied: no limit: {ep}");

    // And the API's own words about the URL become a sentence about the URL field.
    let r = post(&mut b, &a, Some(&id), "https://user:pw@93.184.215.14/x", "").await;
    assert_eq!(r.status, 422, "{r:?}");
    let field = r.json()["Field"].clone();
    assert_eq!(field["field"], "url", "{r:?}");
    let message = field["message"].as_str().unwrap();
    assert!(
        message.starts_with("The URL must not contain a user name") && message.ends_with('.'),
        "{message}"
    );
}

async fn custom_headers_are_set_in_the_endpoint_form_and_a_credential_is_never_shown_again(
    backend: Backend,
) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    let mut b = link_signed_in(&app, &a, json!({})).await;
    let url = rx.url("/hook");
    // The endpoint form as it posts, with its rows of custom headers.
    async fn post(
        b: &mut Browser,
        a: &str,
        id: Option<&str>,
        url: &str,
        rows: &[(&str, &str)],
    ) -> Answer {
        let mut form = vec![
            ("app", a),
            ("url", url),
            ("description", ""),
            ("all_events", "on"),
        ];
        for (name, value) in rows {
            form.push(("header_name[]", name));
            form.push(("header_value[]", value));
        }
        match id {
            Some(id) => {
                form.push(("endpoint", id));
                b.call("update_endpoint", &form).await
            }
            None => b.call("create_endpoint", &form).await,
        }
    }
    let r = post(
        &mut b,
        &a,
        None,
        &url,
        &[
            ("Authorization", "Bearer s3cret"),
            ("X-Tenant", "acme"),
            ("", ""),
        ],
    )
    .await;
    assert!(r.status < 400, "{r:?}");
    let id = app
        .get(&format!("/api/v1/app/{a}/endpoint"))
        .await
        .expect(200)["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // The page shows the plain header and hides the credential.
    let detail = b
        .call("get_endpoint", &[("app", &a), ("endpoint", &id)])
        .await
        .json();
    assert_eq!(
        detail["headers"],
        json!([
            { "name": "Authorization", "value": null },
            { "name": "X-Tenant", "value": "acme" }
        ]),
        "{detail}"
    );

    // Saving the form with the credential left empty keeps it; a new header is added.
    let r = post(
        &mut b,
        &a,
        Some(&id),
        &url,
        &[
            ("Authorization", ""),
            ("X-Tenant", "acme-2"),
            ("X-Region", "eu"),
        ],
    )
    .await;
    assert!(r.status < 400, "{r:?}");
    let headers = app
        .get(&format!("/api/v1/app/{a}/endpoint/{id}/headers"))
        .await
        .expect(200);
    let all = |h: &Value| -> BTreeMap<String, String> {
        let mut out: BTreeMap<String, String> =
            serde_json::from_value(h["headers"].clone()).unwrap_or_default();
        for name in h["sensitive"].as_array().into_iter().flatten() {
            out.insert(name.as_str().unwrap().to_owned(), "(sensitive)".into());
        }
        out
    };
    let names: Vec<String> = all(&headers).into_keys().collect();
    assert_eq!(
        names,
        ["Authorization", "X-Region", "X-Tenant"],
        "{headers}"
    );

    // Each delivery carries them, the credential with the value first given.
    app.send(&a, "invoice.paid", json!({ "n": 1 })).await;
    let got = rx.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(got[0].header("authorization"), "Bearer s3cret");
    assert_eq!(got[0].header("x-tenant"), "acme-2");
    assert_eq!(got[0].header("x-region"), "eu");

    // Refused rows are named, and leave the endpoint as it was.
    for (rows, says) in [
        (
            vec![("Content-Type", "text/plain")],
            "Custom header Content-Type is set by Herald",
        ),
        (vec![("X-Empty", "")], "Custom header X-Empty needs a value"),
        (vec![("", "orphan-value")], "has a value but no name"),
        (vec![("X-A", "1"), ("x-a", "2")], "is there twice"),
        (vec![("Bad Name", "1")], "not a valid header name"),
    ] {
        let r = post(&mut b, &a, Some(&id), &url, &rows).await;
        assert_eq!(r.status, 422, "{rows:?}: {r:?}");
        let field = r.json()["Field"].clone();
        assert_eq!(field["field"], "headers", "{rows:?}: {r:?}");
        assert!(
            field["message"].as_str().unwrap().contains(says),
            "{rows:?}: {field}"
        );
        assert!(!r.body.contains("orphan-value"), "a value is never echoed");
    }
    let after = app
        .get(&format!("/api/v1/app/{a}/endpoint/{id}/headers"))
        .await
        .expect(200);
    assert_eq!(all(&after), all(&headers), "unchanged by the refused edits");

    // Clearing a name removes that header; the change is in the audit trail, by name only.
    let r = post(
        &mut b,
        &a,
        Some(&id),
        &url,
        &[("", ""), ("X-Tenant", "acme-2"), ("X-Region", "eu")],
    )
    .await;
    assert!(r.status < 400, "{r:?}");
    let detail = b
        .call("get_endpoint", &[("app", &a), ("endpoint", &id)])
        .await
        .json();
    assert_eq!(
        detail["headers"],
        json!([
            { "name": "X-Region", "value": "eu" },
            { "name": "X-Tenant", "value": "acme-2" }
        ])
    );
    let trail = app
        .get(&format!("/api/v1/audit?appId={a}"))
        .await
        .expect(200);
    let entry = &trail["data"][0];
    assert_eq!(entry["action"], "endpoint.headers_updated", "{trail}");
    assert!(!trail.to_string().contains("s3cret"), "{trail}");
}

async fn a_test_event_goes_with_the_payload_as_edited_and_is_marked_as_a_test(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    let ep = app.create_endpoint(&a, &rx.url("/hook"), json!({})).await;
    app.post(
        "/api/v1/event-type",
        json!({ "name": "invoice.paid", "description": "paid" }),
    )
    .await;
    let mut b = link_signed_in(&app, &a, json!({})).await;
    async fn send(b: &mut Browser, a: &str, ep: &str, payload: &str) -> Answer {
        let form = [
            ("app", a),
            ("endpoint", ep),
            ("event_type", "invoice.paid"),
            ("payload", payload),
        ];
        b.call("send_test_event", &form).await
    }

    // Bad payloads are named, with where the JSON breaks; nothing is sent.
    for (bad, says) in [
        ("{\"id\": }", "line 1, column 8"),
        ("{\"id\": 1", "it ends too soon"),
        ("[1, 2]", "must be a JSON object"),
    ] {
        let r = send(&mut b, &a, &ep, bad).await;
        assert_eq!(r.status, 422, "{bad}: {r:?}");
        let field = r.json()["Field"].clone();
        assert_eq!(field["field"], "payload", "{bad}: {r:?}");
        assert!(
            field["message"].as_str().unwrap().contains(says),
            "{bad}: {field}"
        );
    }

    // An edited payload goes byte for byte, to this endpoint only.
    let edited = "{\"id\": \"inv_test\",   \"amount\": 12.50}";
    let r = send(&mut b, &a, &ep, edited).await;
    assert_eq!(r.status, 200, "{r:?}");
    let msg = r.json().as_str().unwrap().to_owned();
    let got = rx.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(got[0].body, edited.as_bytes());
    // Left empty, the event type's example goes.
    let r = send(&mut b, &a, &ep, "").await;
    assert_eq!(r.status, 200, "{r:?}");

    // The log and the message page mark them as tests; a message the product sent is not.
    app.send(&a, "invoice.paid", json!({ "id": "inv_real" }))
        .await;
    rx.wait_for(3, Duration::from_secs(10)).await;
    let log = b.call("list_deliveries", &[("app", &a)]).await.json();
    let marks: Vec<bool> = log["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["test"].as_bool().unwrap())
        .collect();
    assert_eq!(marks, [false, true, true], "newest first: {log}");
    let detail = b
        .call("get_message", &[("app", &a), ("message", &msg)])
        .await
        .json();
    assert_eq!(detail["test"], true, "{detail}");
    assert_eq!(detail["payload"], edited);
}

async fn at_its_plans_endpoint_limit_a_company_is_told_why_it_cannot_add_one(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    app.put(&format!("/api/v1/app/{a}/plan"), json!({ "plan": "Basic" }))
        .await
        .expect(200);
    let mut b = link_signed_in(&app, &a, json!({})).await;

    let r = b.call("endpoint_limit", &[("app", &a)]).await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.json(), Value::Null, "under the limit: no reason");

    app.create_endpoint(&a, &rx.url("/one"), json!({})).await;
    app.create_endpoint(&a, &rx.url("/two"), json!({})).await;
    let r = b.call("endpoint_limit", &[("app", &a)]).await;
    let reason = r.json().as_str().unwrap_or_default().to_owned();
    assert!(
        reason.contains("Basic") && reason.contains("2 endpoints"),
        "the page is told the plan and its limit: {reason}"
    );

    // The server holds the limit even for a form sent anyway.
    let r = b
        .call(
            "create_endpoint",
            &[
                ("app", &a),
                ("url", &rx.url("/three")),
                ("description", ""),
                ("all_events", "on"),
            ],
        )
        .await;
    assert_refused(&r, 422);
    assert!(r.body.contains("Basic"), "{r:?}");
    let eps = app
        .get(&format!("/api/v1/app/{a}/endpoint"))
        .await
        .expect(200);
    assert_eq!(eps["data"].as_array().unwrap().len(), 2);
}

async fn an_admin_invites_a_user_who_joins_once_and_can_be_changed_and_removed(backend: Backend) {
    let smtp = crate::common::SmtpSink::start().await;
    let app = TestApp::spawn(
        backend,
        &[
            ("SMTP_URL", &smtp.url()),
            ("MAIL_FROM", "Herald <herald@example.com>"),
        ],
    )
    .await;
    let a = app.create_app("Acme").await;
    let other = app.create_app("Other").await;
    let (mut boss, admin) =
        crate::common::user_signed_in(&app, &["--tenant", &a, "--permission", "admin"]).await;
    let viewer = boss.call("viewer", &[("app", &a)]).await.json();
    assert_eq!(viewer["is_admin"], true, "{viewer}");

    // A bad email is refused naming the field; a good one gets a single-use link.
    let r = boss
        .call(
            "invite_user",
            &[
                ("app", &a),
                ("email", "not-an-email"),
                ("permission", "integration.write"),
            ],
        )
        .await;
    assert_refused(&r, 422);
    assert!(r.body.contains("email"), "{}", r.body);
    let r = boss
        .call(
            "invite_user",
            &[
                ("app", &a),
                ("email", "Grace@Example.com"),
                ("permission", "integration.write"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.json()["emailed"], true, "{r:?}");
    let link = r.json()["link"].as_str().unwrap().to_owned();
    // The invitation went by email, to the invited address, with the same link.
    let mails = smtp.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, "grace@example.com");
    assert!(
        mails[0].1.contains(&link),
        "the mail holds the link: {}",
        mails[0].1
    );
    assert!(mails[0].1.contains("Join Acme"), "{}", mails[0].1);
    let token = link.rsplit('/').next().unwrap().to_owned();
    assert!(link.starts_with(&app.base), "{link}");
    let team = boss.call("team", &[("app", &a)]).await.json();
    assert_eq!(team["invites"][0]["email"], "grace@example.com", "{team}");

    // The page for the link says what it offers.
    let mut grace = Browser::new(&app);
    let page = grace.get(&format!("/invite/{token}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Join Acme"), "{}", page.body);
    let r = grace
        .call("accept_invite", &[("token", &token), ("password", "short")])
        .await;
    assert_refused(&r, 422);
    assert!(
        r.body.contains("10"),
        "a too-short password says the minimum: {}",
        r.body
    );
    let r = grace
        .call(
            "accept_invite",
            &[("token", &token), ("password", "grace hopper 1906")],
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert!(grace.cookie.is_some(), "joining signs in");
    assert_eq!(
        grace.call("list_endpoints", &[("app", &a)]).await.status,
        200
    );
    let r = grace.call("team", &[("app", &a)]).await;
    assert_refused(&r, 403);
    assert_eq!(
        r.json(),
        json!("AdminOnly"),
        "told what is missing, not that they are read-only"
    );
    let page = grace.get(&format!("/portal/{a}/team")).await;
    assert_eq!(page.status, 403);
    assert!(
        page.body
            .contains("Only this company&#x27;s admins manage its team")
            || page
                .body
                .contains("Only this company's admins manage its team"),
        "{}",
        page.body
    );
    assert_refused(&grace.call("list_endpoints", &[("app", &other)]).await, 404);

    // The link works once.
    let mut again = Browser::new(&app);
    let r = again
        .call(
            "accept_invite",
            &[("token", &token), ("password", "another password 1")],
        )
        .await;
    assert_refused(&r, 404);
    let page = again.get(&format!("/invite/{token}")).await;
    assert!(page.body.contains("cannot be used"), "{}", page.body);

    // An existing user invited to a second company joins it with their own password, and
    // may then switch between the two.
    let (mut other_admin, _) =
        crate::common::user_signed_in(&app, &["--tenant", &other, "--permission", "admin"]).await;
    let r = other_admin
        .call(
            "invite_user",
            &[
                ("app", &other),
                ("email", "grace@example.com"),
                ("permission", "integration.read"),
            ],
        )
        .await;
    let token2 = r.json()["link"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let r = grace
        .call(
            "accept_invite",
            &[("token", &token2), ("password", "not her password")],
        )
        .await;
    assert_refused(&r, 422);
    let r = grace
        .call(
            "accept_invite",
            &[("token", &token2), ("password", "grace hopper 1906")],
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let companies = grace.call("my_companies", &[]).await.json();
    assert_eq!(companies.as_array().unwrap().len(), 2, "{companies}");
    let viewer = grace.call("viewer", &[("app", &a)]).await.json();
    assert_eq!(viewer["companies"].as_array().unwrap().len(), 2);

    // The admin changes her permission, then removes her; she loses access at once.
    let team = boss.call("team", &[("app", &a)]).await.json();
    let grace_id = member_id(&team, |m| m["email"] == "grace@example.com");
    let r = boss
        .call(
            "change_permission",
            &[
                ("app", &a),
                ("user", &grace_id),
                ("permission", "integration.read"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let r = add_endpoint(&mut grace, &a, "https://93.184.215.14/x").await;
    assert_refused(&r, 403);
    // The last admin cannot demote themselves.
    let me = member_id(&team, |m| m["is_me"] == true);
    let r = boss
        .call(
            "change_permission",
            &[
                ("app", &a),
                ("user", &me),
                ("permission", "integration.write"),
            ],
        )
        .await;
    assert_refused(&r, 422);
    assert!(r.body.contains("last admin"), "{}", r.body);
    let r = boss
        .call("remove_user", &[("app", &a), ("user", &grace_id)])
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_refused(&grace.call("list_endpoints", &[("app", &a)]).await, 404);
    assert_eq!(
        grace
            .call("list_endpoints", &[("app", &other)])
            .await
            .status,
        200
    );

    // All of it is in the company's audit trail, by name.
    let trail = boss.call("audit_trail", &[("app", &a)]).await.json();
    let actions: Vec<&str> = trail["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "user.removed",
            "user.permission_changed",
            "user.joined",
            "user.invited",
            "application.created"
        ],
        "{trail}"
    );
    assert_eq!(trail["rows"][3]["actor"], admin.as_str());
    assert_eq!(trail["rows"][2]["actor"], "grace@example.com");
    // In sentences, naming the member by her e-mail rather than her id.
    let summaries: Vec<&str> = trail["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["summary"].as_str().unwrap())
        .collect();
    assert_eq!(
        summaries[..4],
        [
            format!("{admin} removed grace@example.com from the company"),
            format!("{admin} changed the permission of grace@example.com from read and write to read only"),
            "grace@example.com joined the company as read and write".to_owned(),
            format!("{admin} invited grace@example.com as read and write"),
        ],
        "{trail}"
    );
    assert!(
        trail["rows"][1]["details"]
            .as_array()
            .unwrap()
            .contains(&json!("Permission: read and write → read only")),
        "{trail}"
    );
    // A filter keeps one kind of change; one not known keeps everything.
    let team_only = boss
        .call("audit_trail", &[("app", &a), ("show", "team")])
        .await
        .json();
    assert_eq!(
        team_only["rows"].as_array().unwrap().len(),
        4,
        "{team_only}"
    );
    let company = boss
        .call("audit_trail", &[("app", &a), ("show", "company")])
        .await
        .json();
    assert_eq!(company["rows"].as_array().unwrap().len(), 1, "{company}");
    assert_eq!(company["rows"][0]["action"], "application.created");
    let unknown = boss
        .call("audit_trail", &[("app", &a), ("show", "nonsense")])
        .await
        .json();
    assert_eq!(unknown["rows"].as_array().unwrap().len(), 5, "{unknown}");
    assert_refused(&grace.call("audit_trail", &[("app", &other)]).await, 403);
}

async fn a_portal_link_change_is_audited_with_the_host_products_user(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    let mut b = link_signed_in(&app, &a, json!({ "sessionId": "host-user-42" })).await;
    let r = b
        .call(
            "create_endpoint",
            &[
                ("app", &a),
                ("url", "https://93.184.215.14/hook"),
                ("description", "ours"),
                ("all_events", "on"),
            ],
        )
        .await;
    assert!(
        r.status == 200 || r.status == 302 || r.status == 303,
        "{r:?}"
    );
    let trail = app
        .get(&format!("/api/v1/audit?appId={a}"))
        .await
        .expect(200);
    let entry = &trail["data"][0];
    assert_eq!(entry["action"], "endpoint.created", "{trail}");
    assert_eq!(entry["actor"]["kind"], "portal_link");
    assert_eq!(entry["actor"]["id"], "host-user-42");
    assert_eq!(
        entry["actor"]["name"],
        "portal link (host user host-user-42)"
    );
    assert_eq!(entry["changes"]["url"], "https://93.184.215.14/hook");

    // The company's admin reads it in sentences, the endpoint named by its URL, even after it
    // is deleted.
    let ep = entry["target"].as_str().unwrap().to_owned();
    app.post(
        &format!("/api/v1/app/{a}/endpoint/{ep}/secret/rotate"),
        json!({}),
    )
    .await
    .expect(200);
    let (mut admin, _) =
        crate::common::user_signed_in(&app, &["--tenant", &a, "--permission", "admin"]).await;
    let summaries = |trail: &serde_json::Value| -> Vec<String> {
        trail["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["summary"].as_str().unwrap().to_owned())
            .collect()
    };
    let trail = admin.call("audit_trail", &[("app", &a)]).await.json();
    assert_eq!(
        summaries(&trail)[..2],
        [
            "API key \"bootstrap\" rotated the signing secret of https://93.184.215.14/hook",
            "Portal link (host user host-user-42) added the endpoint https://93.184.215.14/hook",
        ],
        "{trail}"
    );
    app.delete(&format!("/api/v1/app/{a}/endpoint/{ep}"))
        .await
        .expect(204);
    let trail = admin
        .call("audit_trail", &[("app", &a), ("show", "endpoints")])
        .await
        .json();
    assert_eq!(
        summaries(&trail),
        [
            "API key \"bootstrap\" deleted the endpoint https://93.184.215.14/hook",
            "API key \"bootstrap\" rotated the signing secret of https://93.184.215.14/hook",
            "Portal link (host user host-user-42) added the endpoint https://93.184.215.14/hook",
        ],
        "{trail}"
    );
}
