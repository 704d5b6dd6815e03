//! One message: what the company sent, the one state of each of its deliveries, and its tries.

use crate::portal::{MessageDetail, PortalError};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(super) use imp::{line as delivery_line, name_like};

#[cfg(feature = "ssr")]
mod imp {
    use crate::i18n::{Arg, Locale};
    pub use crate::portal::api::prelude::*;
    use crate::portal::DeliveryAction;
    use crate::ssr::delivery::state::{DeliveryView, SkipReason, WaitReason};

    /// The longest id or event id the API takes.
    const MAX_ID: usize = 256;

    /// An id or event id a person typed (or a URL carried), refused in `locale` as the API's
    /// `name_like` would refuse it. `field` is the field's label, in `locale`.
    pub fn name_like(locale: Locale, field: &str, value: &str) -> Result<String, PortalError> {
        crate::ssr::infra::validate::name_like(field, value, MAX_ID).map_err(|_| {
            let args = [("field", Arg::from(field)), ("max", Arg::from(MAX_ID))];
            PortalError::Invalid(if value.is_empty() {
                locale.text_with("message-error-empty", &args)
            } else if value.len() > MAX_ID {
                locale.text_with("message-error-too-long", &args)
            } else {
                locale.text_with("message-error-charset", &args)
            })
        })
    }

    /// A delivery's state in a sentence, in `locale`: the portal's wording of
    /// [`DeliveryView::detail`], which stays English for the API.
    fn detail(locale: Locale, view: &DeliveryView) -> String {
        let n = |v: i64| Arg::from(v);
        match *view {
            DeliveryView::Delivered { tries: 1 } => locale.text("message-detail-delivered-first"),
            DeliveryView::Delivered { tries } => {
                locale.text_with("message-detail-delivered", &[("try", n(tries))])
            }
            DeliveryView::Sending { try_n, of } => locale.text_with(
                "message-detail-sending",
                &[("try", n(try_n)), ("of", n(of))],
            ),
            DeliveryView::Queued { .. } => locale.text("message-detail-queued"),
            DeliveryView::Retrying { try_n, of, .. } => locale.text_with(
                "message-detail-retrying",
                &[("failed", n(try_n - 1)), ("try", n(try_n)), ("of", n(of))],
            ),
            DeliveryView::Waiting(WaitReason::EndpointDisabled) => {
                locale.text("message-detail-waiting-endpoint-disabled")
            }
            DeliveryView::Waiting(WaitReason::TenantDisabled) => {
                locale.text("message-detail-waiting-company-disabled")
            }
            DeliveryView::Waiting(WaitReason::Paused {
                by_receiver: true, ..
            }) => locale.text("message-detail-waiting-retry-after"),
            DeliveryView::Waiting(WaitReason::Paused { .. }) => {
                locale.text("message-detail-waiting-failing")
            }
            DeliveryView::Waiting(WaitReason::Busy) => locale.text("message-detail-waiting-busy"),
            DeliveryView::Held { .. } => locale.text("message-detail-held"),
            DeliveryView::Skipped(Some(r)) => locale.text_with(
                "message-detail-skipped-because",
                &[("reason", Arg::from(skip_reason(locale, r)))],
            ),
            DeliveryView::Skipped(None) => locale.text("message-detail-skipped"),
            DeliveryView::Failed { tries } => {
                locale.text_with("message-detail-failed", &[("tries", n(tries))])
            }
        }
    }

    fn skip_reason(locale: Locale, r: SkipReason) -> String {
        match r {
            SkipReason::FilteredOut => locale.text("message-skip-filtered-out"),
            SkipReason::ChannelFilteredOut => locale.text("message-skip-channel-filtered-out"),
            SkipReason::FilterUnreadable => locale.text("message-skip-filter-unreadable"),
            SkipReason::ChannelFilterUnreadable => {
                locale.text("message-skip-channel-filter-unreadable")
            }
            SkipReason::Expunged => locale.text("message-skip-expunged"),
            SkipReason::NoSecret => locale.text("message-skip-no-secret"),
            SkipReason::EndpointDisabled => locale.text("message-skip-endpoint-disabled"),
        }
    }

    /// A delivery as the message view and the delivery log show it, in `locale`.
    pub fn line(
        locale: Locale,
        settings: &crate::ssr::domain::state::Settings,
        d: &crate::ssr::store::deliveries::DeliveryRow,
        url: String,
        now: i64,
    ) -> crate::portal::DeliveryLine {
        let shown = deliveries::show(settings, d, now);
        let view = shown.view;
        crate::portal::DeliveryLine {
            action: action(&view, d.endpoint_disabled != 0, now),
            endpoint_id: d.endpoint_id.clone(),
            url,
            state: view.code().to_owned(),
            detail: detail(locale, &view),
            tries: d.attempts,
            max_tries: shown.max_tries,
            last_status_code: shown.last_status_code,
            next_at: view.next_at(),
        }
    }

    /// A retry due sooner than this is not worth a button: it goes anyway.
    const SOON_MS: i64 = 60_000;

    /// What makes sense to do for a delivery in `view`: nothing for one that goes soon anyway,
    /// waits for its endpoint to recover, or is held by the plan.
    pub fn action(
        view: &DeliveryView,
        endpoint_disabled: bool,
        now: i64,
    ) -> Option<DeliveryAction> {
        match view {
            DeliveryView::Waiting(WaitReason::EndpointDisabled) => {
                Some(DeliveryAction::EnableEndpoint)
            }
            _ if endpoint_disabled => None,
            DeliveryView::Delivered { .. } => Some(DeliveryAction::SendAgain),
            DeliveryView::Failed { .. } => Some(DeliveryAction::SendNow),
            DeliveryView::Skipped(reason) => reason
                .is_none_or(|r| r.sendable())
                .then_some(DeliveryAction::SendNow),
            DeliveryView::Retrying { at, .. } if *at - now > SOON_MS => {
                Some(DeliveryAction::SendNow)
            }
            _ => None,
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::ssr::delivery::state::SkipReason;

        #[test]
        fn only_states_a_person_can_change_offer_an_action() {
            let now = 1_000_000;
            let cases = [
                (
                    DeliveryView::Delivered { tries: 1 },
                    false,
                    Some(DeliveryAction::SendAgain),
                ),
                (
                    DeliveryView::Failed { tries: 6 },
                    false,
                    Some(DeliveryAction::SendNow),
                ),
                (DeliveryView::Failed { tries: 6 }, true, None),
                (
                    DeliveryView::Skipped(Some(SkipReason::FilteredOut)),
                    false,
                    Some(DeliveryAction::SendNow),
                ),
                (
                    DeliveryView::Skipped(Some(SkipReason::Expunged)),
                    false,
                    None,
                ),
                (
                    DeliveryView::Retrying {
                        at: now + 5 * SOON_MS,
                        try_n: 2,
                        of: 6,
                    },
                    false,
                    Some(DeliveryAction::SendNow),
                ),
                (
                    DeliveryView::Retrying {
                        at: now + 1_000,
                        try_n: 2,
                        of: 6,
                    },
                    false,
                    None,
                ),
                (
                    DeliveryView::Waiting(WaitReason::EndpointDisabled),
                    true,
                    Some(DeliveryAction::EnableEndpoint),
                ),
                (
                    DeliveryView::Waiting(WaitReason::Paused {
                        until: now,
                        by_receiver: false,
                    }),
                    false,
                    None,
                ),
                (DeliveryView::Held { until: None }, false, None),
                (DeliveryView::Sending { try_n: 1, of: 6 }, false, None),
                (DeliveryView::Queued { at: now }, false, None),
            ];
            for (view, disabled, want) in cases {
                assert_eq!(action(&view, disabled, now), want, "{view:?}");
            }
        }
    }
}

/// A message by its id or the host product's `eventId`, with each delivery's state and the
/// newest tries.
#[server(prefix = "/portal/fn", endpoint = "get_message")]
pub async fn get_message(app: String, message: String) -> Result<MessageDetail, PortalError> {
    use crate::ssr::store::{deliveries as rows, messages};
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let locale = crate::ssr::portal_auth::request_locale();
    let db = &c.state.db;
    // Ids and event ids share the API's charset; anything else (a NUL, which PostgreSQL
    // refuses in text) is answered before it reaches the database.
    let wanted = name_like(locale, &locale.text("log-find-field"), message.trim()).map_err(fail)?;
    let m = messages::get(db, &c.app, &wanted)
        .await
        .map_err(|e| fail(e.into()))?;
    let all = ListQuery::new(Some(crate::ssr::store::MAX_PAGE), None, false);
    let lines = rows::of_message(db, &c.app, &m.id, &all, true)
        .await
        .map_err(|e| fail(e.into()))?;
    let now = crate::ssr::infra::time::now_ms();
    let settings = &c.state.settings;
    let deliveries = lines
        .data
        .into_iter()
        .map(|(e, d)| line(locale, settings, &d, e.url, now))
        .collect();
    let newest = ListQuery::new(Some(MessageDetail::ATTEMPTS_SHOWN as i64), None, true);
    let tries = attempts::list_by_message(db, &c.app, &m.id, &newest, &Default::default())
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(MessageDetail {
        attempts: tries
            .data
            .into_iter()
            .map(|a| super::logs::attempt_row(a, m.event_type.clone()))
            .collect(),
        id: m.id,
        event_id: m.event_id,
        event_type: m.event_type,
        created_at: m.created_at,
        test: m.test != 0,
        payload: m.payload,
        deliveries,
    })
}
