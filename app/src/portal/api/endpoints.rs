//! Endpoints: the list and one endpoint, adding, changing, disabling and deleting them, their
//! signing secret (reveal, rotate, how to verify) and test events.

use crate::portal::{
    EndpointDetail, EndpointSummary, EventTypeInfo, PortalError, VerificationGuide,
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod imp {
    use crate::i18n::Arg;
    pub use crate::portal::api::prelude::*;
    use crate::portal::{EventTypeInfo, HealthWindow};
    use crate::ssr::infra::time::now_ms;
    pub use crate::ssr::portal_auth::request_locale;
    use crate::ssr::store::endpoint_hours::{self, Hour, HOUR_MS};

    pub fn to_info(e: event_types::EventType) -> EventTypeInfo {
        let example =
            serde_json::to_string_pretty(&e.example_payload()).unwrap_or_else(|_| "{}".into());
        let schemas = e
            .schemas
            .as_deref()
            .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
            .filter(|v| v.as_object().is_some_and(|o| !o.is_empty()));
        let fields = schemas
            .as_ref()
            .map(crate::ssr::domain::catalogue::schema_fields)
            .unwrap_or_default()
            .into_iter()
            .map(|f| crate::portal::SchemaFieldRow {
                path: f.path,
                kind: f.kind,
                required: f.required,
                description: f.description,
            })
            .collect();
        let schema = schemas.and_then(|v| serde_json::to_string_pretty(&v).ok());
        EventTypeInfo {
            name: e.name,
            description: e.description,
            category: e.group_name.filter(|g| !g.is_empty()),
            deprecated: e.deprecated != 0,
            example,
            schema,
            fields,
        }
    }

    /// The event types this session may see: not archived, and behind no feature flag the
    /// session lacks.
    pub async fn visible_event_types(c: &Caller) -> Result<Vec<EventTypeInfo>, PortalError> {
        let mut out = Vec::new();
        let mut q = ListQuery::new(Some(250), None, false);
        loop {
            let page = event_types::list(&c.state.db, &q, false).await?;
            for e in page.data {
                let visible = e
                    .feature_flag
                    .as_ref()
                    .is_none_or(|f| c.session.feature_flags.contains(f));
                if visible {
                    out.push(to_info(e));
                }
            }
            match page.iterator {
                Some(it) if !page.done => q = ListQuery::new(Some(250), Some(it), false),
                _ => break,
            }
        }
        Ok(out)
    }

    /// The form's rate limit: empty for none, else a whole number of sends a second.
    pub fn parse_rate_limit(raw: &str) -> Result<Option<i64>, PortalError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        match raw.parse::<i64>() {
            Ok(n) if (1..=65_535).contains(&n) => Ok(Some(n)),
            _ => Err(PortalError::field(
                "rate_limit",
                request_locale().text("endpoint-error-rate-limit"),
            )),
        }
    }

    /// The form's custom headers, rows of a name and a value, as the endpoint will send them.
    /// A row with neither is dropped, and so is a header whose name was cleared: that is how one
    /// is removed. A header the form never showed the value of (its name suggests a
    /// credential) keeps its value when the field is left empty.
    pub fn headers_from_form(
        names: Option<Vec<String>>,
        values: Option<Vec<String>>,
        existing: &std::collections::BTreeMap<String, String>,
    ) -> Result<std::collections::BTreeMap<String, String>, PortalError> {
        let names = names.unwrap_or_default();
        let mut values = values.unwrap_or_default().into_iter();
        let mut out = std::collections::BTreeMap::new();
        for name in names {
            let name = name.trim().to_owned();
            let value = values.next().unwrap_or_default().trim().to_owned();
            if name.is_empty() {
                if value.is_empty() {
                    continue;
                }
                // The value is not repeated: it is often a credential.
                return Err(PortalError::field(
                    "headers",
                    request_locale().text("endpoint-error-header-no-name"),
                ));
            }
            if out.keys().any(|k: &String| k.eq_ignore_ascii_case(&name)) {
                return Err(PortalError::field(
                    "headers",
                    request_locale()
                        .text_with("endpoint-error-header-twice", &[("name", Arg::from(&name))]),
                ));
            }
            let value = match (value.is_empty(), existing.get(&name)) {
                (true, Some(kept)) if endpoints::is_sensitive_header(&name) => kept.clone(),
                (true, _) => {
                    return Err(PortalError::field(
                        "headers",
                        request_locale().text_with(
                            "endpoint-error-header-no-value",
                            &[("name", Arg::from(&name))],
                        ),
                    ))
                }
                (false, _) => value,
            };
            out.insert(name, value);
        }
        Ok(out)
    }

    /// A test event's payload as the person wrote it: a JSON object, kept byte for byte. What is
    /// wrong is named with its line and column, as an editor would.
    pub fn test_payload(text: &str) -> Result<Box<serde_json::value::RawValue>, PortalError> {
        let locale = request_locale();
        let raw: Box<serde_json::value::RawValue> = serde_json::from_str(text).map_err(|e| {
            // serde_json words what else can be wrong only in English.
            let reason = match e.classify() {
                serde_json::error::Category::Eof => locale.text("endpoint-error-payload-eof"),
                _ => e
                    .to_string()
                    .split(" at line")
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            };
            PortalError::field(
                "payload",
                locale.text_with(
                    "endpoint-error-payload-json",
                    &[
                        ("reason", Arg::from(reason)),
                        ("line", Arg::from(e.line())),
                        ("column", Arg::from(e.column())),
                    ],
                ),
            )
        })?;
        if !raw.get().starts_with('{') {
            return Err(PortalError::field(
                "payload",
                locale.text("endpoint-error-payload-object"),
            ));
        }
        Ok(raw)
    }

    /// The event types a form chose: the union of whole categories and single events, or, when
    /// none is ticked, "all events" (None). A specific choice wins over a forgotten "all events"
    /// tick, because without JavaScript the page cannot untick it for the user.
    pub async fn chosen_event_types(
        c: &Caller,
        all_events: Option<String>,
        categories: Option<Vec<String>>,
        event_types: Option<Vec<String>>,
    ) -> Result<Option<Vec<String>>, PortalError> {
        let mut chosen: Vec<String> = event_types.unwrap_or_default();
        let categories = categories.unwrap_or_default();
        if chosen.is_empty() && categories.is_empty() && all_events.is_some() {
            return Ok(None);
        }
        if !categories.is_empty() {
            for t in visible_event_types(c).await? {
                let cat = t.category.clone().unwrap_or_else(|| "Other".to_owned());
                if categories.contains(&cat) {
                    chosen.push(t.name);
                }
            }
        }
        chosen.sort();
        chosen.dedup();
        if chosen.is_empty() {
            return Err(PortalError::field(
                "events",
                request_locale().text("endpoint-error-no-events"),
            ));
        }
        Ok(Some(chosen))
    }

    /// Why this company may not add another endpoint (its plan's limit), if it may not.
    pub async fn plan_limit(c: &Caller) -> Result<Option<String>, PortalError> {
        let Some(reason) = crate::ssr::domain::plans::endpoint_limit(&c.state.db, &c.app).await?
        else {
            return Ok(None);
        };
        Ok(Some(match limit_in_words(c, &reason).await? {
            Some(text) => text,
            None => {
                // Sentence case for the page: the store's text starts in lower case.
                let mut chars = reason.chars();
                chars
                    .next()
                    .map(|f| f.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
        }))
    }

    /// The viewer's language for `reason` if it is the plan's endpoint limit, which the store
    /// words in English for the REST API.
    pub async fn limit_in_words(c: &Caller, reason: &str) -> Result<Option<String>, PortalError> {
        let usage =
            crate::ssr::store::plans::usage(&c.state.db, &c.app, c.state.settings.plan_window)
                .await?;
        let Some(plan) = usage
            .plan
            .filter(|p| crate::ssr::store::plans::limit_text(p, usage.endpoints) == reason)
        else {
            return Ok(None);
        };
        Ok(Some(request_locale().text_with(
            "endpoint-plan-limit",
            &[
                ("plan", Arg::from(plan.name)),
                ("max", Arg::from(plan.max_endpoints)),
                ("used", Arg::from(usage.endpoints)),
            ],
        )))
    }

    /// Per endpoint, the tries that succeeded and failed in each of the last 24 hours (the
    /// current one last), and the sum of those hours.
    pub async fn last_day(
        c: &Caller,
    ) -> Result<std::collections::HashMap<String, (Vec<(u32, u32)>, Hour)>, PortalError> {
        let first = (now_ms().div_euclid(HOUR_MS) - 23) * HOUR_MS;
        let mut out: std::collections::HashMap<String, (Vec<(u32, u32)>, Hour)> =
            Default::default();
        for h in endpoint_hours::of_company(&c.state.db, &c.app, first).await? {
            let (bars, sum) = out
                .entry(h.endpoint_id.clone())
                .or_insert_with(|| (vec![(0, 0); 24], Hour::default()));
            let i = usize::try_from((h.hour_start - first) / HOUR_MS).unwrap_or(usize::MAX);
            if let Some(b) = bars.get_mut(i) {
                b.0 += u32::try_from(h.attempts_ok).unwrap_or(u32::MAX);
                b.1 += u32::try_from(h.attempts_failed).unwrap_or(u32::MAX);
            }
            sum.add(&h);
        }
        Ok(out)
    }

    /// The hours' sum as the portal shows it.
    pub fn health_window<'a>(hours: impl IntoIterator<Item = &'a Hour>) -> HealthWindow {
        let mut sum = Hour::default();
        for h in hours {
            sum.add(h);
        }
        let locale = request_locale();
        let label = |q: f64| {
            endpoint_hours::percentile(&sum.latency(), q).map(|bound| match bound {
                Some(ms) if ms >= 1_000 => locale.text_with(
                    "endpoint-latency-s",
                    &[("seconds", Arg::from(ms as f64 / 1_000.0))],
                ),
                Some(ms) => locale.text_with("endpoint-latency-ms", &[("ms", Arg::from(ms))]),
                None => locale.text_with(
                    "endpoint-latency-over",
                    &[(
                        "seconds",
                        Arg::from(
                            endpoint_hours::LATENCY_BOUNDS_MS
                                [endpoint_hours::LATENCY_BOUNDS_MS.len() - 1]
                                / 1_000,
                        ),
                    )],
                ),
            })
        };
        HealthWindow {
            delivered: sum.delivered,
            delivered_first_try: sum.delivered_first_try,
            failed: sum.failed,
            attempts: sum.attempts_ok + sum.attempts_failed,
            attempts_failed: sum.attempts_failed,
            p50: label(0.5),
            p95: label(0.95),
            p99: label(0.99),
        }
    }

    /// One endpoint's last 24 hours and 7 days, and its last success within them.
    pub async fn endpoint_windows(
        c: &Caller,
        endpoint: &str,
    ) -> Result<(HealthWindow, HealthWindow, Option<i64>), PortalError> {
        let now_hour = now_ms().div_euclid(HOUR_MS);
        let week_from = (now_hour - 7 * 24 + 1) * HOUR_MS;
        let day_from = (now_hour - 23) * HOUR_MS;
        let hours = endpoint_hours::of_endpoint(&c.state.db, endpoint, week_from).await?;
        let last = hours.iter().filter_map(|h| h.last_success_at).max();
        let day = health_window(hours.iter().filter(|h| h.hour_start >= day_from));
        Ok((day, health_window(&hours), last))
    }
}

#[server(prefix = "/portal/fn", endpoint = "list_endpoints")]
pub async fn list_endpoints(app: String) -> Result<Vec<EndpointSummary>, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let mut last_day = last_day(&c).await?;
    use crate::portal::EndpointHealth;
    let mut health: std::collections::HashMap<String, EndpointHealth> =
        endpoints::health(&c.state.db, &c.app)
            .await?
            .into_iter()
            .map(|h| {
                let view = EndpointHealth {
                    failing_since: h.first_failure_at,
                    consecutive_failures: h.consecutive_failures,
                    paused_until: h.paused_until,
                    paused_by_receiver: h.paused_reason.as_deref() == Some("retry-after"),
                    waiting: h.waiting.min(endpoints::WAITING_COUNT_LIMIT),
                    waiting_more: h.waiting > endpoints::WAITING_COUNT_LIMIT,
                };
                (h.id, view)
            })
            .collect();
    let mut out = Vec::new();
    let mut q = ListQuery::new(Some(250), None, false);
    loop {
        let page = endpoints::list(&c.state.db, &c.app, &q).await?;
        for e in page.data {
            let (bars, sum) = last_day
                .remove(&e.id)
                .unwrap_or_else(|| (vec![(0, 0); 24], Default::default()));
            out.push(EndpointSummary {
                success_rate: health_window([&sum]).success_rate(),
                hourly: bars,
                health: health.remove(&e.id).unwrap_or_default(),
                id: e.id,
                url: e.url,
                description: e.description,
                disabled: e.disabled != 0,
                disabled_reason: e.disabled_reason,
            });
        }
        match page.iterator {
            Some(it) if !page.done => q = ListQuery::new(Some(250), Some(it), false),
            _ => break,
        }
    }
    Ok(out)
}

/// Each endpoint's id and URL, for pickers such as the log's endpoint filter: no health or
/// counts, so it costs one index range however long the log.
#[server(prefix = "/portal/fn", endpoint = "endpoint_names")]
pub async fn endpoint_names(app: String) -> Result<Vec<(String, String)>, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let mut out = Vec::new();
    let mut q = ListQuery::new(Some(250), None, false);
    loop {
        let page = endpoints::list(&c.state.db, &c.app, &q).await?;
        out.extend(page.data.into_iter().map(|e| (e.id, e.url)));
        match page.iterator {
            Some(it) if !page.done => q = ListQuery::new(Some(250), Some(it), false),
            _ => break,
        }
    }
    Ok(out)
}

/// Why this company may not add another endpoint (its plan's limit), if it may not.
#[server(prefix = "/portal/fn", endpoint = "endpoint_limit")]
pub async fn endpoint_limit(app: String) -> Result<Option<String>, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    plan_limit(&c).await.map_err(fail)
}

#[server(prefix = "/portal/fn", endpoint = "get_endpoint")]
pub async fn get_endpoint(app: String, endpoint: String) -> Result<EndpointDetail, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let e = endpoints::get(&c.state.db, &c.app, &endpoint)
        .await
        .map_err(|e| fail(e.into()))?;
    let (day, week, last_success_at) = endpoint_windows(&c, &e.id).await?;
    Ok(EndpointDetail {
        success_rate: day.success_rate(),
        day,
        week,
        last_success_at,
        event_types: e.event_type_list(),
        rate_limit: e.throttle_rate.filter(|r| *r > 0),
        headers: e
            .header_map()
            .into_iter()
            .map(|(name, value)| {
                let hidden = endpoints::is_sensitive_header(&name);
                crate::portal::HeaderRow {
                    value: (!hidden).then_some(value),
                    name,
                }
            })
            .collect(),
        id: e.id,
        url: e.url,
        description: e.description,
        disabled: e.disabled != 0,
        disabled_reason: e.disabled_reason,
        created_at: e.created_at,
    })
}

#[server(prefix = "/portal/fn", endpoint = "event_catalogue")]
pub async fn event_catalogue(app: String) -> Result<Vec<EventTypeInfo>, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    visible_event_types(&c).await
}

#[server(prefix = "/portal/fn", endpoint = "create_endpoint")]
// One argument per field of the form (see `update_endpoint`).
#[allow(clippy::too_many_arguments)]
pub async fn create_endpoint(
    app: String,
    url: String,
    description: String,
    all_events: Option<String>,
    categories: Option<Vec<String>>,
    event_types: Option<Vec<String>>,
    rate_limit: Option<String>,
    header_name: Option<Vec<String>>,
    header_value: Option<Vec<String>>,
) -> Result<(), PortalError> {
    use imp::*;
    let c = require(&app, Permission::Write).await.map_err(fail)?;
    let throttle_rate = parse_rate_limit(rate_limit.as_deref().unwrap_or("")).map_err(fail)?;
    let headers =
        headers_from_form(header_name, header_value, &Default::default()).map_err(fail)?;
    let chosen = chosen_event_types(&c, all_events, categories, event_types)
        .await
        .map_err(fail)?;
    let created = endpoints::create(
        &c.state,
        &c.actor().await,
        &c.app,
        endpoints::EndpointInput {
            url: url.trim().to_owned(),
            description: description.trim().to_owned(),
            event_types: chosen,
            throttle_rate,
            headers: (!headers.is_empty()).then_some(headers),
            ..Default::default()
        },
    )
    .await;
    let ep = match created {
        Ok(ep) => ep,
        // The plan's limit is checked again as the endpoint is saved.
        Err(crate::ssr::ServiceError::Validation(msg)) => {
            if let Ok(Some(reason)) = limit_in_words(&c, &msg).await {
                return Err(fail(PortalError::Invalid(reason)));
            }
            return Err(fail(crate::ssr::ServiceError::Validation(msg).into()));
        }
        Err(e) => return Err(fail(e.into())),
    };
    tracing::info!(app = %c.app, endpoint = %ep.id, "portal: endpoint created");
    let show = if c.state.settings.delivery.secret_shown_once {
        "?created=1&reveal=1"
    } else {
        ""
    };
    leptos_axum::redirect(&format!("/portal/{}/endpoints/{}{show}", c.app, ep.id));
    Ok(())
}

#[server(prefix = "/portal/fn", endpoint = "update_endpoint")]
// One argument per field of the form. Not `expect`: the server macro copies the attribute onto
// the items it generates, and only some of those trip the lint.
#[allow(clippy::too_many_arguments)]
pub async fn update_endpoint(
    app: String,
    endpoint: String,
    url: String,
    description: String,
    all_events: Option<String>,
    categories: Option<Vec<String>>,
    event_types: Option<Vec<String>>,
    rate_limit: Option<String>,
    header_name: Option<Vec<String>>,
    header_value: Option<Vec<String>>,
) -> Result<(), PortalError> {
    use imp::*;
    let c = require(&app, Permission::Write).await.map_err(fail)?;
    let existing = endpoints::get(&c.state.db, &c.app, &endpoint)
        .await
        .map_err(|e| fail(e.into()))?;
    let chosen = chosen_event_types(&c, all_events, categories, event_types)
        .await
        .map_err(fail)?;
    // An empty field arrives as no value at all: no limit.
    let throttle_rate = parse_rate_limit(rate_limit.as_deref().unwrap_or("")).map_err(fail)?;
    let had = existing.header_map();
    let headers = headers_from_form(header_name, header_value, &had).map_err(fail)?;
    // Checked before anything is saved, so a refused header leaves the endpoint as it was.
    endpoints::validate_headers(&headers, &c.state.settings.delivery)
        .map_err(|e| fail(e.into()))?;
    let input = endpoints::EndpointInput {
        url: url.trim().to_owned(),
        description: description.trim().to_owned(),
        event_types: chosen,
        throttle_rate,
        ..endpoints::EndpointInput::from(&existing)
    };
    let actor = c.actor().await;
    let saved = endpoints::replace(&c.state, &actor, &existing, input)
        .await
        .map_err(|e| fail(e.into()))?;
    // Headers have their own entry in the audit trail, naming them without their values.
    if headers != had {
        endpoints::set_headers(&c.state, &actor, &saved, headers)
            .await
            .map_err(|e| fail(e.into()))?;
    }
    leptos_axum::redirect(&format!("/portal/{}/endpoints/{}", c.app, existing.id));
    Ok(())
}

#[server(prefix = "/portal/fn", endpoint = "delete_endpoint")]
pub async fn delete_endpoint(app: String, endpoint: String) -> Result<(), PortalError> {
    use imp::*;
    let c = require(&app, Permission::Write).await.map_err(fail)?;
    let existing = endpoints::get(&c.state.db, &c.app, &endpoint)
        .await
        .map_err(|e| fail(e.into()))?;
    endpoints::delete(&c.state, &c.actor().await, &existing)
        .await
        .map_err(|e| fail(e.into()))?;
    tracing::info!(app = %c.app, endpoint = %endpoint, "portal: endpoint deleted");
    leptos_axum::redirect(&format!("/portal/{}", c.app));
    Ok(())
}

/// "Disable" and "Enable". `disabled` is "true" or "false", as a form sends it.
#[server(prefix = "/portal/fn", endpoint = "set_endpoint_state")]
pub async fn set_endpoint_state(
    app: String,
    endpoint: String,
    disabled: String,
) -> Result<(), PortalError> {
    use imp::*;
    let c = require(&app, Permission::Write).await.map_err(fail)?;
    let existing = endpoints::get(&c.state.db, &c.app, &endpoint)
        .await
        .map_err(|e| fail(e.into()))?;
    let input = endpoints::EndpointInput {
        disabled: disabled == "true",
        ..endpoints::EndpointInput::from(&existing)
    };
    endpoints::replace(&c.state, &c.actor().await, &existing, input)
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(())
}

#[server(prefix = "/portal/fn", endpoint = "reveal_secret")]
pub async fn reveal_secret(app: String, endpoint: String) -> Result<String, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Write).await.map_err(fail)?;
    let ep = endpoints::get(&c.state.db, &c.app, &endpoint)
        .await
        .map_err(|e| fail(e.into()))?;
    let actor = c.actor().await;
    let secret = if c.state.settings.delivery.secret_shown_once {
        endpoints::reveal_once(&c.state, &actor, &c.app, &ep.id)
            .await
            .map_err(|e| fail(e.into()))?
            .ok_or_else(|| {
                fail(PortalError::Invalid(
                    request_locale().text("endpoint-error-secret-shown"),
                ))
            })?
    } else {
        endpoints::current_secret(&c.state, &actor, &c.app, &ep.id)
            .await
            .map_err(|e| fail(e.into()))?
    };
    Ok(secret)
}

/// How to verify deliveries under the deployment's signature scheme, with code to copy.
#[server(prefix = "/portal/fn", endpoint = "verify_help")]
pub async fn verify_help(app: String) -> Result<VerificationGuide, PortalError> {
    use crate::ssr::delivery::snippets;
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let p = &c.state.settings.delivery;
    Ok(VerificationGuide {
        summary: snippets::summary(p, crate::ssr::portal_auth::request_locale()),
        snippets: snippets::snippets(p)
            .into_iter()
            .map(|s| (s.language.to_owned(), s.code))
            .collect(),
        secret_shown_once: p.secret_shown_once,
        rotation_immediate: p.rotation_grace == Some(std::time::Duration::ZERO),
    })
}

/// Rotates the signing secret. `grace` is how long the old secret keeps signing too: "0", "1h"
/// or "24h".
#[server(prefix = "/portal/fn", endpoint = "rotate_secret")]
pub async fn rotate_secret(
    app: String,
    endpoint: String,
    grace: String,
) -> Result<(), PortalError> {
    use imp::*;
    let c = require(&app, Permission::Write).await.map_err(fail)?;
    let grace = match grace.as_str() {
        "0" | "" => std::time::Duration::ZERO,
        "1h" => std::time::Duration::from_secs(3600),
        "24h" => std::time::Duration::from_secs(24 * 3600),
        _ => {
            return Err(fail(PortalError::Invalid(
                request_locale().text("endpoint-error-grace"),
            )))
        }
    };
    let ep = endpoints::get(&c.state.db, &c.app, &endpoint)
        .await
        .map_err(|e| fail(e.into()))?;
    endpoints::rotate_secret(
        &c.state,
        &c.actor().await,
        c.app.clone(),
        &ep.id,
        None,
        grace,
    )
    .await
    .map_err(|e| fail(e.into()))?;
    tracing::info!(app = %c.app, endpoint = %ep.id, grace_secs = grace.as_secs(), "portal: secret rotated");
    // Where a secret is shown only once, it is shown now.
    let show = if c.state.settings.delivery.secret_shown_once {
        "&reveal=1"
    } else {
        ""
    };
    leptos_axum::redirect(&format!(
        "/portal/{}/endpoints/{}?rotated=1{show}",
        c.app, ep.id
    ));
    Ok(())
}

/// Sends a test of an event type to this endpoint only: the payload the person edited, or the
/// event type's example when they left it empty. The message is marked as a test. Returns its
/// id.
#[server(prefix = "/portal/fn", endpoint = "send_test_event")]
pub async fn send_test_event(
    app: String,
    endpoint: String,
    event_type: String,
    payload: Option<String>,
) -> Result<String, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Write).await.map_err(fail)?;
    let ep = endpoints::get(&c.state.db, &c.app, &endpoint)
        .await
        .map_err(|e| fail(e.into()))?;
    if ep.disabled != 0 {
        return Err(fail(PortalError::Invalid(
            request_locale().text("endpoint-error-test-disabled"),
        )));
    }
    let et = event_types::get(&c.state.db, &event_type)
        .await
        .map_err(|_| {
            fail(PortalError::Invalid(
                request_locale().text("endpoint-error-test-event-type"),
            ))
        })?;
    let payload = match payload.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => serde_json::value::to_raw_value(&et.example_payload())
            .map_err(|e| fail(crate::ssr::ServiceError::Internal(e.into()).into()))?,
        Some(text) => test_payload(text).map_err(fail)?,
    };
    let tenant = tenants::ensure_active(&c.state.db, &c.app)
        .await
        .map_err(|e| fail(e.into()))?;
    let msg = intake::NewMessage {
        event_type: et.name,
        event_id: None,
        payload,
        channels: None,
    };
    let m = intake::send_test(&c.state, &c.actor().await, &tenant, &ep.id, msg)
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(m.id)
}
