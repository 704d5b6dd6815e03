//! The audit trail in sentences: "ana@acme.test rotated the secret of https://erp.acme.test/hook".
//!
//! The store keeps each entry as the domain filed it (an action name, a target id, the changes as
//! JSON) so that the API and exports stay exact; the pages read it through here. The subject is
//! what the target is called, named by `domain::audit::named` (an endpoint's URL, a member's
//! e-mail).

use serde_json::Value;

/// The trail's filters: the key in the URL (`?show=`), its label, and the action prefix it keeps.
pub const FILTERS: [(&str, &str, &str); 4] = [
    ("endpoints", "Endpoints", "endpoint."),
    ("messages", "Messages", "message."),
    ("team", "Team", "user."),
    ("company", "Company", "application."),
];

/// The console's filters: the company ones and the deployment's own.
pub const CONSOLE_FILTERS: [(&str, &str, &str); 8] = [
    FILTERS[0],
    FILTERS[1],
    FILTERS[2],
    FILTERS[3],
    ("plans", "Plans", "plan."),
    ("keys", "API keys", "api_key."),
    ("catalogue", "Event catalogue", "event_type."),
    ("imports", "Catalogue imports", "catalogue."),
];

/// The action prefix the filter `show` keeps; `None` (everything) for no filter or one not known.
pub fn filter_prefix(filters: &[(&str, &str, &'static str)], show: &str) -> Option<&'static str> {
    filters
        .iter()
        .find(|(key, _, _)| *key == show)
        .map(|(_, _, prefix)| *prefix)
}

/// One entry as a sentence. `who` is the actor as filed, `subject` what the target names.
pub fn sentence(who: &str, action: &str, subject: &str, changes: &Value) -> String {
    let text = |k: &str| changes.get(k).and_then(Value::as_str).map(str::to_owned);
    let number = |k: &str| changes.get(k).and_then(Value::as_u64).unwrap_or(0);
    let permission = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .map(|p| super::permission_label(p).to_lowercase())
            .unwrap_or_else(|| "no permission".to_owned())
    };
    let body = match action {
        "endpoint.created" => format!("added the endpoint {subject}"),
        "endpoint.updated" => format!("changed the endpoint {subject}"),
        "endpoint.disabled" => format!("disabled the endpoint {subject}"),
        "endpoint.enabled" => format!("enabled the endpoint {subject}"),
        "endpoint.deleted" => format!("deleted the endpoint {subject}"),
        "endpoint.secret_rotated" => format!("rotated the signing secret of {subject}"),
        "endpoint.secret_revealed" => format!("revealed the signing secret of {subject}"),
        "endpoint.headers_updated" => format!("changed the custom headers of {subject}"),
        "endpoint.test_sent" => match text("eventType") {
            Some(t) => format!("sent a test {t} event to {subject}"),
            None => format!("sent a test event to {subject}"),
        },
        "endpoint.recovered" => format!(
            "sent again {} to {subject}",
            deliveries(number("deliveries"), "failed delivery", "failed deliveries")
        ),
        "endpoint.missed_sent" => format!(
            "sent {subject} {} it had missed",
            deliveries(number("deliveries"), "delivery", "deliveries")
        ),
        "message.resent" => format!("resent the message {subject}"),
        "user.invited" => format!(
            "invited {subject} as {}",
            permission(changes.get("permission"))
        ),
        "user.joined" => format!(
            "joined the company as {}",
            permission(changes.get("permission"))
        ),
        "user.permission_changed" => format!(
            "changed the permission of {subject} from {} to {}",
            permission(changes.pointer("/permission/from")),
            permission(changes.pointer("/permission/to"))
        ),
        "user.removed" => format!("removed {subject} from the company"),
        "application.created" => "created the company".to_owned(),
        "application.updated" => "changed the company's settings".to_owned(),
        "application.deleted" => "deleted the company".to_owned(),
        "application.disabled" => "disabled the company".to_owned(),
        "application.enabled" => "enabled the company".to_owned(),
        "application.branding_changed" => "changed the company's portal branding".to_owned(),
        "application.plan_changed" => match changes.pointer("/plan/to").and_then(Value::as_str) {
            Some(plan) => format!("moved the company to the {plan} plan"),
            None => "took the company off its plan (no limits)".to_owned(),
        },
        "api_key.created" => format!("created the API key {subject}"),
        "api_key.revoked" => format!("revoked the API key {subject}"),
        "plan.created" => format!("created the plan {subject}"),
        "plan.updated" => format!("changed the plan {subject}"),
        "plan.deleted" => format!("deleted the plan {subject}"),
        "catalogue.imported" => format!(
            "imported the event catalogue: {} created, {} updated",
            number("created"),
            number("updated")
        ),
        "event_type.created" => format!("added the event type {subject}"),
        "event_type.updated" => format!("changed the event type {subject}"),
        "event_type.archived" => format!("archived the event type {subject}"),
        "event_type.restored" => format!("restored the event type {subject}"),
        "event_type.deleted" => format!("deleted the event type {subject}"),
        // An action this version does not know (filed by a newer one): still readable.
        other => format!("did {other} on {subject}"),
    };
    // E-mail addresses are written as they are; "portal link" and the like start a sentence.
    let who = if who.contains('@') {
        who.to_owned()
    } else {
        capitalised(who)
    };
    format!("{who} {body}")
}

/// An entry's changes as lines people read: `Label: before → after`, or `Label: value`.
pub fn detail_lines(changes: &Value) -> Vec<String> {
    let Some(obj) = changes.as_object() else {
        return Vec::new();
    };
    obj.iter()
        .map(|(k, v)| {
            let label = label(k);
            match (v.get("from"), v.get("to"), v.as_object().map(|o| o.len())) {
                (Some(from), Some(to), Some(2)) => {
                    format!("{label}: {} → {}", value(k, from), value(k, to))
                }
                _ => format!("{label}: {}", value(k, v)),
            }
        })
        .collect()
}

fn label(key: &str) -> String {
    let known = match key {
        "url" => "URL",
        "uid" => "UID",
        "description" => "Description",
        "eventTypes" => "Event types",
        "channels" => "Channels",
        "disabled" => "Disabled",
        "rateLimit" => "Rate limit (per second)",
        "metadata" => "Metadata",
        "headers" => "Custom headers",
        "gracePeriodSeconds" => "Old secret still accepted for",
        "keyChosenByCaller" => "Secret chosen by the caller",
        "msgId" => "Message",
        "endpointId" => "Endpoint",
        "eventType" => "Event type",
        "since" => "Since",
        "until" => "Until",
        "deliveries" => "Deliveries",
        "email" => "E-mail",
        "permission" => "Permission",
        "name" => "Name",
        "plan" => "Plan",
        "displayName" => "Product name",
        "logoUrl" => "Logo",
        "accentColor" => "Accent colour",
        "theme" => "Theme",
        "upgradeUrl" => "Plan upgrade page",
        "groupName" => "Group",
        "created" => "Created",
        "updated" => "Updated",
        "via" => "Through",
        "maxEndpoints" => "Endpoints allowed",
        "deliveriesPerHour" => "Deliveries per hour",
        "retrySchedule" => "Retry schedule",
        "timeoutSeconds" => "Timeout",
        "retentionDays" => "Kept for (days)",
        "autoDisableAfter" => "Disabled after failed attempts",
        "autoDisableMinFailingSeconds" => "Disabled after failing for at least",
        _ => "",
    };
    if known.is_empty() {
        capitalised(key)
    } else {
        known.to_owned()
    }
}

fn value(key: &str, v: &Value) -> String {
    match v {
        // No filter: an endpoint without event types or channels takes every event.
        Value::Null if key == "eventTypes" => "all events".to_owned(),
        Value::Null if key == "channels" => "any channel".to_owned(),
        Value::Null => "none".to_owned(),
        Value::Bool(true) => "yes".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        Value::String(s) if key == "permission" => super::permission_label(s).to_lowercase(),
        Value::String(s) if s.is_empty() => "none".to_owned(),
        Value::String(s) => s.clone(),
        Value::Number(n)
            if matches!(
                key,
                "gracePeriodSeconds" | "timeoutSeconds" | "autoDisableMinFailingSeconds"
            ) =>
        {
            match n.as_u64() {
                Some(s) => duration(s),
                None => n.to_string(),
            }
        }
        Value::Number(n) => n.to_string(),
        Value::Array(items) if items.is_empty() => "none".to_owned(),
        Value::Array(items) => items
            .iter()
            .map(|i| value(key, i))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(o) if o.is_empty() => "none".to_owned(),
        Value::Object(_) => v.to_string(),
    }
}

fn duration(seconds: u64) -> String {
    let (n, unit) = match seconds {
        s if s >= 86_400 && s % 86_400 == 0 => (s / 86_400, "day"),
        s if s >= 3_600 && s % 3_600 == 0 => (s / 3_600, "hour"),
        s if s >= 60 && s % 60 == 0 => (s / 60, "minute"),
        s => (s, "second"),
    };
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

fn deliveries(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
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
            "Herald",
            "application.plan_changed",
            "app_1",
            &json!({ "plan": { "from": "Basic", "to": null } }),
        );
        assert_eq!(plan, "Herald took the company off its plan (no limits)");
        let counted = sentence(
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
            sentence("Herald", "endpoint.teleported", "ep_1", &json!({})),
            "Herald did endpoint.teleported on ep_1"
        );
    }

    #[test]
    fn changes_read_as_labels_and_plain_values() {
        let lines = detail_lines(&json!({
            "url": { "from": "https://a.test", "to": "https://b.test" },
            "disabled": { "from": false, "to": true },
            "gracePeriodSeconds": 86400,
            "eventTypes": [],
            "channels": null,
            "permission": "integration.write",
        }));
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
    fn filters_keep_their_prefix_and_an_unknown_one_keeps_everything() {
        assert_eq!(filter_prefix(&FILTERS, "team"), Some("user."));
        assert_eq!(filter_prefix(&FILTERS, "plans"), None);
        assert_eq!(filter_prefix(&CONSOLE_FILTERS, "plans"), Some("plan."));
        assert_eq!(filter_prefix(&FILTERS, ""), None);
    }
}
