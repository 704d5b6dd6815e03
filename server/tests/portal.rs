//! The portal's rules, checked over HTTP against the real app: magic links work once and in
//! time, sessions carry the right permission, every server function enforces it, other
//! companies' ids are not found, and browser writes from other sites are refused.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Backend, Receiver, TestApp};
use serde_json::{json, Value};
use std::time::Duration;

on_both_backends!(
    a_magic_link_opens_the_portal_once_and_then_shows_the_expired_page,
    a_link_used_after_its_time_is_refused,
    a_read_only_session_sees_everything_and_changes_nothing,
    a_writer_can_do_every_change_the_portal_offers,
    another_companys_ids_are_not_found,
    writes_from_another_site_are_refused,
    a_form_posted_without_javascript_comes_back_with_its_error_shown,
    expire_all_ends_the_companys_sessions,
    password_sign_in_checks_the_password_and_limits_failures,
    a_members_permission_comes_from_the_membership,
    with_delivery_switched_off_the_portal_changes_nothing,
    at_its_plans_endpoint_limit_a_company_is_told_why_it_cannot_add_one,
);

/// A browser stand-in: one cookie jar entry, our Origin on writes, no redirect following.
struct Browser {
    base: String,
    client: reqwest::Client,
    cookie: Option<String>,
}

#[derive(Debug)]
struct Answer {
    status: u16,
    location: Option<String>,
    set_cookie: Vec<String>,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

impl Browser {
    fn new(app: &TestApp) -> Browser {
        Browser {
            base: app.base.clone(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
            cookie: None,
        }
    }

    async fn answer(&mut self, rb: reqwest::RequestBuilder) -> Answer {
        let rb = match &self.cookie {
            Some(c) => rb.header("cookie", format!("herald_session={c}")),
            None => rb,
        };
        let res = rb.send().await.expect("request to herald");
        let status = res.status().as_u16();
        let location = res
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        let set_cookie: Vec<String> = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        for c in &set_cookie {
            if let Some(v) = c
                .strip_prefix("herald_session=")
                .and_then(|r| r.split(';').next())
            {
                self.cookie = (!v.is_empty()).then(|| v.to_owned());
            }
        }
        let body = res.text().await.unwrap();
        Answer {
            status,
            location,
            set_cookie,
            body,
        }
    }

    async fn get(&mut self, url: &str) -> Answer {
        let url = if url.starts_with("http") {
            url.to_owned()
        } else {
            format!("{}{url}", self.base)
        };
        let rb = self.client.get(url);
        self.answer(rb).await
    }

    /// Calls a portal server function the way the hydrated page does.
    async fn call(&mut self, name: &str, form: &[(&str, &str)]) -> Answer {
        let rb = self
            .client
            .post(format!("{}/portal/fn/{name}", self.base))
            .header("origin", self.base.clone())
            .header("accept", "application/json")
            .form(form);
        self.answer(rb).await
    }

    async fn open_link(&mut self, url: &str) -> Answer {
        self.get(url).await
    }
}

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

async fn signed_in(app: &TestApp, a: &str, body: Value) -> Browser {
    let url = mint(app, a, body).await;
    let mut b = Browser::new(app);
    let r = b.open_link(&url).await;
    assert_eq!(r.status, 303, "{r:?}");
    assert!(b.cookie.is_some(), "no session cookie: {r:?}");
    b
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
    tokio::time::sleep(Duration::from_millis(1300)).await;
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
    let mut b = signed_in(&app, &a, json!({ "readOnly": true })).await;

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
            "recover",
            vec![("app", &a), ("endpoint", &ep), ("since", "1h")],
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
    let mut viewer = signed_in(&app, &a, json!({ "capabilities": ["ViewBase"] })).await;
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
    let mut b = signed_in(&app, &a, json!({})).await;

    // Bad input is a 422 naming the field, and creates nothing.
    let r = b
        .call(
            "create_endpoint",
            &[
                ("app", &a),
                ("url", "not a url"),
                ("description", ""),
                ("all_events", "on"),
            ],
        )
        .await;
    assert_refused(&r, 422);
    assert!(r.body.contains("url"), "{r:?}");
    let r = b
        .call(
            "create_endpoint",
            &[("app", &a), ("url", &rx.url("/hook")), ("description", "")],
        )
        .await;
    assert_refused(&r, 422);
    assert!(r.body.contains("Events"), "{r:?}");

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
            "recover",
            &[("app", &a), ("endpoint", &ep), ("since", "sometime")],
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
    let mut b = signed_in(&app, &a, json!({})).await;
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
    let mut b = signed_in(&app, &a, json!({})).await;
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
    let mut alice = signed_in(&app, &a, json!({ "sessionId": "alice" })).await;
    let mut bob = signed_in(&app, &a, json!({ "sessionId": "bob" })).await;
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

fn create_user(app: &TestApp, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_herald"))
        .args(["user", "create"])
        .args(args)
        .env("HERALD_DATABASE_URL", &app.db.url)
        .env("HERALD_DATA_DIR", app.db.dir.path())
        .env("HERALD_LOG_FORMAT", "text")
        .output()
        .unwrap()
}

async fn password_sign_in_checks_the_password_and_limits_failures(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    let email = format!("ada-{}@example.com", common::random_hex(4));
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
    let email = format!("reader-{}@example.com", common::random_hex(4));
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
    let r = b
        .call(
            "create_endpoint",
            &[
                ("app", &a),
                ("url", "https://93.184.215.14/x"),
                ("description", ""),
                ("all_events", "on"),
            ],
        )
        .await;
    assert_refused(&r, 403);
    assert_refused(&b.call("list_endpoints", &[("app", &other)]).await, 404);
}

async fn with_delivery_switched_off_the_portal_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend, &[("DELIVERY_ENABLED", "false")]).await;
    let a = app.create_app("Acme").await;
    let mut b = signed_in(&app, &a, json!({})).await;
    let r = b
        .call(
            "create_endpoint",
            &[
                ("app", &a),
                ("url", "https://93.184.215.14/x"),
                ("description", ""),
                ("all_events", "on"),
            ],
        )
        .await;
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
    let mut b = signed_in(&app, &a, json!({})).await;
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
    let page = b.get(&back).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"role="alert""#), "{}", page.body);
    assert!(
        page.body.contains("url:"),
        "the error does not name the field: {}",
        page.body
    );
    let eps = app
        .get(&format!("/api/v1/app/{a}/endpoint"))
        .await
        .expect(200);
    assert!(eps["data"].as_array().unwrap().is_empty());
}

async fn at_its_plans_endpoint_limit_a_company_is_told_why_it_cannot_add_one(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    app.put(&format!("/api/v1/app/{a}/plan"), json!({ "plan": "Basic" }))
        .await
        .expect(200);
    let mut b = signed_in(&app, &a, json!({})).await;

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
