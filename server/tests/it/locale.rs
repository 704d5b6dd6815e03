//! The portal's language: the portal link's `locale`, then the browser's, then the deployment's
//! default; the page the server renders is already in it, with `<html lang dir>` to match.

use crate::common::{link_signed_in, user_signed_in, validation_messages, Backend, TestApp};
use serde_json::json;

on_both_backends!(
    a_portal_link_opens_the_portal_in_its_language,
    without_a_link_language_the_browsers_then_the_deployments_is_used,
    a_portal_link_in_a_language_we_do_not_write_is_refused_naming_the_field,
);

/// The `<html …>` tag of a page.
fn html_tag(body: &str) -> &str {
    let start = body.find("<html").expect("an html tag");
    let end = start + body[start..].find('>').expect("its end");
    &body[start..=end]
}

async fn a_portal_link_opens_the_portal_in_its_language(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;

    let mut fr = link_signed_in(&app, &a, json!({ "locale": "fr-CA" })).await;
    assert_eq!(fr.locale_cookie.as_deref(), Some("fr"));
    // The link's language wins over the browser's.
    let page = fr.get_in(&format!("/portal/{a}"), "ar,en;q=0.5").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = html_tag(&page.body);
    assert!(html.contains(r#"lang="fr""#), "{html}");
    assert!(html.contains(r#"dir="ltr""#), "{html}");
    assert!(
        page.body.contains("Journal des livraisons"),
        "French navigation"
    );
    assert!(
        !page.body.contains(">Delivery log<"),
        "no English navigation"
    );

    let mut ar = link_signed_in(&app, &a, json!({ "locale": "ar" })).await;
    let page = ar.get(&format!("/portal/{a}/logs")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = html_tag(&page.body);
    assert!(html.contains(r#"lang="ar""#), "{html}");
    assert!(html.contains(r#"dir="rtl""#), "{html}");
    assert!(page.body.contains("سجل التوصيل"), "Arabic navigation");

    // A later link without a language clears the earlier one's.
    let mut plain = link_signed_in(&app, &a, json!({})).await;
    assert_eq!(plain.locale_cookie, None);
    let page = plain.get(&format!("/portal/{a}")).await;
    assert!(html_tag(&page.body).contains(r#"lang="en""#));
    assert!(page.body.contains("Delivery log"));
}

async fn without_a_link_language_the_browsers_then_the_deployments_is_used(backend: Backend) {
    let app = TestApp::spawn(backend, &[("PORTAL_LOCALE", "fr")]).await;
    let a = app.create_app("Acme").await;
    let (mut user, _) =
        user_signed_in(&app, &["--tenant", &a, "--permission", "integration.write"]).await;

    let page = user.get_in(&format!("/portal/{a}"), "ar-MA,ar;q=0.9").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(html_tag(&page.body).contains(r#"dir="rtl""#));
    assert!(page.body.contains("نقاط الاستقبال"), "Arabic navigation");

    // A browser in a language we do not write: the deployment's default.
    let page = user.get_in(&format!("/portal/{a}"), "de-DE,de;q=0.9").await;
    assert!(html_tag(&page.body).contains(r#"lang="fr""#));
    assert!(page.body.contains("Points de terminaison"));

    // Nonsense in the header or the cookie is passed over, never an error.
    for header in [";;q=x,,", "*", &"fr-".repeat(600)] {
        let page = user.get_in(&format!("/portal/{a}"), header).await;
        assert_eq!(page.status, 200, "{header}: {}", page.body);
        assert!(html_tag(&page.body).contains(r#"lang="fr""#), "{header}");
    }
    user.locale_cookie = Some("klingon%00".to_owned());
    let page = user.get_in(&format!("/portal/{a}"), "ar").await;
    assert_eq!(page.status, 200);
    assert!(html_tag(&page.body).contains(r#"lang="ar""#));
    user.locale_cookie = None;

    // Herald's own pages follow the browser too.
    let login = user.get_in("/login", "ar").await;
    assert!(html_tag(&login.body).contains(r#"lang="ar""#));
}

async fn a_portal_link_in_a_language_we_do_not_write_is_refused_naming_the_field(backend: Backend) {
    let app = TestApp::spawn(backend, &[]).await;
    let a = app.create_app("Acme").await;
    for locale in ["de", "", "fr_FR!", "x".repeat(300).as_str()] {
        let r = app
            .post(
                &format!("/api/v1/auth/app-portal-access/{a}"),
                json!({ "locale": locale }),
            )
            .await;
        assert_eq!(r.status, 422, "{locale}: {}", r.body);
        let said = validation_messages(&r.body);
        assert!(said.contains("locale"), "{said}");
    }
}
