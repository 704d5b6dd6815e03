//! The portal in the host product's look: set for the deployment, per company through the API,
//! and per portal link; the page the server renders is already drawn with it.

use crate::common::{link_signed_in, user_signed_in, validation_messages, Backend, TestApp};
use serde_json::json;

on_both_backends!(
    a_companys_branding_is_set_through_the_api_and_a_bad_field_is_named,
    the_portal_is_drawn_with_the_link_over_the_company_over_the_deployment,
    a_portal_link_with_a_bad_branding_is_refused_naming_the_field,
    an_operator_sets_a_tenants_branding_in_the_console,
);

async fn a_companys_branding_is_set_through_the_api_and_a_bad_field_is_named(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    let path = format!("/api/v1/app/{a}/branding");
    let empty = app.get(&path).await.expect(200);
    assert_eq!(empty["displayName"], json!(null), "{empty}");

    for (body, field) in [
        (json!({ "accentColor": "green" }), "accentColor"),
        (json!({ "theme": "sepia" }), "theme"),
        (json!({ "logoUrl": "javascript:alert(1)" }), "logoUrl"),
        (
            json!({ "logoUrl": "https://cdn.fiskl.test/\"><script>" }),
            "logoUrl",
        ),
        (json!({ "displayName": "x".repeat(81) }), "displayName"),
        (json!({ "upgradeUrl": "javascript:alert(1)" }), "upgradeUrl"),
    ] {
        let r = app.put(&path, body.clone()).await;
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        let said = validation_messages(&r.body);
        assert!(said.contains(field), "{body}: {said}");
    }
    // Nothing was stored by the refusals.
    assert_eq!(app.get(&path).await.expect(200), empty);

    let set = app
        .put(
            &path,
            json!({
                "displayName": "Fiskl",
                "logoUrl": "https://cdn.fiskl.test/logo.svg",
                "accentColor": "#0A7C59",
                "theme": "dark",
                "upgradeUrl": "https://app.fiskl.test/billing",
            }),
        )
        .await
        .expect(200);
    assert_eq!(set["accentColor"], "#0a7c59");
    assert_eq!(set["upgradeUrl"], "https://app.fiskl.test/billing");
    assert_eq!(app.get(&path).await.expect(200), set);

    // By uid as by id; another company's branding is its own.
    let b = app.create_app("Globex").await;
    let other = app
        .get(&format!("/api/v1/app/{b}/branding"))
        .await
        .expect(200);
    assert_eq!(other["displayName"], json!(null));
    app.get("/api/v1/app/app_00000000000000000000000000/branding")
        .await
        .expect(404);

    // Blank fields clear it back to the deployment's.
    let cleared = app
        .put(&path, json!({ "displayName": " ", "theme": "" }))
        .await
        .expect(200);
    assert_eq!(cleared["displayName"], json!(null));
    assert_eq!(cleared["accentColor"], json!(null));

    let trail = app.get("/api/v1/audit?limit=50").await.expect(200);
    let changes: Vec<_> = trail["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "application.branding_changed")
        .collect();
    assert_eq!(changes.len(), 2, "{trail}");
}

/// The `<html …>` tag of a page: where the theme and the accent are.
fn html_tag(body: &str) -> &str {
    let start = body.find("<html").expect("an html tag");
    let end = start + body[start..].find('>').expect("its end");
    &body[start..=end]
}

fn title(body: &str) -> &str {
    let start = body.find("<title>").expect("a title") + "<title>".len();
    let end = start + body[start..].find("</title>").expect("its end");
    &body[start..end]
}

async fn the_portal_is_drawn_with_the_link_over_the_company_over_the_deployment(backend: Backend) {
    let app = TestApp::spawn(
        backend,
        &[("PORTAL_NAME", "Fiskl"), ("PORTAL_THEME", "light")],
    )
    .await;
    let a = app.create_app("Acme").await;
    app.put(
        &format!("/api/v1/app/{a}/branding"),
        json!({ "accentColor": "#0a7c59", "logoUrl": "https://cdn.fiskl.test/logo.svg" }),
    )
    .await
    .expect(200);

    // A link that says only "dark": the company's accent and logo, the deployment's name.
    let mut dark = link_signed_in(&app, &a, json!({ "branding": { "theme": "dark" } })).await;
    let page = dark.get(&format!("/portal/{a}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = html_tag(&page.body);
    assert!(html.contains(r#"data-theme="dark""#), "{html}");
    assert!(html.contains("--accent-light:#0a7c59"), "{html}");
    assert!(
        page.body
            .contains(r#"src="https://cdn.fiskl.test/logo.svg""#),
        "the company's logo"
    );
    assert!(page.body.contains("Fiskl"), "the deployment's name");
    assert_eq!(title(&page.body), "Endpoints · Acme · Fiskl");
    // No Herald chrome inside the host's portal.
    for herald in ["site-header", "API reference", "Service health", "Overview"] {
        assert!(!page.body.contains(herald), "{herald} is on the page");
    }
    let log = dark.get(&format!("/portal/{a}/logs")).await;
    assert_eq!(title(&log.body), "Delivery log · Acme · Fiskl");

    // Another link with its own name and accent; the deployment's light theme under it.
    let mut own = link_signed_in(
        &app,
        &a,
        json!({ "branding": { "displayName": "Fiskl Books", "accentColor": "#ffd400" } }),
    )
    .await;
    let page = own.get(&format!("/portal/{a}")).await;
    let html = html_tag(&page.body);
    assert!(html.contains(r#"data-theme="light""#), "{html}");
    // A pale yellow is darkened for text on white, not used as given.
    assert!(!html.contains("--accent-light:#ffd400"), "{html}");
    assert!(page.body.contains("Fiskl Books"));

    // A password session: the company's choices over the deployment's.
    let (mut user, _) =
        user_signed_in(&app, &["--tenant", &a, "--permission", "integration.read"]).await;
    let page = user.get(&format!("/portal/{a}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = html_tag(&page.body);
    assert!(html.contains(r#"data-theme="light""#), "{html}");
    assert!(html.contains("--accent-light:#0a7c59"), "{html}");

    // Outside the portal, Herald's own pages keep their header and no theme.
    let home = user.get("/").await;
    assert!(home.body.contains("site-header"));
    assert!(!html_tag(&home.body).contains("data-theme"));
}

async fn a_portal_link_with_a_bad_branding_is_refused_naming_the_field(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    let r = app
        .post(
            &format!("/api/v1/auth/app-portal-access/{a}"),
            json!({ "branding": { "accentColor": "#12345" } }),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let said = validation_messages(&r.body);
    assert!(said.contains("branding.accentColor"), "{said}");
}

async fn an_operator_sets_a_tenants_branding_in_the_console(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    let (mut op, _) = user_signed_in(&app, &["--operator"]).await;
    let form = |accent: &'static str| {
        vec![
            ("app", a.clone()),
            ("display_name", "Fiskl".to_owned()),
            ("logo_url", String::new()),
            ("accent_color", accent.to_owned()),
            ("theme", "dark".to_owned()),
        ]
    };
    let bad = form("#12");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = op.call_admin("set_tenant_branding", &bad).await;
    assert_eq!(r.status, 422, "{r:?}");
    assert!(r.body.contains("Accent colour"), "{}", r.body);
    let stored = app
        .get(&format!("/api/v1/app/{a}/branding"))
        .await
        .expect(200);
    assert_eq!(stored["displayName"], json!(null), "nothing stored");

    let good = form("#0a7c59");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = op.call_admin("set_tenant_branding", &good).await;
    assert_eq!(r.status, 200, "{r:?}");
    let stored = app
        .get(&format!("/api/v1/app/{a}/branding"))
        .await
        .expect(200);
    assert_eq!(stored["displayName"], "Fiskl");
    assert_eq!(stored["theme"], "dark");
    assert_eq!(stored["logoUrl"], json!(null));

    // The console's list shows it back, for the form.
    let list = op.call_admin("tenants", &[("q", "Acme")]).await;
    assert_eq!(
        list.json()[0]["branding"]["accentColor"],
        "#0a7c59",
        "{}",
        list.body
    );

    // A company user cannot.
    let (mut user, _) = user_signed_in(&app, &["--tenant", &a, "--permission", "admin"]).await;
    let r = user.call_admin("set_tenant_branding", &good).await;
    assert_ne!(r.status, 200, "{r:?}");
}
