use super::*;

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn smtp_needs_both_a_url_and_a_sender() {
    let e = Config::from_values(values(&[("SMTP_URL", "smtp://mail:25")])).expect_err("no sender");
    assert!(e.to_string().contains("HERALD_MAIL_FROM"), "{e}");
    let e = Config::from_values(values(&[
        ("SMTP_URL", "mail:25"),
        ("MAIL_FROM", "a@b.example"),
    ]))
    .expect_err("bad url");
    assert!(e.to_string().starts_with("HERALD_SMTP_URL"), "{e}");
    let c = Config::from_values(values(&[
        ("SMTP_URL", "smtp://user:hunter2pw@mail:587?tls=required"),
        ("MAIL_FROM", "Herald <herald@example.com>"),
    ]))
    .expect("good");
    assert!(
        !format!("{c:?}").contains("hunter2pw"),
        "the SMTP password never prints"
    );
}

#[test]
fn a_bad_value_names_its_key() {
    let e = Config::from_values(values(&[("RETRY_SCHEDULE", "5s,soon")])).expect_err("bad");
    assert_eq!(
        e.to_string(),
        "HERALD_RETRY_SCHEDULE: 'soon' is not a duration such as 500ms, 5s, 5m or 2h"
    );
    let e = Config::from_values(values(&[("BIND", "nowhere")])).expect_err("bad");
    assert!(e.to_string().starts_with("HERALD_BIND:"));
    let e = Config::from_values(values(&[("ALLOW_PRIVATE_NETWORKS", "maybe")])).expect_err("bad");
    assert!(e.to_string().starts_with("HERALD_ALLOW_PRIVATE_NETWORKS:"));
}

#[test]
fn embed_origins_must_be_origins() {
    let e = Config::from_values(values(&[(
        "EMBED_ORIGINS",
        "https://ok.example.com, https://x.com/path",
    )]))
    .expect_err("a path is not an origin");
    assert!(e.to_string().starts_with("HERALD_EMBED_ORIGINS:"), "{e}");
    let c = Config::from_values(values(&[(
        "EMBED_ORIGINS",
        "https://app.fiskl.com,http://localhost:5173",
    )]))
    .expect("two origins");
    assert_eq!(c.embed_origins.len(), 2);
}

#[test]
fn a_preset_sets_the_documented_contract_and_each_part_can_be_overridden() {
    let c = Config::from_values(values(&[("PRESET", "hisab")])).expect("config");
    assert_eq!(c.delivery.signature, SignatureScheme::TimestampHex);
    assert_eq!(c.request_timeout, Duration::from_secs(30));
    let mins: Vec<u64> = c.retry_schedule.iter().map(|d| d.as_secs() / 60).collect();
    assert_eq!(mins, [1, 5, 15, 60, 240]);
    assert_eq!(c.delivery.retry_jitter, 0.2);
    assert_eq!(c.delivery.user_agent.as_deref(), Some("Hisab-Webhooks/1.0"));

    // Keys sort before PRESET and after it: either way the override wins.
    let c = Config::from_values(values(&[
        ("PRESET", "fiskil"),
        ("ENVELOPE", "raw"),
        ("RETRY_SCHEDULE", "1s"),
        ("SIGNATURE_HEADER", "X-Other-Signature"),
    ]))
    .expect("config");
    assert_eq!(c.delivery.preset, Preset::Fiskil);
    assert_eq!(
        c.delivery.envelope,
        herald_app::ssr::delivery::Envelope::Raw
    );
    assert_eq!(c.retry_schedule, [Duration::from_secs(1)]);
    assert_eq!(
        c.delivery.signature,
        SignatureScheme::BodyBase64 {
            header: "X-Other-Signature".into()
        }
    );

    let c = Config::from_values(values(&[("PRESET", "invoice-maker")])).expect("config");
    assert_eq!(c.request_timeout, Duration::from_secs(10));
    assert_eq!(c.auto_disable_after, 100);
    assert_eq!(
        c.scheduling.auto_disable_min_failing,
        Duration::from_secs(24 * 3600),
        "the preset's minimum time failing"
    );
    assert_eq!(c.retry_schedule.len(), 5);
    assert!(c.retry_schedule.windows(2).all(|w| w[1] == w[0] * 2));

    // HERALD_AUTO_DISABLE_MIN_FAILING overrides the preset's, whichever key sorts first.
    let c = Config::from_values(values(&[
        ("AUTO_DISABLE_MIN_FAILING", "2h"),
        ("PRESET", "hisab"),
    ]))
    .expect("config");
    assert_eq!(
        c.scheduling.auto_disable_min_failing,
        Duration::from_secs(7200)
    );
    assert_eq!(
        Config::default().scheduling.auto_disable_min_failing,
        Preset::Standard.defaults().auto_disable_min_failing,
        "without a preset, the standard one's"
    );
}

#[test]
fn bad_delivery_settings_name_the_key_and_the_choices() {
    let e = Config::from_values(values(&[("PRESET", "svix")])).expect_err("refused");
    assert!(
        e.to_string()
            .starts_with("HERALD_PRESET: 'svix' is not one of: standard"),
        "{e}"
    );
    let e = Config::from_values(values(&[("ENVELOPE", "xml")])).expect_err("refused");
    assert!(e.to_string().contains("HERALD_ENVELOPE"), "{e}");
    let e = Config::from_values(values(&[("RETRY_JITTER", "80%")])).expect_err("refused");
    assert!(e.to_string().contains("HERALD_RETRY_JITTER"), "{e}");
    let e = Config::from_values(values(&[("SIGNATURE_HEADER", "X-Sig")])).expect_err("refused");
    assert!(e.to_string().contains("only the body-base64"), "{e}");
    let e = Config::from_values(values(&[("EVENT_HEADER", "X Event")])).expect_err("refused");
    assert!(e.to_string().contains("HERALD_EVENT_HEADER"), "{e}");
    let c = Config::from_values(values(&[("RETRY_JITTER", "10%")])).expect("config");
    assert!((c.delivery.retry_jitter - 0.1).abs() < 1e-9);
}

#[test]
fn the_retry_schedule_reads_a_comma_list() {
    let c = Config::from_values(values(&[("RETRY_SCHEDULE", "5s,5m,30m,2h")])).expect("ok");
    assert_eq!(
        c.retry_schedule,
        vec![
            Duration::from_secs(5),
            Duration::from_secs(300),
            Duration::from_secs(1800),
            Duration::from_secs(7200)
        ]
    );
}

#[test]
fn production_requires_a_secrets_key() {
    let e = Config::from_values(values(&[("ENV", "production")])).expect_err("bad");
    assert!(e.to_string().starts_with("HERALD_SECRETS_KEY:"));
}

#[test]
fn secrets_are_not_printed() {
    let c = Config::from_values(values(&[(
        "BOOTSTRAP_API_KEY",
        "hk_abcdefghijklmnopqrstuvwxyz",
    )]))
    .expect("ok");
    assert!(!format!("{c:?}").contains("abcdefghij"));
}

#[test]
fn scheduling_settings_are_read_checked_and_default_to_a_share_of_the_slots() {
    let c = Config::from_values(values(&[("WORKER_CONCURRENCY", "40")])).expect("good");
    assert_eq!(c.scheduling.endpoint_concurrency, 30, "three quarters");
    assert_eq!(c.scheduling.company_concurrency, 30, "three quarters");
    let c = Config::from_values(values(&[("WORKER_CONCURRENCY", "1")])).expect("good");
    assert_eq!(c.scheduling.endpoint_concurrency, 1);
    let c = Config::from_values(values(&[
        ("ENDPOINT_CONCURRENCY", "8"),
        ("COMPANY_CONCURRENCY", "12"),
        ("PAUSE_AFTER", "3"),
        ("PROBE_INTERVAL", "500ms"),
        ("MAX_PROBE_INTERVAL", "1m"),
        ("AUTO_DISABLE_MIN_FAILING", "0s"),
        ("LEASE", "20s"),
    ]))
    .expect("good");
    let s = &c.scheduling;
    assert_eq!(
        (s.endpoint_concurrency, s.pause_after, s.lease),
        (8, 3, Duration::from_secs(20))
    );
    assert_eq!(s.auto_disable_min_failing, Duration::ZERO);
    assert_eq!(s.company_concurrency, 12);
    for (key, value, says) in [
        ("ENDPOINT_CONCURRENCY", "0", "from 1 to 4096"),
        ("COMPANY_CONCURRENCY", "-3", "from 1 to 4096"),
        ("PAUSE_AFTER", "none", "above 0"),
        ("PROBE_INTERVAL", "0s", "above 0"),
        ("LEASE", "100ms", "between 1s and 10m"),
        ("AUTO_DISABLE_MIN_FAILING", "a day", "duration"),
    ] {
        let e = Config::from_values(values(&[(key, value)])).expect_err(key);
        let text = e.to_string();
        assert!(
            text.starts_with(&format!("HERALD_{key}:")) && text.contains(says),
            "{text}"
        );
    }
    let e = Config::from_values(values(&[
        ("PROBE_INTERVAL", "30s"),
        ("MAX_PROBE_INTERVAL", "10s"),
    ]))
    .expect_err("max below first");
    assert!(
        e.to_string().starts_with("HERALD_MAX_PROBE_INTERVAL:"),
        "{e}"
    );
}

#[test]
fn the_portals_branding_is_checked_naming_the_key() {
    let c = Config::from_values(values(&[
        ("PORTAL_NAME", "Fiskl"),
        ("PORTAL_ACCENT_COLOR", "#0A7C59"),
        ("PORTAL_THEME", "dark"),
    ]))
    .expect("config");
    assert_eq!(c.branding.display_name.as_deref(), Some("Fiskl"));
    assert_eq!(c.branding.accent_color.as_deref(), Some("#0a7c59"));
    for (key, value) in [
        ("PORTAL_ACCENT_COLOR", "teal"),
        ("PORTAL_THEME", "sepia"),
        ("PORTAL_LOGO_URL", "http://cdn.example.com/logo.png"),
        ("PORTAL_UPGRADE_URL", "billing page"),
    ] {
        let e = Config::from_values(values(&[(key, value)])).expect_err(value);
        assert!(e.to_string().starts_with(&format!("HERALD_{key}:")), "{e}");
    }
}

#[test]
fn the_portals_default_language_is_one_of_ours() {
    let c = Config::from_values(values(&[("PORTAL_LOCALE", "fr-FR")])).expect("config");
    assert_eq!(c.portal_locale, herald_app::i18n::Locale::Fr);
    let e = Config::from_values(values(&[("PORTAL_LOCALE", "de")])).expect_err("de");
    assert_eq!(
        e.to_string(),
        "HERALD_PORTAL_LOCALE: 'de' is not one of: en, fr, ar"
    );
}

/// A setting read from `herald.toml` but not from the environment would be silently ignored
/// there (as `HERALD_PORTAL_UPGRADE_URL` once was): every key the reader knows is in `KEYS`.
#[test]
fn every_setting_can_be_given_in_the_environment() {
    let source = include_str!("mod.rs");
    let start = source
        .find("for (key, raw) in &values")
        .expect("the reader");
    let end = start + source[start..].find("unknown setting").expect("its end");
    let mut seen = 0;
    for line in source[start..end].lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix('"') else {
            continue;
        };
        let Some((key, after)) = rest.split_once('"') else {
            continue;
        };
        if after.trim_start().starts_with("=>")
            && key.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        {
            seen += 1;
            assert!(super::KEYS.contains(&key), "{key} is missing from KEYS");
        }
    }
    assert!(
        seen > 30,
        "found only {seen} keys: the reader changed shape"
    );
}
