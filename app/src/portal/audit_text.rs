//! The audit trail in sentences: "ana@acme.test rotated the secret of https://erp.acme.test/hook".
//!
//! The store keeps each entry as the domain filed it (an action name, a target id, the changes as
//! JSON) so that the API and exports stay exact; the pages read it through here, in the viewer's
//! language. The subject is what the target is called, named by `domain::audit::named` (an
//! endpoint's URL, a member's e-mail).

use crate::i18n::{Arg, Locale};
use serde_json::Value;

/// The trail's filters: the key in the URL (`?show=`), its label's message, and the action
/// prefix it keeps.
pub const FILTERS: [(&str, &str, &str); 4] = [
    ("endpoints", "nav-endpoints", "endpoint."),
    ("messages", "audit-filter-messages", "message."),
    ("team", "nav-team", "user."),
    ("company", "audit-filter-company", "application."),
];

/// The console's filters: the company ones and the deployment's own.
pub const CONSOLE_FILTERS: [(&str, &str, &str); 8] = [
    FILTERS[0],
    FILTERS[1],
    FILTERS[2],
    FILTERS[3],
    ("plans", "audit-filter-plans", "plan."),
    ("keys", "audit-filter-api-keys", "api_key."),
    ("catalogue", "nav-event-catalogue", "event_type."),
    ("imports", "audit-filter-catalogue-imports", "catalogue."),
];

/// The action prefix the filter `show` keeps; `None` (everything) for no filter or one not known.
pub fn filter_prefix(filters: &[(&str, &str, &'static str)], show: &str) -> Option<&'static str> {
    filters
        .iter()
        .find(|(key, _, _)| *key == show)
        .map(|(_, _, prefix)| *prefix)
}

/// The message naming a permission as the pages show it ("Read and write").
pub fn permission_key(p: &str) -> &'static str {
    match p {
        "admin" => "team-permission-admin",
        "integration.write" => "team-permission-write",
        _ => "team-permission-read",
    }
}

/// A permission inside a sentence ("read and write").
fn permission_in_sentence(locale: Locale, p: &str) -> String {
    locale.text(permission_key(p)).to_lowercase()
}

/// One entry as a sentence. `who` is the actor as filed, `subject` what the target names.
pub fn sentence(locale: Locale, who: &str, action: &str, subject: &str, changes: &Value) -> String {
    let text = |k: &str| changes.get(k).and_then(Value::as_str).map(str::to_owned);
    let number = |k: &str| changes.get(k).and_then(Value::as_u64).unwrap_or(0);
    let permission = |v: Option<&Value>| match v.and_then(Value::as_str) {
        Some(p) => permission_in_sentence(locale, p),
        None => locale.text("audit-no-permission"),
    };
    let mut args: Vec<(&'static str, Arg)> = vec![
        ("who", Arg::from(actor(locale, who))),
        ("target", Arg::from(subject)),
    ];
    let key = match action {
        "endpoint.created" => "audit-endpoint-created",
        "endpoint.updated" => "audit-endpoint-updated",
        "endpoint.disabled" => "audit-endpoint-disabled",
        "endpoint.enabled" => "audit-endpoint-enabled",
        "endpoint.deleted" => "audit-endpoint-deleted",
        "endpoint.secret_rotated" => "audit-endpoint-secret-rotated",
        "endpoint.secret_revealed" => "audit-endpoint-secret-revealed",
        "endpoint.headers_updated" => "audit-endpoint-headers-updated",
        "endpoint.test_sent" => match text("eventType") {
            Some(t) => {
                args.push(("type", Arg::from(t)));
                "audit-endpoint-test-sent-type"
            }
            None => "audit-endpoint-test-sent",
        },
        "endpoint.recovered" => {
            args.push(("count", Arg::from(number("deliveries"))));
            "audit-endpoint-recovered"
        }
        "endpoint.missed_sent" => {
            args.push(("count", Arg::from(number("deliveries"))));
            "audit-endpoint-missed-sent"
        }
        "message.resent" => "audit-message-resent",
        "user.invited" => {
            args.push((
                "permission",
                Arg::from(permission(changes.get("permission"))),
            ));
            "audit-user-invited"
        }
        "user.joined" => {
            args.push((
                "permission",
                Arg::from(permission(changes.get("permission"))),
            ));
            "audit-user-joined"
        }
        "user.permission_changed" => {
            args.push((
                "from",
                Arg::from(permission(changes.pointer("/permission/from"))),
            ));
            args.push((
                "to",
                Arg::from(permission(changes.pointer("/permission/to"))),
            ));
            "audit-user-permission-changed"
        }
        "user.removed" => "audit-user-removed",
        "application.created" => "audit-application-created",
        "application.updated" => "audit-application-updated",
        "application.deleted" => "audit-application-deleted",
        "application.disabled" => "audit-application-disabled",
        "application.enabled" => "audit-application-enabled",
        "application.branding_changed" => "audit-application-branding-changed",
        "application.plan_changed" => match changes.pointer("/plan/to").and_then(Value::as_str) {
            Some(plan) => {
                args.push(("plan", Arg::from(plan)));
                "audit-application-plan-changed"
            }
            None => "audit-application-plan-removed",
        },
        "api_key.created" => "audit-api-key-created",
        "api_key.revoked" => "audit-api-key-revoked",
        "plan.created" => "audit-plan-created",
        "plan.updated" => "audit-plan-updated",
        "plan.deleted" => "audit-plan-deleted",
        "catalogue.imported" => {
            args.push(("created", Arg::from(number("created"))));
            args.push(("updated", Arg::from(number("updated"))));
            "audit-catalogue-imported"
        }
        "event_type.created" => "audit-event-type-created",
        "event_type.updated" => "audit-event-type-updated",
        "event_type.archived" => "audit-event-type-archived",
        "event_type.restored" => "audit-event-type-restored",
        "event_type.deleted" => "audit-event-type-deleted",
        // An action this version does not know (filed by a newer one): still readable.
        other => {
            args.push(("action", Arg::from(other)));
            "audit-unknown"
        }
    };
    locale.text_with(key, &args)
}

/// Who made a change, from the name the store filed in English ("portal link (host user u_42)",
/// `API key "ci"`), in `locale`. E-mail addresses are written as they are; any other name starts
/// a sentence.
fn actor(locale: Locale, who: &str) -> String {
    if let Some(name) = who
        .strip_prefix("API key \"")
        .and_then(|rest| rest.strip_suffix('"'))
    {
        return locale.text_with("audit-actor-api-key", &[("name", Arg::from(name))]);
    }
    if who == "portal link" {
        return locale.text("audit-actor-portal-link");
    }
    if let Some(user) = who
        .strip_prefix("portal link (host user ")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        return locale.text_with("audit-actor-portal-link-user", &[("user", Arg::from(user))]);
    }
    if who.contains('@') {
        who.to_owned()
    } else {
        capitalised(who)
    }
}

/// An entry's changes as lines people read: `Label: before → after`, or `Label: value`.
pub fn detail_lines(locale: Locale, changes: &Value) -> Vec<String> {
    let Some(obj) = changes.as_object() else {
        return Vec::new();
    };
    obj.iter()
        .map(|(k, v)| {
            let label = Arg::from(label(locale, k));
            match (v.get("from"), v.get("to"), v.as_object().map(|o| o.len())) {
                (Some(from), Some(to), Some(2)) => locale.text_with(
                    "audit-change",
                    &[
                        ("label", label),
                        ("from", Arg::from(value(locale, k, from))),
                        ("to", Arg::from(value(locale, k, to))),
                    ],
                ),
                _ => locale.text_with(
                    "audit-value",
                    &[("label", label), ("value", Arg::from(value(locale, k, v)))],
                ),
            }
        })
        .collect()
}

fn label(locale: Locale, key: &str) -> String {
    let known = match key {
        "url" => "audit-field-url",
        "uid" => "audit-field-uid",
        "description" => "audit-field-description",
        "eventTypes" => "audit-field-event-types",
        "channels" => "audit-field-channels",
        "disabled" => "audit-field-disabled",
        "rateLimit" => "audit-field-rate-limit",
        "metadata" => "audit-field-metadata",
        "headers" => "audit-field-headers",
        "gracePeriodSeconds" => "audit-field-grace-period",
        "keyChosenByCaller" => "audit-field-key-chosen-by-caller",
        "msgId" => "audit-field-message",
        "endpointId" => "audit-field-endpoint",
        "eventType" => "audit-field-event-type",
        "since" => "audit-field-since",
        "until" => "audit-field-until",
        "deliveries" => "audit-field-deliveries",
        "email" => "audit-field-email",
        "permission" => "audit-field-permission",
        "name" => "audit-field-name",
        "plan" => "audit-field-plan",
        "displayName" => "audit-field-display-name",
        "logoUrl" => "audit-field-logo",
        "accentColor" => "audit-field-accent-color",
        "theme" => "audit-field-theme",
        "upgradeUrl" => "audit-field-upgrade-url",
        "groupName" => "audit-field-group",
        "created" => "audit-field-created",
        "updated" => "audit-field-updated",
        "via" => "audit-field-via",
        "maxEndpoints" => "audit-field-max-endpoints",
        "deliveriesPerHour" => "audit-field-deliveries-per-hour",
        "retrySchedule" => "audit-field-retry-schedule",
        "timeoutSeconds" => "audit-field-timeout",
        "retentionDays" => "audit-field-retention",
        "autoDisableAfter" => "audit-field-auto-disable-after",
        "autoDisableMinFailingSeconds" => "audit-field-auto-disable-min-failing",
        // A field this version does not know: its own name reads well enough.
        _ => return capitalised(key),
    };
    locale.text(known)
}

fn value(locale: Locale, key: &str, v: &Value) -> String {
    match v {
        // No filter: an endpoint without event types or channels takes every event.
        Value::Null if key == "eventTypes" => locale.text("audit-value-all-events"),
        Value::Null if key == "channels" => locale.text("audit-value-any-channel"),
        Value::Null => locale.text("audit-value-none"),
        Value::Bool(true) => locale.text("audit-value-yes"),
        Value::Bool(false) => locale.text("audit-value-no"),
        Value::String(s) if key == "permission" => permission_in_sentence(locale, s),
        Value::String(s) if s.is_empty() => locale.text("audit-value-none"),
        Value::String(s) => s.clone(),
        Value::Number(n)
            if matches!(
                key,
                "gracePeriodSeconds" | "timeoutSeconds" | "autoDisableMinFailingSeconds"
            ) =>
        {
            match n.as_u64() {
                Some(s) => duration(locale, s),
                None => n.to_string(),
            }
        }
        Value::Number(n) => n.to_string(),
        Value::Array(items) if items.is_empty() => locale.text("audit-value-none"),
        Value::Array(items) => items
            .iter()
            .map(|i| value(locale, key, i))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(o) if o.is_empty() => locale.text("audit-value-none"),
        Value::Object(_) => v.to_string(),
    }
}

fn duration(locale: Locale, seconds: u64) -> String {
    let (n, key) = match seconds {
        s if s >= 86_400 && s % 86_400 == 0 => (s / 86_400, "audit-duration-days"),
        s if s >= 3_600 && s % 3_600 == 0 => (s / 3_600, "audit-duration-hours"),
        s if s >= 60 && s % 60 == 0 => (s / 60, "audit-duration-minutes"),
        s => (s, "audit-duration-seconds"),
    };
    locale.text_with(key, &[("count", Arg::from(n))])
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_rotation_reads_as_who_did_what_to_which_endpoint() {
        let s = sentence(
            Locale::En,
            "ana@acme.test",
            "endpoint.secret_rotated",
            "https://erp.acme.test/hook",
            &json!({ "gracePeriodSeconds": 86400, "keyChosenByCaller": false }),
        );
        assert_eq!(
            s,
            "ana@acme.test rotated the signing secret of https://erp.acme.test/hook"
        );
    }

    #[test]
    fn permissions_and_plans_read_as_the_pages_name_them() {
        let changed = sentence(
            Locale::En,
            "Herald",
            "user.permission_changed",
            "bo@acme.test",
            &json!({ "permission": { "from": "integration.read", "to": "admin" } }),
        );
        assert_eq!(
            changed,
            "Herald changed the permission of bo@acme.test from read only to admin"
        );
        let plan = sentence(
            Locale::En,
            "Herald",
            "application.plan_changed",
            "app_1",
            &json!({ "plan": { "from": "Basic", "to": null } }),
        );
        assert_eq!(plan, "Herald took the company off its plan (no limits)");
        let counted = sentence(
            Locale::En,
            "portal link",
            "endpoint.missed_sent",
            "https://a.test",
            &json!({ "deliveries": 1 }),
        );
        assert_eq!(
            counted,
            "Portal link sent https://a.test 1 delivery it had missed"
        );
    }

    #[test]
    fn an_unknown_action_still_reads() {
        assert_eq!(
            sentence(
                Locale::En,
                "Herald",
                "endpoint.teleported",
                "ep_1",
                &json!({})
            ),
            "Herald did endpoint.teleported on ep_1"
        );
    }

    #[test]
    fn changes_read_as_labels_and_plain_values() {
        let lines = detail_lines(
            Locale::En,
            &json!({
                "url": { "from": "https://a.test", "to": "https://b.test" },
                "disabled": { "from": false, "to": true },
                "gracePeriodSeconds": 86400,
                "eventTypes": [],
                "channels": null,
                "permission": "integration.write",
            }),
        );
        assert_eq!(
            lines,
            [
                "Channels: any channel",
                "Disabled: no → yes",
                "Event types: none",
                "Old secret still accepted for: 1 day",
                "Permission: read and write",
                "URL: https://a.test → https://b.test",
            ]
        );
    }

    #[test]
    fn a_sentence_is_written_in_the_viewers_language() {
        let changes = json!({ "permission": { "from": "integration.read", "to": "admin" } });
        assert_eq!(
            sentence(
                Locale::Fr,
                "portal link",
                "user.permission_changed",
                "bo@acme.test",
                &changes,
            ),
            "Lien de portail a changé l’autorisation de bo@acme.test de « lecture seule » à « administrateur »"
        );
        let arabic = sentence(
            Locale::Ar,
            "ana@acme.test",
            "endpoint.missed_sent",
            "https://a.test",
            &json!({ "deliveries": 2 }),
        );
        assert!(arabic.contains("عمليتا توصيل"), "{arabic}");
        assert!(arabic.contains("https://a.test"), "{arabic}");
        assert_eq!(
            detail_lines(
                Locale::Fr,
                &json!({ "disabled": { "from": false, "to": true } })
            ),
            ["Désactivé : non → oui"]
        );
    }

    #[test]
    fn the_actors_the_store_names_in_english_are_translated() {
        let key = "API key \"bootstrap\"";
        let link = "portal link (host user u_42)";
        let created = |locale, who| sentence(locale, who, "plan.created", "Pro", &json!({}));
        assert_eq!(
            created(Locale::En, key),
            "API key \"bootstrap\" created the plan Pro"
        );
        assert_eq!(
            created(Locale::En, link),
            "Portal link (host user u_42) created the plan Pro"
        );
        assert_eq!(
            created(Locale::Fr, key),
            "Clé d’API « bootstrap » a créé l’offre Pro"
        );
        assert_eq!(
            created(Locale::Fr, link),
            "Lien de portail (utilisateur hôte u_42) a créé l’offre Pro"
        );
    }

    #[test]
    fn filters_keep_their_prefix_and_an_unknown_one_keeps_everything() {
        assert_eq!(filter_prefix(&FILTERS, "team"), Some("user."));
        assert_eq!(filter_prefix(&FILTERS, "plans"), None);
        assert_eq!(filter_prefix(&CONSOLE_FILTERS, "plans"), Some("plan."));
        assert_eq!(filter_prefix(&FILTERS, ""), None);
    }
}
