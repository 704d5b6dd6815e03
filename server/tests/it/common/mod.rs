//! The integration-test harness: a real Herald on a fresh database (SQLite file or PostgreSQL),
//! a real HTTP receiver that records what it gets and answers from a script, and a Standard
//! Webhooks verifier written from the specification (it does not call Herald's signer).
#![allow(dead_code, clippy::unwrap_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::collections::{BTreeMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const API_KEY: &str = "hk_test_0123456789abcdefghijklmnop";
pub const PG_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Generates `mod $name { on_sqlite, on_postgres }`, each calling `$name(Backend)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_sqlite() {
                    super::$name($crate::common::Backend::Sqlite).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_postgres() {
                    super::$name($crate::common::Backend::Postgres).await
                }
            }
        )*
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty database that is removed when dropped.
pub struct TestDb {
    pub url: String,
    pub dir: tempfile::TempDir,
    pg_name: Option<String>,
}

impl TestDb {
    pub async fn create(backend: Backend) -> TestDb {
        let dir = tempfile::tempdir().expect("tempdir");
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", dir.path().join("herald.db").display());
                TestDb {
                    url,
                    dir,
                    pg_name: None,
                }
            }
            Backend::Postgres => {
                use sqlx::Connection;
                let name = format!("herald_test_{}", random_hex(8));
                let mut conn = sqlx::PgConnection::connect(PG_ADMIN_URL)
                    .await
                    .expect("PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth)");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create database");
                let _ = conn.close().await;
                let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
                TestDb {
                    url,
                    dir,
                    pg_name: Some(name),
                }
            }
        }
    }
}

impl TestDb {
    /// Runs one SQL statement on the database, for tests that damage what the app stored.
    pub async fn execute(&self, sql: &str) {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&self.url)
            .await
            .expect("connect to the test database");
        sqlx::query(sql)
            .execute(&mut conn)
            .await
            .expect("run the statement");
    }
}

impl TestDb {
    /// One whole number the database computes (a count, a state), to wait for a recorded state.
    pub async fn scalar(&self, sql: &str) -> i64 {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&self.url)
            .await
            .expect("connect to the test database");
        let v: Option<i64> = sqlx::query_scalar(sql)
            .fetch_one(&mut conn)
            .await
            .expect("run the query");
        let _ = conn.close().await;
        v.unwrap_or(0)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            // Async drop is not a thing: a short-lived runtime on its own thread removes it.
            let t = std::thread::spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                rt.block_on(async move {
                    use sqlx::Connection;
                    if let Ok(mut conn) = sqlx::PgConnection::connect(PG_ADMIN_URL).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut conn)
                                .await;
                        let _ = conn.close().await;
                    }
                });
            });
            let _ = t.join();
        }
    }
}

pub fn random_hex(bytes: usize) -> String {
    use rand::RngCore;
    let mut b = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The configuration every test starts from; `extra` overrides it.
pub fn config_values(db: &TestDb, extra: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut v: BTreeMap<String, String> = [
        ("BIND", "127.0.0.1:0".to_owned()),
        ("DATABASE_URL", db.url.clone()),
        ("DATA_DIR", db.dir.path().display().to_string()),
        ("ALLOW_PRIVATE_NETWORKS", "true".to_owned()),
        ("BOOTSTRAP_API_KEY", API_KEY.to_owned()),
        ("RETRY_SCHEDULE", "100ms,200ms".to_owned()),
        ("REQUEST_TIMEOUT", "5s".to_owned()),
        ("WORKER_CONCURRENCY", "16".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    for (k, val) in extra {
        v.insert((*k).to_owned(), (*val).to_owned());
    }
    v
}

/// A running Herald; stopped (and its database dropped) when this is dropped.
pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub client: reqwest::Client,
    pub backend: Backend,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    child: Option<std::process::Child>,
    /// The in-process app's delivery worker, which [`TestApp::drain`] drives.
    worker: Option<Arc<herald::delivery::Worker>>,
    // Last: dropped after the server.
    pub db: Arc<TestDb>,
}

/// One answer of the API.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
    /// The body as received.
    pub bytes: Vec<u8>,
}

impl Resp {
    #[track_caller]
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.body
        );
        self.body
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend, extra: &[(&str, &str)]) -> TestApp {
        let db = Arc::new(TestDb::create(backend).await);
        Self::spawn_on(backend, db, extra).await
    }

    /// Another instance on an existing database (PostgreSQL scale-out tests).
    pub async fn spawn_on(backend: Backend, db: Arc<TestDb>, extra: &[(&str, &str)]) -> TestApp {
        let config =
            herald::config::Config::from_values(config_values(&db, extra)).expect("test config");
        let app = herald::startup::Application::build(config)
            .await
            .expect("build application");
        let addr = app.address();
        let worker = app.worker();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let handle = tokio::spawn(app.run_until(async move {
            let _ = rx.await;
        }));
        TestApp {
            addr,
            base: format!("http://{addr}"),
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("client"),
            backend,
            shutdown: Some(tx),
            handle: Some(handle),
            child: None,
            worker: Some(worker),
            db,
        }
    }

    /// The real binary (`herald serve`) as a child process on `db`, configured through
    /// `HERALD_*` variables; returns once it answers.
    pub async fn spawn_process(
        backend: Backend,
        db: Arc<TestDb>,
        extra: &[(&str, &str)],
    ) -> TestApp {
        Self::spawn_process_with_env(backend, db, extra, &[]).await
    }

    /// [`TestApp::spawn_process`] with other environment variables set for the child only
    /// (`HTTP_PROXY` and the like: setting them in the test process would reach every test).
    pub async fn spawn_process_with_env(
        backend: Backend,
        db: Arc<TestDb>,
        extra: &[(&str, &str)],
        env: &[(&str, &str)],
    ) -> TestApp {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let bind = format!("127.0.0.1:{port}");
        let mut values = config_values(&db, extra);
        values.insert("BIND".into(), bind.clone());
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(db.dir.path().join("herald.log"))
            .expect("log file");
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_herald"));
        cmd.arg("serve")
            .current_dir(db.dir.path())
            .stdin(std::process::Stdio::null())
            .stdout(log.try_clone().expect("log file"))
            .stderr(log);
        for (k, _) in std::env::vars() {
            if k.starts_with("HERALD_") {
                cmd.env_remove(k);
            }
        }
        for (k, v) in &values {
            cmd.env(format!("HERALD_{k}"), v);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("start the herald binary");
        let addr: SocketAddr = bind.parse().expect("address");
        let app = TestApp {
            addr,
            base: format!("http://{addr}"),
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("client"),
            backend,
            shutdown: None,
            handle: None,
            child: Some(child),
            worker: None,
            db,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(r) = app.client.get(app.url("/api/v1/health/ping")).send().await {
                if r.status().as_u16() < 500 {
                    return app;
                }
            }
            if Instant::now() > deadline {
                let log = std::fs::read_to_string(app.db.dir.path().join("herald.log"))
                    .unwrap_or_default();
                panic!("the herald binary did not start; its log:\n{log}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL for a child process: no graceful anything.
    pub fn kill(mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Stops serving and lets the workers finish or release their work.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), h).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Drives the delivery worker until nothing is due now and nothing it claimed is still in
    /// flight: after this, whatever was going to arrive has arrived, so a test counts instead
    /// of sleeping. Returns how many deliveries the drain itself handled. In-process apps only.
    pub async fn drain(&self) -> usize {
        self.worker
            .as_ref()
            .expect("drain needs an in-process app (TestApp::spawn)")
            .drain()
            .await
            .expect("draining the delivery queue")
    }

    /// An authorized request; `body` is sent as JSON when present.
    pub async fn request(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let mut rb = self
            .client
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).expect("method"),
                self.url(path),
            )
            .bearer_auth(API_KEY);
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        into_resp(rb.send().await.expect("request to herald")).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.request("GET", path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.request("POST", path, Some(body)).await
    }
    pub async fn put(&self, path: &str, body: Value) -> Resp {
        self.request("PUT", path, Some(body)).await
    }
    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        self.request("PATCH", path, Some(body)).await
    }
    pub async fn delete(&self, path: &str) -> Resp {
        self.request("DELETE", path, None).await
    }

    /// A request with raw bytes and chosen headers, no Authorization unless given.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Resp {
        let mut rb = self.client.request(
            reqwest::Method::from_bytes(method.as_bytes()).expect("method"),
            self.url(path),
        );
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        into_resp(rb.body(body).send().await.expect("request to herald")).await
    }

    pub async fn create_app(&self, name: &str) -> String {
        let b = self
            .post("/api/v1/app", json!({ "name": name }))
            .await
            .expect(201);
        b["id"].as_str().expect("app id").to_owned()
    }

    pub async fn create_event_type(&self, name: &str) {
        self.post(
            "/api/v1/event-type",
            json!({ "name": name, "description": format!("{name} happened") }),
        )
        .await
        .expect(201);
    }

    /// Creates an endpoint; `extra` fields are merged into the body. Returns its id.
    pub async fn create_endpoint(&self, app: &str, url: &str, extra: Value) -> String {
        let mut body = json!({ "url": url, "description": "test endpoint" });
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        let b = self
            .post(&format!("/api/v1/app/{app}/endpoint"), body)
            .await
            .expect(201);
        b["id"].as_str().expect("endpoint id").to_owned()
    }

    pub async fn endpoint_secret(&self, app: &str, ep: &str) -> String {
        let b = self
            .get(&format!("/api/v1/app/{app}/endpoint/{ep}/secret"))
            .await
            .expect(200);
        b["key"].as_str().expect("secret key").to_owned()
    }

    /// Sends a message; returns its id.
    pub async fn send(&self, app: &str, event_type: &str, payload: Value) -> String {
        let b = self
            .post(
                &format!("/api/v1/app/{app}/msg"),
                json!({ "eventType": event_type, "payload": payload }),
            )
            .await
            .expect(202);
        b["id"].as_str().expect("message id").to_owned()
    }

    /// Polls a GET until `pred` holds on its body, or panics after `timeout`.
    pub async fn poll_until(
        &self,
        path: &str,
        timeout: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            let r = self.get(path).await;
            if r.status == 200 && pred(&r.body) {
                return r.body;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out polling {path}; last answer {}: {}",
                    r.status, r.body
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            h.abort();
        }
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

async fn into_resp(r: reqwest::Response) -> Resp {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let bytes = r.bytes().await.expect("response body");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    Resp {
        status,
        body,
        headers,
        bytes: bytes.to_vec(),
    }
}

// ---------------------------------------------------------------------------------------------
// The receiver

/// How the receiver answers one request.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub retry_after: Option<String>,
    pub delay: Duration,
    /// The response body; "ok" when not set.
    pub body: Option<Vec<u8>>,
}

impl Reply {
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            retry_after: None,
            delay: Duration::ZERO,
            body: None,
        }
    }
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Reply {
        self.body = Some(body.into());
        self
    }
    pub fn retry_after(mut self, v: &str) -> Reply {
        self.retry_after = Some(v.to_owned());
        self
    }
    pub fn delay(mut self, d: Duration) -> Reply {
        self.delay = d;
        self
    }
}

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("delivered body is JSON")
    }
}

#[derive(Default)]
struct ReceiverState {
    requests: Mutex<Vec<Received>>,
    /// Rung on every request, so waits wake on arrivals instead of polling.
    arrived: tokio::sync::Notify,
    script: Mutex<VecDeque<Reply>>,
    default: Mutex<Option<Reply>>,
}

/// A local HTTP server standing in for a customer's endpoint.
#[derive(Clone)]
pub struct Receiver {
    pub addr: SocketAddr,
    state: Arc<ReceiverState>,
}

impl Receiver {
    /// Starts answering 200 to everything (change it with `script` and `default_reply`).
    pub async fn start() -> Receiver {
        let state = Arc::new(ReceiverState::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind receiver");
        let addr = listener.local_addr().expect("receiver address");
        let st = state.clone();
        let router = axum::Router::new().fallback(move |req: axum::extract::Request| {
            let st = st.clone();
            async move { handle(st, req).await }
        });
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Receiver { addr, state }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The next answers, in order; after them the default answer.
    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.state.script.lock().unwrap().extend(replies);
    }

    pub fn default_reply(&self, reply: Reply) {
        *self.state.default.lock().unwrap() = Some(reply);
    }

    pub fn requests(&self) -> Vec<Received> {
        self.state.requests.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.state.requests.lock().unwrap().len()
    }

    /// Waits until at least `n` requests arrived; panics after `timeout`.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        self.wait_for_matching(n, timeout, |_| true).await
    }

    /// Waits until at least `n` requests matching `pred` arrived; returns those.
    pub async fn wait_for_matching(
        &self,
        n: usize,
        timeout: Duration,
        pred: impl Fn(&Received) -> bool,
    ) -> Vec<Received> {
        let got = self
            .wait_until(timeout, |all| {
                let got: Vec<Received> = all.iter().filter(|r| pred(r)).cloned().collect();
                (got.len() >= n).then_some(got)
            })
            .await;
        got.unwrap_or_else(|| {
            let seen = self.requests();
            panic!(
                "timed out waiting for {n} requests; got {}: {:?}",
                seen.iter().filter(|r| pred(r)).count(),
                seen.iter().map(|r| &r.path).collect::<Vec<_>>()
            )
        })
    }

    /// Waits until `n` distinct messages (`webhook-id`) arrived; returns how often each did.
    pub async fn wait_for_distinct(&self, n: usize, timeout: Duration) -> BTreeMap<String, usize> {
        let counts = |all: &[Received]| {
            let mut by_id = BTreeMap::new();
            for r in all {
                *by_id.entry(r.header("webhook-id").to_owned()).or_insert(0) += 1;
            }
            by_id
        };
        self.wait_until(timeout, |all| Some(counts(all)).filter(|c| c.len() >= n))
            .await
            .unwrap_or_else(|| panic!("{} of {n} messages arrived", counts(&self.requests()).len()))
    }

    /// Checks `done` on the requests so far, and again on each arrival, until it answers or
    /// `timeout` passes (`None`).
    async fn wait_until<T>(
        &self,
        timeout: Duration,
        done: impl Fn(&[Received]) -> Option<T>,
    ) -> Option<T> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            // Registered before looking, so an arrival in between is not missed.
            let arrival = self.state.arrived.notified();
            tokio::pin!(arrival);
            arrival.as_mut().enable();
            if let Some(v) = done(&self.requests()) {
                return Some(v);
            }
            if tokio::time::timeout_at(deadline, arrival).await.is_err() {
                return None;
            }
        }
    }
}

async fn handle(st: Arc<ReceiverState>, req: axum::extract::Request) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, 16 * 1024 * 1024)
        .await
        .map(|b| b.to_vec())
        .unwrap_or_default();
    st.requests.lock().unwrap().push(Received {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        headers: parts.headers,
        body,
        at: Instant::now(),
    });
    st.arrived.notify_waiters();
    let reply = st
        .script
        .lock()
        .unwrap()
        .pop_front()
        .or_else(|| st.default.lock().unwrap().clone())
        .unwrap_or_else(|| Reply::status(200));
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let status = axum::http::StatusCode::from_u16(reply.status).expect("status");
    let mut resp = match reply.body {
        Some(b) => (status, b).into_response(),
        None => (status, "ok").into_response(),
    };
    if let Some(ra) = reply.retry_after {
        resp.headers_mut()
            .insert("retry-after", ra.parse().expect("header value"));
    }
    resp
}

// ---------------------------------------------------------------------------------------------
// Standard Webhooks verification, from the specification

/// How many of the `webhook-signature` entries verify with `secret` (`whsec_<base64>`).
/// Checks the required headers and that the timestamp is within five minutes of now.
pub fn matching_signatures(secret: &str, r: &Received) -> Result<usize, String> {
    let id = r.header("webhook-id");
    let ts = r.header("webhook-timestamp");
    let sigs = r.header("webhook-signature");
    if id.is_empty() || ts.is_empty() || sigs.is_empty() {
        return Err("missing webhook-id, webhook-timestamp or webhook-signature".into());
    }
    let ts_n: i64 = ts
        .parse()
        .map_err(|_| format!("webhook-timestamp '{ts}' is not an integer"))?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs() as i64;
    if (now - ts_n).abs() > 300 {
        return Err(format!("timestamp {ts_n} is too far from now {now}"));
    }
    let key = STANDARD
        .decode(
            secret
                .strip_prefix("whsec_")
                .ok_or("secret lacks the whsec_ prefix")?,
        )
        .map_err(|e| format!("secret is not base64: {e}"))?;
    let mut n = 0;
    for sig in sigs.split(' ') {
        let Some(b64) = sig.strip_prefix("v1,") else {
            continue;
        };
        let Ok(given) = STANDARD.decode(b64) else {
            continue;
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|e| e.to_string())?;
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(ts.as_bytes());
        mac.update(b".");
        mac.update(&r.body);
        if mac.verify_slice(&given).is_ok() {
            n += 1;
        }
    }
    Ok(n)
}

/// Panics unless exactly one signature verifies with `secret`.
#[track_caller]
pub fn assert_signed_by(secret: &str, r: &Received) {
    match matching_signatures(secret, r) {
        Ok(1) => {}
        Ok(n) => panic!(
            "{n} signatures verify with the secret (want 1): {}",
            r.header("webhook-signature")
        ),
        Err(e) => panic!("signature check failed: {e}"),
    }
}

/// The messages of a 422, joined, for checking that they name what is wrong.
pub fn validation_messages(body: &Value) -> String {
    body["detail"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["msg"].as_str())
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default()
}

/// A browser stand-in: one cookie jar entry, our Origin on writes, no redirect following.
pub struct Browser {
    pub base: String,
    pub client: reqwest::Client,
    pub cookie: Option<String>,
    /// The portal link's language, kept beside the session.
    pub locale_cookie: Option<String>,
}

#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub set_cookie: Vec<String>,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

impl Browser {
    pub fn new(app: &TestApp) -> Browser {
        Browser {
            base: app.base.clone(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
            cookie: None,
            locale_cookie: None,
        }
    }

    pub async fn answer(&mut self, rb: reqwest::RequestBuilder) -> Answer {
        let cookies: Vec<String> = [
            self.cookie.as_ref().map(|c| format!("herald_session={c}")),
            self.locale_cookie
                .as_ref()
                .map(|c| format!("herald_locale={c}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        let rb = if cookies.is_empty() {
            rb
        } else {
            rb.header("cookie", cookies.join("; "))
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
            if let Some(v) = c
                .strip_prefix("herald_locale=")
                .and_then(|r| r.split(';').next())
            {
                self.locale_cookie = (!v.is_empty()).then(|| v.to_owned());
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

    pub async fn get(&mut self, url: &str) -> Answer {
        let url = if url.starts_with("http") {
            url.to_owned()
        } else {
            format!("{}{url}", self.base)
        };
        let rb = self.client.get(url);
        self.answer(rb).await
    }

    /// A page asked for in the languages a browser set to `accept_language` prefers.
    pub async fn get_in(&mut self, url: &str, accept_language: &str) -> Answer {
        let rb = self
            .client
            .get(format!("{}{url}", self.base))
            .header("accept-language", accept_language);
        self.answer(rb).await
    }

    /// Calls an operator-console server function the way the hydrated page does.
    pub async fn call_admin(&mut self, name: &str, form: &[(&str, &str)]) -> Answer {
        let rb = self
            .client
            .post(format!("{}/admin/fn/{name}", self.base))
            .header("origin", self.base.clone())
            .header("accept", "application/json")
            .form(form);
        self.answer(rb).await
    }

    /// Calls a portal server function the way the hydrated page does.
    pub async fn call(&mut self, name: &str, form: &[(&str, &str)]) -> Answer {
        let rb = self
            .client
            .post(format!("{}/portal/fn/{name}", self.base))
            .header("origin", self.base.clone())
            .header("accept", "application/json")
            .form(form);
        self.answer(rb).await
    }

    pub async fn open_link(&mut self, url: &str) -> Answer {
        self.get(url).await
    }
}

/// A browser signed in to `app`'s portal by a magic link minted with `body` (the API's
/// app-portal-access options), as the host product would send its user.
pub async fn link_signed_in(app: &TestApp, a: &str, body: Value) -> Browser {
    let link = app
        .post(&format!("/api/v1/auth/app-portal-access/{a}"), body)
        .await
        .expect(200);
    let url = link["url"].as_str().expect("portal link url");
    assert!(url.contains("/portal/access?token="), "{url}");
    let mut b = Browser::new(app);
    let r = b.open_link(url).await;
    assert_eq!(r.status, 303, "{r:?}");
    assert!(b.cookie.is_some(), "no session cookie: {r:?}");
    b
}

/// Runs the `herald` command line with ARGS on the app's database.
pub fn herald_cli(app: &TestApp, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_herald"))
        .args(args)
        .env("HERALD_DATABASE_URL", &app.db.url)
        .env("HERALD_DATA_DIR", app.db.dir.path())
        .env("HERALD_LOG_FORMAT", "text")
        .output()
        .unwrap()
}

/// Runs `herald user create ARGS` on the app's database.
pub fn create_user(app: &TestApp, args: &[&str]) -> std::process::Output {
    let mut all = vec!["user", "create"];
    all.extend_from_slice(args);
    herald_cli(app, &all)
}

pub const USER_PASSWORD: &str = "a long enough password";

/// A new user, made on the command line with `role` (`--operator`, or `--tenant APP
/// --permission P`) and the password [`USER_PASSWORD`], signed in. Returns the browser and email.
pub async fn user_signed_in(app: &TestApp, role: &[&str]) -> (Browser, String) {
    let email = format!("user-{}@example.com", random_hex(4));
    let mut args = vec!["--email", &email, "--password", USER_PASSWORD];
    args.extend_from_slice(role);
    let out = create_user(app, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut b = Browser::new(app);
    let r = b
        .call("login", &[("email", &email), ("password", USER_PASSWORD)])
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    (b, email)
}

/// A real SMTP server, just enough of one: it accepts every message and keeps (recipient, data).
pub struct SmtpSink {
    pub port: u16,
    mails: Arc<Mutex<Vec<(String, String)>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let store = mails.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(smtp_session(stream, store.clone()));
            }
        });
        SmtpSink { port, mails }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Waits for `n` mails and returns them as (recipient, data with soft line breaks undone).
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<(String, String)> {
        let deadline = Instant::now() + timeout;
        loop {
            let got = self.mails.lock().unwrap().clone();
            if got.len() >= n || Instant::now() > deadline {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn smtp_session(stream: tokio::net::TcpStream, mails: Arc<Mutex<Vec<(String, String)>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let (r, mut w) = stream.into_split();
    let mut lines = BufReader::new(r).lines();
    let _ = w.write_all(b"220 sink ESMTP\r\n").await;
    let mut rcpt = String::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250-sink\r\n250 8BITMIME\r\n"
        } else if upper.starts_with("RCPT TO:") {
            rcpt = line[8..]
                .trim()
                .trim_matches(|c| c == '<' || c == '>')
                .to_owned();
            b"250 OK\r\n"
        } else if upper == "DATA" {
            let _ = w.write_all(b"354 go on\r\n").await;
            let mut data = String::new();
            while let Ok(Some(l)) = lines.next_line().await {
                if l == "." {
                    break;
                }
                data.push_str(&l);
                data.push('\n');
            }
            let data = data.replace("=\n", "");
            mails.lock().unwrap().push((rcpt.clone(), data));
            b"250 queued\r\n"
        } else if upper == "QUIT" {
            let _ = w.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"250 OK\r\n"
        };
        let _ = w.write_all(reply).await;
    }
}
