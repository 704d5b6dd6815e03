//! Security defects of issue 11, each checked over HTTP against the real app: server functions
//! answer malformed and oversized requests with 4xx before any auth check, unknown invites are
//! not found, tokens never reach the log, the load generator leaves other databases alone, and a
//! read-only portal user sees credential headers only redacted.

use crate::common::{
    link_signed_in, user_signed_in, Backend, Browser, Receiver, TestApp, TestDb, PG_ADMIN_URL,
};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

on_both_backends!(
    a_server_function_call_missing_its_fields_is_a_bad_request_even_without_a_session,
    a_server_function_call_that_is_not_a_utf8_form_is_a_bad_request,
    an_oversized_server_function_call_is_refused_as_too_large,
    an_unknown_invite_is_not_found,
    magic_link_and_invite_tokens_never_reach_the_log_even_at_debug,
    a_read_only_portal_user_sees_credential_headers_only_redacted,
    a_nul_in_a_server_function_field_is_a_bad_request_naming_it,
);

/// A server-function call as a script would make it: our Origin (so CSRF lets it through), no
/// session, and the body and content type given.
async fn post_raw(
    app: &TestApp,
    path: &str,
    content_type: Option<&str>,
    body: reqwest::Body,
) -> (u16, String) {
    let mut rb = app
        .client
        .post(app.url(path))
        .header("origin", app.base.clone())
        .header("accept", "application/json");
    if let Some(ct) = content_type {
        rb = rb.header("content-type", ct);
    }
    let res = rb.body(body).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap_or_default())
}

/// A form of `size` bytes sent over a plain socket, with a Content-Length or (`chunked`) without
/// one; returns the status code. The server may answer and close before everything is sent,
/// which an HTTP client reports as an error, not as the answer.
async fn post_large(app: &TestApp, path: &str, size: usize, chunked: bool) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let length = if chunked {
        "Transfer-Encoding: chunked".to_owned()
    } else {
        format!("Content-Length: {size}")
    };
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nOrigin: {}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\n{length}\r\n\
         Connection: close\r\n\r\n",
        app.addr, app.base
    );
    s.write_all(head.as_bytes()).await.unwrap();
    const CHUNK: usize = 8 * 1024;
    let mut left = size;
    while left > 0 {
        let n = left.min(CHUNK);
        let data = "x".repeat(n);
        let piece = if chunked {
            format!("{n:x}\r\n{data}\r\n")
        } else {
            data
        };
        if s.write_all(piece.as_bytes()).await.is_err() {
            break;
        }
        left -= n;
    }
    if chunked {
        let _ = s.write_all(b"0\r\n\r\n").await;
    }
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    let status = answer.split(' ').nth(1).unwrap_or_default();
    status
        .parse()
        .unwrap_or_else(|_| panic!("no status in {answer:?}"))
}

const FORM: Option<&str> = Some("application/x-www-form-urlencoded");

async fn a_server_function_call_missing_its_fields_is_a_bad_request_even_without_a_session(
    backend: Backend,
) {
    let app = TestApp::spawn(backend, &[]).await;
    for path in [
        "/portal/fn/list_endpoints",
        "/portal/fn/create_endpoint",
        "/portal/fn/accept_invite",
        "/portal/fn/login",
        "/admin/fn/set_tenant_state",
    ] {
        let (status, body) = post_raw(&app, path, FORM, "".into()).await;
        assert_eq!(status, 400, "{path} with no fields: {body}");
        let (status, body) = post_raw(&app, path, FORM, "garbage&%%%=&&".into()).await;
        assert_eq!(status, 400, "{path} with a garbage form: {body}");
    }
    // The same call, well formed, reaches the auth check.
    let (status, body) =
        post_raw(&app, "/portal/fn/list_endpoints", FORM, "app=app_x".into()).await;
    assert_eq!(status, 401, "{body}");
    let (status, body) = post_raw(&app, "/admin/fn/tenants", FORM, "q=".into()).await;
    assert_eq!(status, 401, "{body}");
}

async fn a_server_function_call_that_is_not_a_utf8_form_is_a_bad_request(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    let mut b = link_signed_in(&app, &a, serde_json::json!({})).await;
    for path in ["/portal/fn/list_endpoints", "/admin/fn/tenants"] {
        let json = format!(r#"{{"app":"{a}"}}"#);
        let (status, body) = post_raw(&app, path, Some("application/json"), json.into()).await;
        assert_eq!(status, 400, "{path} as JSON: {body}");
        let (status, body) = post_raw(&app, path, Some("text/plain"), "app=x".into()).await;
        assert_eq!(status, 400, "{path} as text: {body}");
        let garbage: Vec<u8> = vec![b'a', b'p', b'p', b'=', 0xff, 0xfe, 0x00, 0xc3];
        let (status, body) = post_raw(&app, path, FORM, garbage.into()).await;
        assert_eq!(status, 400, "{path} not UTF-8: {body}");
    }
    // A signed-in session's good call still works.
    let r = b.call("list_endpoints", &[("app", &a)]).await;
    assert_eq!(r.status, 200, "{r:?}");
}

async fn an_oversized_server_function_call_is_refused_as_too_large(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let portal = "/portal/fn/list_endpoints";
    assert_eq!(post_large(&app, portal, 200 * 1024, false).await, 413);
    // Without a Content-Length the body is cut off while it is read.
    assert_eq!(post_large(&app, portal, 200 * 1024, true).await, 413);
    let admin = "/admin/fn/import_catalogue";
    assert_eq!(post_large(&app, admin, 9 * 1024 * 1024, false).await, 413);
    assert_eq!(post_large(&app, admin, 9 * 1024 * 1024, true).await, 413);
    // Under the limit the same body is only malformed: it has no `app` field.
    assert_eq!(post_large(&app, portal, 32 * 1024, false).await, 400);
}

async fn an_unknown_invite_is_not_found(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let mut b = Browser::new(&app);
    let r = b.call("invite_offer", &[("token", "no-such-invite")]).await;
    assert_eq!(r.status, 404, "{r:?}");
    let r = b
        .call(
            "accept_invite",
            &[
                ("token", "no-such-invite"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(r.status, 404, "{r:?}");
    let page = b.get("/invite/no-such-invite").await;
    assert!(page.body.contains("cannot be used"), "{}", page.body);
    // A signed-in user gets the same answer.
    let a = app.create_app("Acme").await;
    let (mut admin, _) = user_signed_in(&app, &["--tenant", &a, "--permission", "admin"]).await;
    let r = admin
        .call("invite_offer", &[("token", "no-such-invite")])
        .await;
    assert_eq!(r.status, 404, "{r:?}");
}

async fn magic_link_and_invite_tokens_never_reach_the_log_even_at_debug(backend: Backend) {
    let db = Arc::new(TestDb::create(backend).await);
    let app = TestApp::spawn_process(backend, db.clone(), &[("LOG", "debug")]).await;
    let a = app.create_app("Acme").await;

    let link = app
        .post(&format!("/api/v1/auth/app-portal-access/{a}"), json!({}))
        .await
        .expect(200);
    let magic = link["token"].as_str().unwrap().to_owned();
    let mut b = Browser::new(&app);
    let r = b.open_link(link["url"].as_str().unwrap()).await;
    assert_eq!(r.status, 303, "{r:?}");
    // A used link is refused, through the same route.
    let r = Browser::new(&app)
        .open_link(link["url"].as_str().unwrap())
        .await;
    assert_eq!(r.location.as_deref(), Some("/portal/expired"), "{r:?}");

    let (mut admin, _) = user_signed_in(&app, &["--tenant", &a, "--permission", "admin"]).await;
    let r = admin
        .call(
            "invite_user",
            &[
                ("app", &a),
                ("email", "grace@example.com"),
                ("permission", "integration.read"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let invite_link = r.json()["link"].as_str().unwrap().to_owned();
    let invite = invite_link.rsplit('/').next().unwrap().to_owned();
    let mut grace = Browser::new(&app);
    let page = grace.get(&format!("/invite/{invite}")).await;
    assert_eq!(page.status, 200);
    let r = grace.call("invite_offer", &[("token", &invite)]).await;
    assert_eq!(r.status, 200, "{r:?}");
    let r = grace
        .call(
            "accept_invite",
            &[("token", &invite), ("password", "grace hopper 1906")],
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let r = grace.call("invite_offer", &[("token", &invite)]).await;
    assert_eq!(r.status, 404, "{r:?}");

    app.kill();
    let log = std::fs::read_to_string(db.dir.path().join("herald.log")).unwrap();
    // The requests were logged (at debug), so the test looks at the lines that would hold them.
    assert!(log.contains("/portal/access"), "no request lines: {log}");
    assert!(log.contains("/invite/"), "no request lines: {log}");
    for (what, token) in [("magic link", &magic), ("invite", &invite)] {
        assert!(
            !log.contains(token.as_str()),
            "the {what} token is in the log:\n{}",
            log.lines()
                .filter(|l| l.contains(token.as_str()))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

fn header_value<'a>(headers: &'a Value, name: &str) -> &'a str {
    headers
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h[0].as_str().unwrap().eq_ignore_ascii_case(name))
        .unwrap_or_else(|| panic!("no {name} in {headers}"))[1]
        .as_str()
        .unwrap()
}

async fn a_read_only_portal_user_sees_credential_headers_only_redacted(backend: Backend) {
    const TOKEN: &str = "shpat_0123456789abcdef";
    const SECRET: &str = "client-secret-value-42";
    let app = TestApp::spawn(backend, &[]).await;
    let receiver = Receiver::start().await;
    let a = app.create_app("Acme").await;
    app.create_event_type("order.paid").await;
    let ep = app
        .create_endpoint(
            &a,
            &receiver.url("/hook"),
            json!({ "headers": {
                "X-Shopify-Access-Token": TOKEN,
                "X-Client-Secret": SECRET,
                "X-Tenant": "tenant-42",
            }}),
        )
        .await;
    app.send(&a, "order.paid", json!({ "n": 1 })).await;
    let got = receiver.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(got[0].header("x-shopify-access-token"), TOKEN);

    let mut b = link_signed_in(&app, &a, json!({ "readOnly": true })).await;
    // The receiver has it; the drain returns once its result is recorded.
    app.drain().await;
    let page = b.call("list_attempts", &[("app", &a)]).await.json();
    let attempt = page["rows"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no attempt recorded: {page}"))
        .to_owned();

    let check = |detail: &Value| {
        let headers = &detail["request_headers"];
        assert_eq!(
            header_value(headers, "X-Shopify-Access-Token"),
            "<redacted>"
        );
        assert_eq!(header_value(headers, "X-Client-Secret"), "<redacted>");
        assert_eq!(header_value(headers, "X-Tenant"), "tenant-42");
        let text = detail.to_string();
        assert!(!text.contains(TOKEN) && !text.contains(SECRET), "{text}");
    };
    let r = b
        .call("get_attempt", &[("app", &a), ("attempt", &attempt)])
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    check(&r.json());

    // An attempt recorded before the worker redacted headers still shows them redacted.
    let raw = json!({
        "X-Shopify-Access-Token": TOKEN,
        "X-Client-Secret": SECRET,
        "X-Tenant": "tenant-42",
    });
    let sql = format!(
        "UPDATE attempts SET request_headers = '{raw}', \
         response_headers = '{{\"Set-Cookie\": \"{SECRET}\"}}' WHERE id = '{attempt}'"
    );
    app.db.execute(&sql).await;
    let r = b
        .call("get_attempt", &[("app", &a), ("attempt", &attempt)])
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    check(&r.json());

    // The endpoint's own page shows no header values at all.
    let r = b
        .call("get_endpoint", &[("app", &a), ("endpoint", &ep)])
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert!(
        !r.body.contains(TOKEN) && !r.body.contains(SECRET),
        "{}",
        r.body
    );
}

/// The load generator is not in the shipped binary, and on PostgreSQL it works in a database of
/// its own: the one its URL names keeps its tables.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_load_generator_leaves_the_database_it_is_given_alone() {
    use sqlx::Connection;
    let db = TestDb::create(Backend::Postgres).await;
    let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
    sqlx::query("CREATE TABLE marker (note TEXT)")
        .execute(&mut c)
        .await
        .unwrap();
    sqlx::query("INSERT INTO marker VALUES ('keep me')")
        .execute(&mut c)
        .await
        .unwrap();

    let run = |bin: &'static str, args: Vec<String>| {
        tokio::task::spawn_blocking(move || {
            let mut cmd = std::process::Command::new(bin);
            for (k, _) in std::env::vars() {
                if k.starts_with("HERALD_") {
                    cmd.env_remove(k);
                }
            }
            cmd.args(args).output().unwrap()
        })
    };
    let url = db.url.clone();
    let shipped = run(
        env!("CARGO_BIN_EXE_herald"),
        vec!["bench".into(), "--database-url".into(), url.clone()],
    )
    .await
    .unwrap();
    assert!(!shipped.status.success(), "herald bench still runs");

    let args = ["-n", "20", "-e", "1", "-c", "4", "--timeout-secs", "60"];
    let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    args.extend(["--database-url".to_owned(), url]);
    let out = run(env!("CARGO_BIN_EXE_herald-bench"), args).await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("missing:     0"), "{stdout}");

    let note: (String,) = sqlx::query_as("SELECT note FROM marker")
        .fetch_one(&mut c)
        .await
        .unwrap();
    assert_eq!(note.0, "keep me");
    let tables: Vec<(String,)> =
        sqlx::query_as("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'")
            .fetch_all(&mut c)
            .await
            .unwrap();
    assert_eq!(
        tables,
        vec![("marker".to_owned(),)],
        "the bench migrated into it"
    );
    c.close().await.unwrap();

    // Its own database is gone afterwards.
    let scratch = stderr
        .split("scratch database, ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("no scratch database named: {stderr}"))
        .to_owned();
    let mut admin = sqlx::PgConnection::connect(PG_ADMIN_URL).await.unwrap();
    let left: Option<(String,)> =
        sqlx::query_as("SELECT datname::text FROM pg_database WHERE datname = $1")
            .bind(&scratch)
            .fetch_optional(&mut admin)
            .await
            .unwrap();
    assert_eq!(left, None, "{scratch} was not dropped");
    admin.close().await.unwrap();
}

async fn a_nul_in_a_server_function_field_is_a_bad_request_naming_it(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    // The sign-in form, before any session: PostgreSQL cannot store or compare a NUL.
    let mut nobody = Browser::new(&app);
    let r = nobody
        .call(
            "login",
            &[("email", "ada\0@example.com"), ("password", "secret")],
        )
        .await;
    assert_eq!(r.status, 400, "{r:?}");
    assert!(r.body.contains("email"), "names the field: {r:?}");
    // And a signed-in call: nothing is sent or stored.
    let mut b = link_signed_in(&app, &a, json!({})).await;
    let r = b
        .call(
            "send_test_event",
            &[("app", &a), ("endpoint", "ep\0x"), ("event_type", "x")],
        )
        .await;
    assert_eq!(r.status, 400, "{r:?}");
    assert!(r.body.contains("endpoint"), "names the field: {r:?}");
    let msgs = app.get(&format!("/api/v1/app/{a}/msg")).await.expect(200);
    assert_eq!(msgs["data"].as_array().map(Vec::len), Some(0), "{msgs}");
}
