//! The portal's server functions. Each is thin: it finds the caller with
//! [`require`](crate::ssr::portal_auth::require) (read or write), then calls the same services
//! the REST API uses. Argument names match the form fields of the pages, so every form also
//! posts without JavaScript.

use super::{
    AttemptDetail, AttemptPage, AuditPage, EndpointDetail, EndpointSummary, EventTypeInfo, HeldRow,
    InviteDetails, InviteSent, Notice, PortalError, TeamInfo, UsageInfo, VerificationGuide, Viewer,
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod imp {
    use super::*;
    use crate::ids::AttemptId;
    use crate::portal::AttemptRow;
    pub use crate::ssr::domain::{deliveries, intake, tenants};
    use crate::ssr::infra::time::now_ms;
    pub use crate::ssr::portal_auth::{fail, require, Caller};
    pub use crate::ssr::store::users::Permission;
    pub use crate::ssr::{
        domain::endpoints, store::attempts, store::audit, store::event_types, store::sessions,
        store::users, store::ListQuery,
    };

    /// Files an endpoint edit in the audit trail with what changed (nothing: no entry).
    pub async fn audit_edit(c: &Caller, before: &endpoints::Endpoint, after: &endpoints::Endpoint) {
        let changes = audit::diff(&audit::endpoint_view(before), &audit::endpoint_view(after));
        if changes.as_object().is_some_and(|o| !o.is_empty()) {
            c.audit(audit::endpoint_edit_action(&changes), &after.id, changes)
                .await;
        }
    }

    pub const DAY_MS: i64 = 24 * 3600 * 1000;

    pub fn to_info(e: event_types::EventType) -> EventTypeInfo {
        let example =
            serde_json::to_string_pretty(&e.example_payload()).unwrap_or_else(|_| "{}".into());
        let schema = e
            .schemas
            .as_deref()
            .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
            .filter(|v| v.as_object().is_some_and(|o| !o.is_empty()))
            .and_then(|v| serde_json::to_string_pretty(&v).ok());
        EventTypeInfo {
            name: e.name,
            description: e.description,
            category: e.group_name.filter(|g| !g.is_empty()),
            deprecated: e.deprecated != 0,
            example,
            schema,
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
            return Err(PortalError::Invalid(
                "Events: choose at least one event, a whole category, or all events.".into(),
            ));
        }
        Ok(Some(chosen))
    }

    /// Successes and failures per endpoint per hour over the last 24 hours. Attempt ids are
    /// ULIDs, so "since" is an id range on the (app_id, id) index, not a scan of the table.
    pub async fn hourly(
        c: &Caller,
    ) -> Result<std::collections::HashMap<String, Vec<(u32, u32)>>, PortalError> {
        let now = now_ms();
        let start = now - DAY_MS;
        let from_id = AttemptId::lower_bound_at(start);
        let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(
            "SELECT endpoint_id, (created_at - $3) / 3600000 AS h, status, COUNT(*) FROM attempts
             WHERE app_id = $1 AND id >= $2 GROUP BY endpoint_id, h, status",
        )
        .bind(c.app.as_str())
        .bind(from_id)
        .bind(start)
        .fetch_all(&c.state.db.read)
        .await
        .map_err(crate::ssr::ServiceError::from)?;
        let mut out: std::collections::HashMap<String, Vec<(u32, u32)>> = Default::default();
        for (ep, h, status, n) in rows {
            let buckets = out.entry(ep).or_insert_with(|| vec![(0, 0); 24]);
            let Some(b) = usize::try_from(h).ok().and_then(|h| buckets.get_mut(h)) else {
                continue;
            };
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            if status == 0 {
                b.0 += n;
            } else {
                b.1 += n;
            }
        }
        Ok(out)
    }

    pub fn rate(hours: &[(u32, u32)]) -> Option<f64> {
        let (ok, bad) = hours.iter().fold((0u64, 0u64), |(o, b), (x, y)| {
            (o + u64::from(*x), b + u64::from(*y))
        });
        (ok + bad > 0).then(|| ok as f64 / (ok + bad) as f64)
    }

    pub fn row(a: attempts::Attempt, event_type: String) -> AttemptRow {
        AttemptRow {
            id: a.id,
            msg_id: a.msg_id,
            endpoint_id: a.endpoint_id,
            url: a.url,
            event_type,
            succeeded: a.status == 0,
            status_code: a.response_status_code,
            duration_ms: a.duration_ms,
            manual: a.trigger_type == 1,
            at: a.created_at,
        }
    }

    pub fn header_list(json: Option<&str>) -> Vec<(String, String)> {
        let map: std::collections::BTreeMap<String, serde_json::Value> =
            crate::ssr::store::json_or_default(json);
        map.into_iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => (k, s),
                other => (k, other.to_string()),
            })
            .collect()
    }
}

/// Who is looking, and what they may do in this company.
#[server(prefix = "/portal/fn", endpoint = "viewer")]
pub async fn get_viewer(app: String) -> Result<Viewer, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let a = crate::ssr::store::applications::find(&c.state.db, c.app.as_str()).await?;
    let (email, companies) = match &c.session.user_id {
        Some(u) => {
            let user = users::get(&c.state.db, u).await?;
            let list = users::memberships(&c.state.db, u)
                .await?
                .into_iter()
                .map(|m| (m.app_id.to_string(), m.app_name))
                .collect();
            (Some(user.email), list)
        }
        None => (None, Vec::new()),
    };
    Ok(Viewer {
        app_id: a.id,
        app_name: a.name,
        can_write: c.can_write() && c.state.settings.delivery_enabled,
        is_admin: c.permission >= Permission::Admin,
        email,
        delivery_enabled: c.state.settings.delivery_enabled,
        companies,
    })
}

#[server(prefix = "/portal/fn", endpoint = "list_endpoints")]
pub async fn list_endpoints(app: String) -> Result<Vec<EndpointSummary>, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let mut hourly = hourly(&c).await?;
    let mut out = Vec::new();
    let mut q = ListQuery::new(Some(250), None, false);
    loop {
        let page = endpoints::list(&c.state.db, &c.app, &q).await?;
        for e in page.data {
            let hours = hourly.remove(&e.id).unwrap_or_else(|| vec![(0, 0); 24]);
            out.push(EndpointSummary {
                success_rate: rate(&hours),
                hourly: hours,
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

/// Why this company may not add another endpoint (its plan's limit), if it may not.
#[server(prefix = "/portal/fn", endpoint = "endpoint_limit")]
pub async fn endpoint_limit(app: String) -> Result<Option<String>, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let mut conn = c
        .state
        .db
        .read
        .acquire()
        .await
        .map_err(crate::ssr::ServiceError::from)?;
    let reason = crate::ssr::store::plans::endpoint_limit_reason(&mut conn, c.app.as_str())
        .await
        .map_err(crate::ssr::ServiceError::from)?;
    // Sentence case for the page: the API's text starts in lower case.
    Ok(reason.map(|r| {
        let mut chars = r.chars();
        chars
            .next()
            .map(|f| f.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }))
}

/// The company's plan and its use this hour; `None` when it is on no plan (no limits).
#[server(prefix = "/portal/fn", endpoint = "plan_usage")]
pub async fn plan_usage(app: String) -> Result<Option<UsageInfo>, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let u =
        crate::ssr::store::plans::usage(&c.state.db, &c.app, c.state.settings.plan_window).await?;
    Ok(u.plan.map(|p| UsageInfo {
        plan: p.name,
        endpoints: u.endpoints,
        endpoints_limit: p.max_endpoints,
        sent_this_hour: u.deliveries_this_hour,
        per_hour_limit: p.deliveries_per_hour,
        held: u.held,
        window_ends_at: u.window_ends_at,
    }))
}

/// The company's latest operational notices (endpoints disabled, events not delivered).
#[server(prefix = "/portal/fn", endpoint = "notices")]
pub async fn notices(app: String) -> Result<Vec<Notice>, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let since = crate::ssr::infra::time::now_ms() - 30 * DAY_MS;
    Ok(
        crate::ssr::store::notifications::recent(&c.state.db, &c.app, 5)
            .await?
            .into_iter()
            .filter(|n| n.created_at >= since)
            .map(|n| Notice {
                kind: n.event_type,
                summary: n.summary,
                at: n.created_at,
            })
            .collect(),
    )
}

/// Deliveries held back by the plan's hourly limit, oldest first.
#[server(prefix = "/portal/fn", endpoint = "held_deliveries")]
pub async fn held_deliveries(app: String) -> Result<Vec<HeldRow>, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    Ok(crate::ssr::store::plans::held(&c.state.db, &c.app, 50)
        .await?
        .into_iter()
        .map(|h| HeldRow {
            msg_id: h.msg_id,
            endpoint_id: h.endpoint_id,
            url: h.url,
            event_type: h.event_type,
            since: h.created_at,
            next_try: h.next_attempt_at,
        })
        .collect())
}

#[server(prefix = "/portal/fn", endpoint = "get_endpoint")]
pub async fn get_endpoint(app: String, endpoint: String) -> Result<EndpointDetail, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let e = endpoints::get(&c.state.db, &c.app, &endpoint)
        .await
        .map_err(|e| fail(e.into()))?;
    let mut hourly = hourly(&c).await?;
    Ok(EndpointDetail {
        success_rate: hourly.remove(&e.id).as_deref().and_then(rate),
        event_types: e.event_type_list(),
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
pub async fn create_endpoint(
    app: String,
    url: String,
    description: String,
    all_events: Option<String>,
    categories: Option<Vec<String>>,
    event_types: Option<Vec<String>>,
) -> Result<(), PortalError> {
    use imp::*;
    let c = require(&app, Permission::Write).await.map_err(fail)?;
    let chosen = chosen_event_types(&c, all_events, categories, event_types)
        .await
        .map_err(fail)?;
    let ep = endpoints::create(
        &c.state,
        &c.app,
        endpoints::EndpointInput {
            url: url.trim().to_owned(),
            description: description.trim().to_owned(),
            event_types: chosen,
            ..Default::default()
        },
    )
    .await
    .map_err(|e| fail(e.into()))?;
    tracing::info!(app = %c.app, endpoint = %ep.id, "portal: endpoint created");
    c.audit("endpoint.created", &ep.id, audit::endpoint_view(&ep))
        .await;
    let show = if c.state.settings.delivery.secret_shown_once {
        "?created=1&reveal=1"
    } else {
        ""
    };
    leptos_axum::redirect(&format!("/portal/{}/endpoints/{}{show}", c.app, ep.id));
    Ok(())
}

#[server(prefix = "/portal/fn", endpoint = "update_endpoint")]
pub async fn update_endpoint(
    app: String,
    endpoint: String,
    url: String,
    description: String,
    all_events: Option<String>,
    categories: Option<Vec<String>>,
    event_types: Option<Vec<String>>,
) -> Result<(), PortalError> {
    use imp::*;
    let c = require(&app, Permission::Write).await.map_err(fail)?;
    let existing = endpoints::get(&c.state.db, &c.app, &endpoint)
        .await
        .map_err(|e| fail(e.into()))?;
    let chosen = chosen_event_types(&c, all_events, categories, event_types)
        .await
        .map_err(fail)?;
    let input = endpoints::EndpointInput {
        url: url.trim().to_owned(),
        description: description.trim().to_owned(),
        event_types: chosen,
        ..endpoints::EndpointInput::from(&existing)
    };
    let updated = endpoints::replace(&c.state, &existing, input)
        .await
        .map_err(|e| fail(e.into()))?;
    audit_edit(&c, &existing, &updated).await;
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
    endpoints::delete(&c.state.db, &c.app, &existing.id)
        .await
        .map_err(|e| fail(e.into()))?;
    tracing::info!(app = %c.app, endpoint = %endpoint, "portal: endpoint deleted");
    c.audit(
        "endpoint.deleted",
        &existing.id,
        audit::endpoint_view(&existing),
    )
    .await;
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
    let updated = endpoints::replace(&c.state, &existing, input)
        .await
        .map_err(|e| fail(e.into()))?;
    audit_edit(&c, &existing, &updated).await;
    Ok(())
}

#[server(prefix = "/portal/fn", endpoint = "reveal_secret")]
pub async fn reveal_secret(app: String, endpoint: String) -> Result<String, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Write).await.map_err(fail)?;
    let ep = endpoints::get(&c.state.db, &c.app, &endpoint)
        .await
        .map_err(|e| fail(e.into()))?;
    let secret = if c.state.settings.delivery.secret_shown_once {
        endpoints::reveal_once(&c.state, &c.app, &ep.id)
            .await
            .map_err(|e| fail(e.into()))?
            .ok_or_else(|| {
                fail(PortalError::Invalid(
                    "This secret was shown once, when it was made. Rotate it to get a new one."
                        .into(),
                ))
            })?
    } else {
        endpoints::current_secret(&c.state, &c.app, &ep.id)
            .await
            .map_err(|e| fail(e.into()))?
    };
    c.audit("endpoint.secret_revealed", &ep.id, serde_json::json!({}))
        .await;
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
        summary: snippets::summary(p),
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
                "Grace period: choose one of the options.".into(),
            )))
        }
    };
    let ep = endpoints::get(&c.state.db, &c.app, &endpoint)
        .await
        .map_err(|e| fail(e.into()))?;
    endpoints::rotate_secret(&c.state, c.app.clone(), &ep.id, None, grace)
        .await
        .map_err(|e| fail(e.into()))?;
    tracing::info!(app = %c.app, endpoint = %ep.id, grace_secs = grace.as_secs(), "portal: secret rotated");
    let facts =
        serde_json::json!({ "gracePeriodSeconds": grace.as_secs(), "keyChosenByCaller": false });
    c.audit("endpoint.secret_rotated", &ep.id, facts).await;
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

/// Sends the event type's example payload to this endpoint only. Returns the message id.
#[server(prefix = "/portal/fn", endpoint = "send_test_event")]
pub async fn send_test_event(
    app: String,
    endpoint: String,
    event_type: String,
) -> Result<String, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Write).await.map_err(fail)?;
    let ep = endpoints::get(&c.state.db, &c.app, &endpoint)
        .await
        .map_err(|e| fail(e.into()))?;
    if ep.disabled != 0 {
        return Err(fail(PortalError::Invalid(
            "This endpoint is disabled: enable it before sending a test event.".into(),
        )));
    }
    let et = event_types::get(&c.state.db, &event_type)
        .await
        .map_err(|_| {
            fail(PortalError::Invalid(
                "Event type: choose one from the list.".into(),
            ))
        })?;
    let payload = serde_json::value::to_raw_value(&et.example_payload())
        .map_err(|e| fail(crate::ssr::ServiceError::Internal(e.into()).into()))?;
    let tenant = tenants::ensure_active(&c.state.db, &c.app)
        .await
        .map_err(|e| fail(e.into()))?;
    let accepted = intake::create(
        &c.state,
        &tenant,
        intake::NewMessage {
            event_type: et.name,
            event_id: None,
            payload,
            channels: None,
        },
        None,
        Some(&ep.id),
    )
    .await
    .map_err(|e| fail(e.into()))?;
    let m = match accepted {
        intake::Accepted::New(m) | intake::Accepted::Replayed(m) => m,
    };
    let facts = serde_json::json!({ "eventType": m.event_type, "msgId": m.id });
    c.audit("endpoint.test_sent", &ep.id, facts).await;
    Ok(m.id)
}

/// One page of the delivery log, newest first. `status` is "succeeded", "failed" or empty;
/// `before` is the `next` of the previous page.
#[server(prefix = "/portal/fn", endpoint = "list_attempts")]
pub async fn list_attempts(
    app: String,
    endpoint: Option<String>,
    status: Option<String>,
    event_type: Option<String>,
    before: Option<String>,
) -> Result<AttemptPage, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let filter = attempts::AttemptFilter {
        status: match status.as_deref() {
            Some("succeeded") => Some(0),
            Some("failed") => Some(2),
            _ => None,
        },
        endpoint_id: None,
        event_types: event_type.filter(|t| !t.is_empty()).into_iter().collect(),
        before: None,
        after: None,
    };
    let q = ListQuery::new(Some(50), before.filter(|b| !b.is_empty()), true);
    let endpoint = endpoint.filter(|e| !e.is_empty());
    let page =
        attempts::list_with_event_type(&c.state.db, &c.app, endpoint.as_deref(), &q, &filter)
            .await
            .map_err(|e| fail(e.into()))?;
    let next = (!page.done).then_some(page.iterator).flatten();
    let mut rows = Vec::with_capacity(page.data.len());
    for (a, event_type) in page.data {
        rows.push(row(a, event_type));
    }
    Ok(AttemptPage { rows, next })
}

#[server(prefix = "/portal/fn", endpoint = "get_attempt")]
pub async fn get_attempt(app: String, attempt: String) -> Result<AttemptDetail, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let (a, m) = attempts::get_with_message(&c.state.db, &c.app, &attempt)
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(AttemptDetail {
        request_headers: header_list(a.request_headers.as_deref()),
        response_headers: header_list(a.response_headers.as_deref()),
        response_body: a.response.clone(),
        error: a.error.clone(),
        request_body: m.payload.clone(),
        row: row(a, m.event_type),
    })
}

/// "Replay": sends a message to an endpoint again, now.
#[server(prefix = "/portal/fn", endpoint = "replay")]
pub async fn replay(app: String, message: String, endpoint: String) -> Result<(), PortalError> {
    use imp::*;
    let c = require(&app, Permission::Write).await.map_err(fail)?;
    let tenant = tenants::ensure_active(&c.state.db, &c.app)
        .await
        .map_err(|e| fail(e.into()))?;
    deliveries::resend(&c.state, &tenant, &message, &endpoint)
        .await
        .map_err(|e| fail(e.into()))?;
    tracing::info!(app = %c.app, message = %message, endpoint = %endpoint, "portal: replay");
    let facts = serde_json::json!({ "msgId": message, "endpointId": endpoint });
    c.audit("message.resent", &message, facts).await;
    Ok(())
}

/// "Recover failed messages since…": `since` is "1h", "6h", "24h" or "7d" before now.
#[server(prefix = "/portal/fn", endpoint = "recover")]
pub async fn recover(app: String, endpoint: String, since: String) -> Result<u64, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Write).await.map_err(fail)?;
    let hours = match since.as_str() {
        "1h" => 1,
        "6h" => 6,
        "24h" => 24,
        "7d" => 24 * 7,
        _ => {
            return Err(fail(PortalError::Invalid(
                "Since: choose one of the options.".into(),
            )))
        }
    };
    let since = crate::ssr::infra::time::now_ms() - hours * 3600 * 1000;
    let tenant = tenants::ensure_active(&c.state.db, &c.app)
        .await
        .map_err(|e| fail(e.into()))?;
    let n = deliveries::recover(&c.state, &tenant, &endpoint, since, None)
        .await
        .map_err(|e| fail(e.into()))?;
    tracing::info!(app = %c.app, endpoint = %endpoint, messages = n, "portal: recover");
    let facts =
        serde_json::json!({ "since": crate::ssr::infra::time::to_rfc3339(since), "deliveries": n });
    c.audit("endpoint.recovered", &endpoint, facts).await;
    Ok(n)
}

/// Password sign-in. On success the browser gets a new session cookie (never one it had
/// before) and goes to the portal.
#[server(prefix = "/portal/fn", endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), PortalError> {
    use crate::ssr::portal_auth::{session_cookie, state, LoginLimiter};
    use crate::ssr::store::sessions::{start_for_user, PASSWORD_SESSION_SECS};
    use imp::*;
    let state = state().map_err(fail)?;
    if email.trim().is_empty() || password.is_empty() {
        return Err(fail(PortalError::Invalid(
            "Enter your email and your password.".into(),
        )));
    }
    if LoginLimiter::is_locked(&email) {
        tracing::warn!("portal: sign-in refused, too many failures for this email");
        return Err(fail(PortalError::RateLimited));
    }
    let user = users::authenticate(&state.db, &email, users::Password::attempt(&password))
        .await
        .map_err(|e| fail(e.into()))?;
    let Some(user) = user else {
        LoginLimiter::record_failure(&email);
        tracing::info!("portal: sign-in failed");
        return Err(fail(PortalError::BadCredentials));
    };
    LoginLimiter::clear(&email);
    let token = start_for_user(&state.db, &user.id)
        .await
        .map_err(|e| fail(e.into()))?;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(v) = axum::http::HeaderValue::from_str(&session_cookie(
            &state.settings,
            &token.0,
            PASSWORD_SESSION_SECS,
        )) {
            res.append_header(axum::http::header::SET_COOKIE, v);
        }
    }
    tracing::info!(user = %user.id, "portal: signed in");
    leptos_axum::redirect("/portal");
    Ok(())
}

#[server(prefix = "/portal/fn", endpoint = "logout")]
pub async fn logout() -> Result<(), PortalError> {
    use crate::ssr::portal_auth::{cleared_cookie, session_token, state};
    let state = state()?;
    if let Some(parts) = use_context::<axum::http::request::Parts>() {
        if let Some(token) = session_token(&parts.headers) {
            imp::sessions::end(&state.db, &token).await?;
        }
    }
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(v) = axum::http::HeaderValue::from_str(&cleared_cookie(&state.settings)) {
            res.append_header(axum::http::header::SET_COOKIE, v);
        }
    }
    leptos_axum::redirect("/login?signed_out=1");
    Ok(())
}

/// The companies the signed-in user may open, for `/portal`. A magic-link session has one.
#[server(prefix = "/portal/fn", endpoint = "my_companies")]
pub async fn my_companies() -> Result<Vec<(String, String)>, PortalError> {
    use crate::ssr::portal_auth::current_session;
    use imp::*;
    let (state, session) = current_session().await.map_err(fail)?;
    if let Some(app) = &session.app_id {
        let a = crate::ssr::store::applications::find(&state.db, app.as_str()).await?;
        return Ok(vec![(a.id, a.name)]);
    }
    let Some(user) = &session.user_id else {
        return Err(PortalError::SignedOut);
    };
    let u = users::get(&state.db, user).await?;
    if u.is_operator {
        let page = crate::ssr::store::applications::list(
            &state.db,
            &ListQuery::new(Some(250), None, false),
        )
        .await?;
        return Ok(page.data.into_iter().map(|a| (a.id, a.name)).collect());
    }
    Ok(users::memberships(&state.db, user)
        .await?
        .into_iter()
        .map(|m| (m.app_id.to_string(), m.app_name))
        .collect())
}

/// The company's users and the invites not yet accepted. Admins only.
#[server(prefix = "/portal/fn", endpoint = "team")]
pub async fn team(app: String) -> Result<TeamInfo, PortalError> {
    use crate::ssr::store::team;
    use imp::*;
    let c = require(&app, Permission::Admin).await.map_err(fail)?;
    let me = c.session.user_id.clone();
    let members = team::members(&c.state.db, &c.app)
        .await?
        .into_iter()
        .map(|m| super::MemberRow {
            is_me: me.as_ref() == Some(&m.user_id),
            user_id: m.user_id.to_string(),
            email: m.email,
            permission: m.permission.as_str().to_owned(),
        })
        .collect();
    let invites = team::pending_invites(&c.state.db, &c.app)
        .await?
        .into_iter()
        .map(|i| super::InviteRow {
            email: i.email,
            permission: i.permission.as_str().to_owned(),
            invited_by: i.invited_by,
            expires_at: i.expires_at,
        })
        .collect();
    Ok(TeamInfo { members, invites })
}

/// Invites someone by email: the single-use link is mailed to them when SMTP is configured, and
/// shown to the admin once either way.
#[server(prefix = "/portal/fn", endpoint = "invite_user")]
pub async fn invite_user(
    app: String,
    email: String,
    permission: String,
) -> Result<InviteSent, PortalError> {
    use crate::ssr::store::team;
    use imp::*;
    let c = require(&app, Permission::Admin).await.map_err(fail)?;
    let permission = Permission::parse(&permission).map_err(|e| fail(e.into()))?;
    let actor = c.actor().await;
    let by = match &actor {
        audit::Actor::User { email, .. } => email.clone(),
        _ => "the host product".to_owned(),
    };
    let token = team::invite(&c.state.db, &c.app, &email, permission, &by)
        .await
        .map_err(|e| fail(e.into()))?;
    let email = email.trim().to_lowercase();
    c.audit(
        "user.invited",
        &email,
        serde_json::json!({ "email": email, "permission": permission.as_str() }),
    )
    .await;
    let link = format!("{}/invite/{token}", c.state.settings.base_url);
    let mut emailed = false;
    if let Some(mailer) = &c.state.mailer {
        let company = crate::ssr::store::applications::find(&c.state.db, c.app.as_str())
            .await?
            .name;
        let body = format!(
            "{by} invited you to manage {company}'s webhooks ({}).\n\n\
             Open this link to join. It works once, within 7 days:\n\n{link}\n\n\
             If you did not expect this, ignore this email.\n",
            crate::portal::permission_label(permission.as_str()).to_lowercase()
        );
        match mailer
            .send(&email, &format!("Join {company} on Herald"), body)
            .await
        {
            Ok(()) => emailed = true,
            // The admin still has the link to pass on; the log says why the mail failed.
            Err(e) => tracing::warn!(error = %e, "sending an invitation failed"),
        }
    }
    Ok(InviteSent { link, emailed })
}

#[server(prefix = "/portal/fn", endpoint = "change_permission")]
pub async fn change_permission(
    app: String,
    user: String,
    permission: String,
) -> Result<(), PortalError> {
    use crate::ssr::store::team;
    use imp::*;
    let c = require(&app, Permission::Admin).await.map_err(fail)?;
    let permission = Permission::parse(&permission).map_err(|e| fail(e.into()))?;
    let user = crate::ids::UserId::parse(&user).ok_or_else(|| fail(PortalError::NotFound))?;
    let before = team::set_permission(&c.state.db, &c.app, &user, permission)
        .await
        .map_err(|e| fail(e.into()))?;
    if before != permission {
        let changes = serde_json::json!({
            "permission": { "from": before.as_str(), "to": permission.as_str() }
        });
        c.audit("user.permission_changed", user.as_str(), changes)
            .await;
    }
    leptos_axum::redirect(&format!("/portal/{}/team", c.app));
    Ok(())
}

#[server(prefix = "/portal/fn", endpoint = "remove_user")]
pub async fn remove_user(app: String, user: String) -> Result<(), PortalError> {
    use crate::ssr::store::team;
    use imp::*;
    let c = require(&app, Permission::Admin).await.map_err(fail)?;
    let user = crate::ids::UserId::parse(&user).ok_or_else(|| fail(PortalError::NotFound))?;
    let gone = team::remove(&c.state.db, &c.app, &user)
        .await
        .map_err(|e| fail(e.into()))?;
    c.audit(
        "user.removed",
        user.as_str(),
        serde_json::json!({ "email": gone.email, "permission": gone.permission.as_str() }),
    )
    .await;
    leptos_axum::redirect(&format!("/portal/{}/team", c.app));
    Ok(())
}

/// One page of the company's audit trail, newest first. Admins only.
#[server(prefix = "/portal/fn", endpoint = "audit_trail")]
pub async fn audit_trail(app: String, before: Option<String>) -> Result<AuditPage, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Admin).await.map_err(fail)?;
    let before = before.filter(|b| !b.is_empty());
    let page = audit::list(&c.state.db, Some(&c.app), before.as_deref(), 50).await?;
    let next = (!page.done).then_some(page.iterator).flatten();
    let rows = page
        .data
        .into_iter()
        .map(|e| super::AuditRow {
            at: e.created_at,
            actor: e.actor_name,
            action: e.action,
            target: e.target,
            details: super::audit_detail_lines(&e.changes),
        })
        .collect();
    Ok(AuditPage { rows, next })
}

/// What an invite link offers; `NotFound` once it is used or expired.
#[server(prefix = "/portal/fn", endpoint = "invite_offer")]
pub async fn invite_offer(token: String) -> Result<InviteDetails, PortalError> {
    use crate::ssr::portal_auth::state;
    let state = state()?;
    let info = crate::ssr::store::team::invite_info(&state.db, &token)
        .await?
        .ok_or(PortalError::NotFound)?;
    Ok(InviteDetails {
        company: info.app_name,
        email: info.email,
        permission: info.permission.as_str().to_owned(),
        has_account: info.has_account,
    })
}

/// Accepts an invite and signs the user in.
#[server(prefix = "/portal/fn", endpoint = "accept_invite")]
pub async fn accept_invite(token: String, password: String) -> Result<(), PortalError> {
    use crate::ssr::portal_auth::{session_cookie, state, LoginLimiter};
    use imp::*;
    let state = state().map_err(fail)?;
    let offer = crate::ssr::store::team::invite_info(&state.db, &token)
        .await
        .map_err(|e| fail(e.into()))?
        .ok_or_else(|| {
            fail(PortalError::Invalid(
                "This invite was used already, or it expired. Ask for a new one.".into(),
            ))
        })?;
    if offer.has_account && LoginLimiter::is_locked(&offer.email) {
        return Err(fail(PortalError::RateLimited));
    }
    let (user, app) = match crate::ssr::store::team::accept(&state.db, &token, &password).await {
        Ok(done) => done,
        Err(e) => {
            if offer.has_account {
                LoginLimiter::record_failure(&offer.email);
            }
            return Err(fail(e.into()));
        }
    };
    let token = sessions::start_for_user(&state.db, &user)
        .await
        .map_err(|e| fail(e.into()))?;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(v) = axum::http::HeaderValue::from_str(&session_cookie(
            &state.settings,
            &token.0,
            sessions::PASSWORD_SESSION_SECS,
        )) {
            res.append_header(axum::http::header::SET_COOKIE, v);
        }
    }
    audit::record(
        &state.db,
        &audit::Actor::User {
            id: user.to_string(),
            email: offer.email.clone(),
        },
        Some(&app),
        "user.joined",
        Some(user.as_str()),
        serde_json::json!({ "permission": offer.permission.as_str() }),
    )
    .await;
    leptos_axum::redirect(&format!("/portal/{app}"));
    Ok(())
}
