//! Each preset against its seed document. The checks here are written from the documents in
//! `shared/seeds/` (quoted where it matters), never by calling our signer: a host product's
//! customers verify with code like this, and it must keep passing when the product moves onto
//! Herald. The portal's verification snippets are run against the same deliveries.

use crate::common::{
    assert_signed_by, link_signed_in, Backend, Received, Receiver, Reply, TestApp,
};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::time::Duration;

on_both_backends!(
    fiskl_sends_its_envelope_signed_the_standard_webhooks_way,
    fiskil_signs_the_raw_body_with_the_decoded_secret_and_keeps_the_message_id,
    fiskil_refuses_plain_http_endpoints_in_production,
    invoice_maker_shows_a_hex_secret_once_and_sends_type_and_data,
    hisab_signs_timestamp_and_body_and_keeps_the_delivery_id_through_retries_and_replay,
    each_presets_catalogue_loads_on_a_fresh_deployment,
    a_secret_or_header_that_breaks_the_contract_is_refused_naming_it_and_changes_nothing,
);

const WAIT: Duration = Duration::from_secs(10);

fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().to_vec()
}

fn is_rfc3339(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

/// Runs each of the portal's verification snippets on a delivery, as a receiver would: the
/// delivery as received must pass, and the same delivery with one byte changed must not.
async fn snippets_verify(app: &TestApp, a: &str, secret: &str, r: &Received) {
    let mut b = link_signed_in(app, a, json!({})).await;
    let help = b.call("verify_help", &[("app", a)]).await;
    assert_eq!(help.status, 200, "{help:?}");
    let help = help.json();
    let snippets = help["snippets"].as_array().unwrap();
    assert_eq!(snippets.len(), 3, "{help}");
    let dir = tempfile::tempdir().unwrap();
    let headers: serde_json::Map<String, Value> = r
        .headers
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), json!(v.to_str().unwrap())))
        .collect();
    let headers_path = dir.path().join("headers.json");
    std::fs::write(&headers_path, Value::Object(headers).to_string()).unwrap();
    let body_path = dir.path().join("body");
    let mut tampered = r.body.clone();
    let last = tampered.len() - 2;
    tampered[last] ^= 1;
    let tampered_path = dir.path().join("tampered");
    std::fs::write(&body_path, &r.body).unwrap();
    std::fs::write(&tampered_path, &tampered).unwrap();
    for s in snippets {
        let (language, code) = (s[0].as_str().unwrap(), s[1].as_str().unwrap());
        if language == "Go" {
            go_snippet_verifies(code, secret, &headers_path, &body_path, &tampered_path);
            continue;
        }
        let (program, file, harness) = match language {
            "Node.js" => (
                "node",
                "verify.js",
                r#"
const fs = require("fs");
const [secret, h, b] = process.argv.slice(2);
console.log(verify(secret, JSON.parse(fs.readFileSync(h, "utf8")), fs.readFileSync(b)));
"#,
            ),
            "Python" => (
                "python3",
                "verify.py",
                r#"
import json, sys
secret, h, b = sys.argv[1:4]
print("true" if verify(secret, json.load(open(h)), open(b, "rb").read()) else "false")
"#,
            ),
            other => panic!("no runner for {other}"),
        };
        let path = dir.path().join(file);
        std::fs::write(&path, format!("{code}\n{harness}")).unwrap();
        for (body, want) in [(&body_path, "true"), (&tampered_path, "false")] {
            let out = std::process::Command::new(program)
                .arg(&path)
                .arg(secret)
                .arg(&headers_path)
                .arg(body)
                .output()
                .unwrap_or_else(|e| panic!("run {program}: {e}"));
            let said = String::from_utf8_lossy(&out.stdout);
            assert_eq!(
                said.trim(),
                want,
                "{language} snippet said {said} ({}):\n{code}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

/// The Go snippet as a program: built once, then run on the delivery and on the tampered copy.
fn go_snippet_verifies(
    code: &str,
    secret: &str,
    headers: &std::path::Path,
    body: &std::path::Path,
    tampered: &std::path::Path,
) {
    let dir = tempfile::tempdir().unwrap();
    let program = code.replacen(
        "package webhooks",
        "package main\n\nimport (\n\t\"encoding/json\"\n\t\"fmt\"\n\t\"os\"\n)",
        1,
    ) + r#"
func main() {
	var headers map[string]string
	h, _ := os.ReadFile(os.Args[2])
	if err := json.Unmarshal(h, &headers); err != nil {
		panic(err)
	}
	body, _ := os.ReadFile(os.Args[3])
	fmt.Println(verify(os.Args[1], headers, body))
}
"#;
    let src = dir.path().join("verify.go");
    std::fs::write(&src, &program).unwrap();
    let bin = dir.path().join("verify");
    let built = std::process::Command::new("go")
        .args(["build", "-o"])
        .arg(&bin)
        .arg(&src)
        .env("GOCACHE", std::env::temp_dir().join("herald-go-cache"))
        .env("GO111MODULE", "off")
        .output()
        .unwrap_or_else(|e| panic!("run go (scripts/setup.sh installs it): {e}"));
    assert!(
        built.status.success(),
        "the Go snippet does not build: {}\n{program}",
        String::from_utf8_lossy(&built.stderr)
    );
    for (file, want) in [(body, "true"), (tampered, "false")] {
        let out = std::process::Command::new(&bin)
            .arg(secret)
            .arg(headers)
            .arg(file)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            said.trim(),
            want,
            "Go snippet said {said} ({}):\n{code}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Seed 000: "Each message is a JSON object" `{id, type, createdAt, data}`, signed with the
/// endpoint's secret (Fiskl's portal is Standard Webhooks).
async fn fiskl_sends_its_envelope_signed_the_standard_webhooks_way(backend: Backend) {
    let app = TestApp::spawn(backend, &[("PRESET", "fiskl")]).await;
    let rx = Receiver::start().await;
    rx.script([Reply::status(500)]);
    let a = app.create_app("Acme").await;
    let ep = app.create_endpoint(&a, &rx.url("/fiskl"), json!({})).await;
    let secret = app.endpoint_secret(&a, &ep).await;
    assert!(secret.starts_with("whsec_"), "{secret}");
    let data = json!({ "id": 4821, "status": "Paid" });
    let msg = app.send(&a, "invoice.paid", data.clone()).await;

    let got = rx.wait_for(2, WAIT).await;
    for r in &got {
        assert_signed_by(&secret, r);
        let body = r.json();
        assert_eq!(body["id"], msg.as_str());
        assert_eq!(body["type"], "invoice.paid");
        assert!(is_rfc3339(body["createdAt"].as_str().unwrap()), "{body}");
        assert_eq!(body["data"], data);
        assert_eq!(body.as_object().unwrap().len(), 4, "{body}");
        assert_eq!(r.header("webhook-id"), msg);
    }
    assert_eq!(got[0].body, got[1].body, "a retry sends the same message");
    snippets_verify(&app, &a, &secret, &got[1]).await;
}

/// Seed 001: `X-Fiskil-Signature` is base64(HMAC-SHA256(base64-decode(secret), raw body)), as its
/// Go example computes; the envelope is `{publish_time, message_id, data}` with `event` in
/// `data`; "it retries up to 5 times", then the event is discarded (recorded as failed here).
async fn fiskil_signs_the_raw_body_with_the_decoded_secret_and_keeps_the_message_id(
    backend: Backend,
) {
    let app = TestApp::spawn(
        backend,
        &[
            ("PRESET", "fiskil"),
            ("RETRY_SCHEDULE", "50ms,50ms,50ms,50ms,50ms"),
        ],
    )
    .await;
    let rx = Receiver::start().await;
    rx.default_reply(Reply::status(503));
    let a = app.create_app("Acme").await;
    let ep = app.create_endpoint(&a, &rx.url("/fiskil"), json!({})).await;
    let secret = app.endpoint_secret(&a, &ep).await;
    let key = STANDARD
        .decode(&secret)
        .expect("the secret is plain base64");
    let data = json!({
        "consent_id": "1a460c22-c3ca-4901-8269-0b65c155b483",
        "client_id": "2XbIEYCqr3rBLrjPNGmxuB5rqwy",
        "end_user_id": "2XpN1YbKmoFcqbcN1Ji58kWyv3e",
        "institution_id": "1",
        "account_ids": ["262c6cc1-1b35-4f3f-b3d0-98976a86c6ee"],
    });
    let msg = app
        .send(&a, "energy.accounts.sync.completed", data.clone())
        .await;

    // One try and five retries, then no more.
    let got = rx.wait_for(6, WAIT).await;
    for r in &got {
        let expected = STANDARD.encode(hmac_sha256(&key, &[&r.body]));
        assert_eq!(r.header("x-fiskil-signature"), expected);
        let body = r.json();
        let publish_time = body["publish_time"].as_str().unwrap();
        assert!(is_rfc3339(publish_time), "{publish_time}");
        assert_eq!(publish_time.len(), 24, "milliseconds and Z: {publish_time}");
        assert_eq!(body["message_id"], got[0].json()["message_id"]);
        assert_eq!(body["data"]["event"], "energy.accounts.sync.completed");
        for k in [
            "consent_id",
            "client_id",
            "end_user_id",
            "institution_id",
            "account_ids",
        ] {
            assert_eq!(body["data"][k], data[k], "{k}");
        }
        assert_eq!(body.as_object().unwrap().len(), 3, "{body}");
    }
    let status = app
        .poll_until(&format!("/api/v1/app/{a}/attempt/msg/{msg}"), WAIT, |v| {
            v["data"].as_array().is_some_and(|d| d.len() == 6)
        })
        .await;
    assert!(status["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["status"] == 2));
    app.poll_until(&format!("/api/v1/app/{a}/endpoint/{ep}/msg"), WAIT, |v| {
        v["data"][0]["status"] == 2
    })
    .await;
    app.drain().await;
    assert_eq!(rx.count(), 6, "five retries at most");

    // The receiver's own check, from the seed's example: a secret that decodes, and its answer.
    let doc_secret = "jf+cnWPind3y0kYqJM4cPAC/8kNcwVXE8/fKs/Kz/SxXIkhVfvV8yh8dtEX9+K2PsmItKu5Jqqwy7cw2JQ+ozsSo2M9qmwpPxRMCREO+";
    app.post(
        &format!("/api/v1/app/{a}/endpoint/{ep}/secret/rotate"),
        json!({ "key": doc_secret }),
    )
    .await
    .expect(200);
    rx.default_reply(Reply::status(200));
    app.send(&a, "consent.received", json!({ "consent_id": "c1" }))
        .await;
    let r = rx
        .wait_for_matching(1, WAIT, |r| r.json()["data"]["event"] == "consent.received")
        .await
        .remove(0);
    let key = STANDARD.decode(doc_secret).unwrap();
    assert_eq!(
        r.header("x-fiskil-signature"),
        STANDARD.encode(hmac_sha256(&key, &[&r.body]))
    );
    snippets_verify(&app, &a, doc_secret, &r).await;
}

/// Seed 001: "Fiskil enforces HTTPS on all webhook endpoints in production."
async fn fiskil_refuses_plain_http_endpoints_in_production(backend: Backend) {
    let app = TestApp::spawn(
        backend,
        &[
            ("PRESET", "fiskil"),
            ("ENV", "production"),
            (
                "SECRETS_KEY",
                &herald_app::ssr::infra::crypto::SecretsKey::generate_text(),
            ),
        ],
    )
    .await;
    let a = app.create_app("Acme").await;
    let r = app
        .post(
            &format!("/api/v1/app/{a}/endpoint"),
            json!({ "url": "http://hooks.example.com/fiskil" }),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        crate::common::validation_messages(&r.body).contains("https"),
        "{}",
        r.body
    );
}

/// Seeds 002 and 003: a signing secret of 64 hex characters, "only shown once"; a JSON body
/// with `type` and `data`; rotating "the old secret stops working immediately".
async fn invoice_maker_shows_a_hex_secret_once_and_sends_type_and_data(backend: Backend) {
    let app = TestApp::spawn(backend, &[("PRESET", "invoice-maker")]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    let mut b = link_signed_in(&app, &a, json!({})).await;
    let created = b
        .call(
            "create_endpoint",
            &[
                ("app", &a),
                ("url", &rx.url("/im")),
                ("description", ""),
                ("all_events", "on"),
            ],
        )
        .await;
    assert!(created.status < 400, "{created:?}");
    let list = app
        .get(&format!("/api/v1/app/{a}/endpoint"))
        .await
        .expect(200);
    let ep = list["data"][0]["id"].as_str().unwrap().to_owned();

    let shown = b
        .call("reveal_secret", &[("app", &a), ("endpoint", &ep)])
        .await;
    assert_eq!(shown.status, 200, "{shown:?}");
    let secret = shown.json().as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 64);
    assert!(secret.bytes().all(|c| c.is_ascii_hexdigit()), "{secret}");
    let again = b
        .call("reveal_secret", &[("app", &a), ("endpoint", &ep)])
        .await;
    assert!(again.status >= 400, "shown once only: {again:?}");
    assert!(again.body.contains("shown once"), "{}", again.body);

    let data = json!({ "invoice": { "id": "inv_1", "status": "paid" } });
    app.send(&a, "invoice.paid", data.clone()).await;
    let r = rx.wait_for(1, WAIT).await.remove(0);
    assert_eq!(r.header("content-type"), "application/json");
    assert_eq!(r.json(), json!({ "type": "invoice.paid", "data": data }));
    let key = hex::decode(&secret).unwrap();
    let expected = STANDARD.encode(hmac_sha256(
        &key,
        &[
            r.header("webhook-id").as_bytes(),
            b".",
            r.header("webhook-timestamp").as_bytes(),
            b".",
            &r.body,
        ],
    ));
    assert_eq!(r.header("webhook-signature"), format!("v1,{expected}"));
    snippets_verify(&app, &a, &secret, &r).await;

    // Rotation: the new secret is shown once, and the old one signs nothing from now on.
    let rotated = b
        .call(
            "rotate_secret",
            &[("app", &a), ("endpoint", &ep), ("grace", "24h")],
        )
        .await;
    assert!(rotated.status < 400, "{rotated:?}");
    let new = b
        .call("reveal_secret", &[("app", &a), ("endpoint", &ep)])
        .await
        .json()
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(new, secret);
    app.send(&a, "invoice.created", data.clone()).await;
    let r = rx.wait_for(2, WAIT).await.remove(1);
    let sigs: Vec<&str> = r.header("webhook-signature").split(' ').collect();
    assert_eq!(sigs.len(), 1, "only the new secret signs: {sigs:?}");
    snippets_verify(&app, &a, &new, &r).await;
}

/// Seed 004: `X-Webhook-Signature: v1=HMAC_SHA256(secret, timestamp + "." + payload)` in hex,
/// `X-Webhook-Timestamp`, `X-Webhook-Event`, `X-Webhook-Delivery-Id` ("Retries reuse the
/// X-Webhook-Delivery-Id header"), `User-Agent: Hisab-Webhooks/1.0`; the body is
/// `{event, data, organization_id, created_at}`; after the fifth failed retry the delivery is
/// failed, "you can replay it manually".
async fn hisab_signs_timestamp_and_body_and_keeps_the_delivery_id_through_retries_and_replay(
    backend: Backend,
) {
    let app = TestApp::spawn(
        backend,
        &[
            ("PRESET", "hisab"),
            ("RETRY_SCHEDULE", "50ms,50ms,50ms,50ms,50ms"),
        ],
    )
    .await;
    let rx = Receiver::start().await;
    rx.default_reply(Reply::status(500));
    let other = Receiver::start().await;
    let a = app
        .post(
            "/api/v1/app",
            json!({ "name": "Hisab SARL", "uid": "org_4d11a7" }),
        )
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ep = app.create_endpoint(&a, &rx.url("/hisab"), json!({})).await;
    app.create_endpoint(&a, &other.url("/other"), json!({}))
        .await;
    let secret = app.endpoint_secret(&a, &ep).await;
    let data = json!({
        "id": "inv_8f3a91",
        "invoice_number": "FAC-2026-0142",
        "status": "paid",
        "total": "12480.00"
    });
    let msg = app.send(&a, "invoice.paid", data.clone()).await;

    let got = rx.wait_for(6, WAIT).await;
    let delivery_id = got[0].header("x-webhook-delivery-id").to_owned();
    assert!(!delivery_id.is_empty());
    let now = chrono::Utc::now().timestamp();
    for r in &got {
        let ts = r.header("x-webhook-timestamp");
        assert!((ts.parse::<i64>().unwrap() - now).abs() < 60, "{ts}");
        let expected = hex::encode(hmac_sha256(
            secret.as_bytes(),
            &[ts.as_bytes(), b".", &r.body],
        ));
        assert_eq!(r.header("x-webhook-signature"), format!("v1={expected}"));
        assert_eq!(r.header("x-webhook-event"), "invoice.paid");
        assert_eq!(r.header("x-webhook-delivery-id"), delivery_id);
        assert_eq!(r.header("user-agent"), "Hisab-Webhooks/1.0");
        assert_eq!(r.header("content-type"), "application/json");
        let body = r.json();
        assert_eq!(body["event"], "invoice.paid");
        assert_eq!(body["data"], data);
        assert_eq!(body["organization_id"], "org_4d11a7");
        assert!(is_rfc3339(body["created_at"].as_str().unwrap()), "{body}");
        assert_eq!(body.as_object().unwrap().len(), 4, "{body}");
    }
    let elsewhere = other.wait_for(1, WAIT).await.remove(0);
    assert_ne!(
        elsewhere.header("x-webhook-delivery-id"),
        delivery_id,
        "each endpoint's delivery has its own id"
    );
    app.poll_until(&format!("/api/v1/app/{a}/endpoint/{ep}/msg"), WAIT, |v| {
        v["data"][0]["status"] == 2
    })
    .await;
    app.drain().await;
    assert_eq!(rx.count(), 6, "five retries, then failed");

    // Replayed by hand: the same delivery id, so a receiver that stored it can tell.
    rx.default_reply(Reply::status(200));
    app.post(
        &format!("/api/v1/app/{a}/msg/{msg}/endpoint/{ep}/resend"),
        json!({}),
    )
    .await
    .expect(202);
    let replay = rx.wait_for(7, WAIT).await.remove(6);
    assert_eq!(replay.header("x-webhook-delivery-id"), delivery_id);
    snippets_verify(&app, &a, &secret, &replay).await;
}

/// Each preset starts with its host product's catalogue; the same files import with the CLI.
async fn each_presets_catalogue_loads_on_a_fresh_deployment(backend: Backend) {
    for (preset, count, sample) in [
        ("fiskl", 16, "invoice.partial"),
        ("fiskil", 21, "banking.directdebits.sync.completed"),
        ("invoice-maker", 25, "recurring_invoice.generated"),
        ("hisab", 9, "invoice.finalized"),
    ] {
        let app = TestApp::spawn(backend, &[("PRESET", preset)]).await;
        let list = app.get("/api/v1/event-type?limit=250").await.expect(200);
        let names: Vec<&str> = list["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(names.len(), count, "{preset}: {names:?}");
        assert!(names.contains(&sample), "{preset}: {names:?}");
        assert!(
            list["data"]
                .as_array()
                .unwrap()
                .iter()
                .all(|t| !t["description"].as_str().unwrap().is_empty()),
            "{preset}: every event type is described"
        );

        // The shipped file imports the same way through the CLI (an update of each, here).
        let file = format!("{}/../catalogues/{preset}.json", env!("CARGO_MANIFEST_DIR"));
        let out = crate::common::herald_cli(&app, &["catalogue", "import", &file]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A secret in another format than the preset's, or a custom header the contract writes itself,
/// is a 422 that names it; no endpoint is made and a refused rotation keeps the secret in use.
async fn a_secret_or_header_that_breaks_the_contract_is_refused_naming_it_and_changes_nothing(
    backend: Backend,
) {
    let app = TestApp::spawn(backend, &[("PRESET", "invoice-maker")]).await;
    let rx = Receiver::start().await;
    let a = app.create_app("Acme").await;
    let endpoints = format!("/api/v1/app/{a}/endpoint");
    for (body, named) in [
        (
            json!({ "url": rx.url("/x"), "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }),
            "secret: must be 64 hexadecimal characters",
        ),
        (
            json!({ "url": rx.url("/x"), "secret": "abc" }),
            "secret: must be 64 hexadecimal characters",
        ),
    ] {
        let r = app.post(&endpoints, body).await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(
            crate::common::validation_messages(&r.body).contains(named),
            "{}",
            r.body
        );
    }
    assert_eq!(app.get(&endpoints).await.expect(200)["data"], json!([]));

    let ep = app.create_endpoint(&a, &rx.url("/x"), json!({})).await;
    let secret = app.endpoint_secret(&a, &ep).await;
    let r = app
        .post(
            &format!("{endpoints}/{ep}/secret/rotate"),
            json!({ "key": "not hex at all" }),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        crate::common::validation_messages(&r.body).contains("secret"),
        "{}",
        r.body
    );
    assert_eq!(
        app.endpoint_secret(&a, &ep).await,
        secret,
        "the secret in use is kept"
    );

    // Hisab's contract writes X-Webhook-Event; an endpoint may not set it to something else.
    let app = TestApp::spawn(backend, &[("PRESET", "hisab")]).await;
    let a = app.create_app("Acme").await;
    let r = app
        .post(
            &format!("/api/v1/app/{a}/endpoint"),
            json!({ "url": rx.url("/x"), "headers": { "X-Webhook-Event": "forged" } }),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        crate::common::validation_messages(&r.body).contains("'X-Webhook-Event' is set by Herald"),
        "{}",
        r.body
    );
    let listed = app
        .get(&format!("/api/v1/app/{a}/endpoint"))
        .await
        .expect(200);
    assert_eq!(listed["data"], json!([]));
}
