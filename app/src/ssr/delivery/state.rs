//! The states a delivery and an attempt can be in, and what triggered a send, as enums. The
//! database stores them as small integers (the Svix numbering, which the API also exposes); the
//! conversions below are the only place those numbers are spelled out.

use super::schedule::PauseReason;

/// A delivery's state: one per (message, endpoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryState {
    Succeeded,
    /// Due at `next_attempt_at`: a first send, a retry, or a send held by the plan.
    Pending,
    /// Retries exhausted, or the endpoint answered 410 Gone.
    Failed,
    /// Never sent, with a reason (endpoint disabled, content expunged, ...).
    Skipped,
}

impl DeliveryState {
    pub const fn as_i64(self) -> i64 {
        match self {
            DeliveryState::Succeeded => 0,
            DeliveryState::Pending => 1,
            DeliveryState::Failed => 2,
            DeliveryState::Skipped => 4,
        }
    }

    pub const fn from_i64(v: i64) -> Option<DeliveryState> {
        match v {
            0 => Some(DeliveryState::Succeeded),
            1 => Some(DeliveryState::Pending),
            2 => Some(DeliveryState::Failed),
            4 => Some(DeliveryState::Skipped),
            _ => None,
        }
    }
}

impl From<DeliveryState> for i64 {
    fn from(s: DeliveryState) -> i64 {
        s.as_i64()
    }
}

impl TryFrom<i64> for DeliveryState {
    type Error = i64;
    fn try_from(v: i64) -> Result<Self, i64> {
        DeliveryState::from_i64(v).ok_or(v)
    }
}

/// One HTTP try's result, as stored in `attempts.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttemptState {
    Succeeded,
    Failed,
}

impl AttemptState {
    pub const fn as_i64(self) -> i64 {
        match self {
            AttemptState::Succeeded => 0,
            AttemptState::Failed => 2,
        }
    }

    pub const fn from_i64(v: i64) -> Option<AttemptState> {
        match v {
            0 => Some(AttemptState::Succeeded),
            2 => Some(AttemptState::Failed),
            _ => None,
        }
    }
}

impl From<AttemptState> for i64 {
    fn from(s: AttemptState) -> i64 {
        s.as_i64()
    }
}

impl TryFrom<i64> for AttemptState {
    type Error = i64;
    fn try_from(v: i64) -> Result<Self, i64> {
        AttemptState::from_i64(v).ok_or(v)
    }
}

/// Why a delivery is being sent: its schedule, or a person (resend, replay, recover).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Trigger {
    #[default]
    Scheduled,
    Manual,
}

impl Trigger {
    pub const fn as_i64(self) -> i64 {
        match self {
            Trigger::Scheduled => 0,
            Trigger::Manual => 1,
        }
    }

    pub const fn from_i64(v: i64) -> Option<Trigger> {
        match v {
            0 => Some(Trigger::Scheduled),
            1 => Some(Trigger::Manual),
            _ => None,
        }
    }
}

impl From<Trigger> for i64 {
    fn from(t: Trigger) -> i64 {
        t.as_i64()
    }
}

impl TryFrom<i64> for Trigger {
    type Error = i64;
    fn try_from(v: i64) -> Result<Self, i64> {
        Trigger::from_i64(v).ok_or(v)
    }
}

/// Why a delivery was never sent: stored as a short code in `deliveries.skip_reason` (migration
/// 0014 turned the sentences older versions stored into these codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SkipReason {
    /// The message's event type is not in the endpoint's filter.
    FilteredOut,
    /// None of the message's channels is in the endpoint's filter.
    ChannelFilteredOut,
    /// The endpoint's event type filter could not be read when the message came in.
    FilterUnreadable,
    /// The endpoint's channel filter could not be read when the message came in.
    ChannelFilterUnreadable,
    /// The message's content was expunged before it could be sent.
    Expunged,
    /// The endpoint had no signing secret that still signs.
    NoSecret,
    /// Skipped while the endpoint was disabled, by a version before deliveries waited instead.
    EndpointDisabled,
}

impl SkipReason {
    pub const ALL: [SkipReason; 7] = [
        SkipReason::FilteredOut,
        SkipReason::ChannelFilteredOut,
        SkipReason::FilterUnreadable,
        SkipReason::ChannelFilterUnreadable,
        SkipReason::Expunged,
        SkipReason::NoSecret,
        SkipReason::EndpointDisabled,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            SkipReason::FilteredOut => "filtered-out",
            SkipReason::ChannelFilteredOut => "channel-filtered-out",
            SkipReason::FilterUnreadable => "filter-unreadable",
            SkipReason::ChannelFilterUnreadable => "channel-filter-unreadable",
            SkipReason::Expunged => "expunged",
            SkipReason::NoSecret => "no-secret",
            SkipReason::EndpointDisabled => "endpoint-disabled",
        }
    }

    pub fn parse(s: &str) -> Option<SkipReason> {
        SkipReason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The reason in a sentence, for people.
    pub const fn text(self) -> &'static str {
        match self {
            SkipReason::FilteredOut => "its event type is not in the endpoint's filter",
            SkipReason::ChannelFilteredOut => "none of its channels is in the endpoint's filter",
            SkipReason::FilterUnreadable => "the endpoint's event type filter could not be read",
            SkipReason::ChannelFilterUnreadable => {
                "the endpoint's channel filter could not be read"
            }
            SkipReason::Expunged => "its content was expunged",
            SkipReason::NoSecret => "the endpoint had no signing secret",
            SkipReason::EndpointDisabled => "the endpoint was disabled",
        }
    }

    /// Whether sending it later makes sense: an expunged message has nothing left to send.
    pub const fn sendable(self) -> bool {
        !matches!(self, SkipReason::Expunged)
    }
}

/// Why a pending delivery waits behind its endpoint instead of being due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitReason {
    /// Disabled (by someone, or automatically after failing): it goes when enabled again.
    EndpointDisabled,
    /// The operator disabled the company: it goes when the company is enabled again.
    TenantDisabled,
    /// The endpoint is paused until `until`: failing (one probe at a time), or asked to wait
    /// with `Retry-After` (`by_receiver`).
    Paused { until: i64, by_receiver: bool },
    /// The endpoint or the company has all its send slots in use: it goes as they free.
    Busy,
}

/// A delivery's state as people and the API's extension fields see it: one per (message,
/// endpoint), derived from the stored row and its endpoint's and company's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryView {
    Delivered {
        tries: i64,
    },
    /// A send is in flight (leased by a worker).
    Sending {
        try_n: i64,
        of: i64,
    },
    /// Due for its first try.
    Queued {
        at: i64,
    },
    /// Tried and failed; tried again at `at`, as try `try_n` of `of`.
    Retrying {
        at: i64,
        try_n: i64,
        of: i64,
    },
    Waiting(WaitReason),
    /// Over the plan's hourly limit: goes when the next window opens.
    Held {
        until: Option<i64>,
    },
    /// Never sent; `None` for a reason this version does not know.
    Skipped(Option<SkipReason>),
    Failed {
        tries: i64,
    },
}

/// What [`DeliveryView::of`] reads: the delivery row, and the state of its endpoint and company.
#[derive(Debug, Clone, Default)]
pub struct DeliveryFacts<'a> {
    pub status: i64,
    pub attempts: i64,
    pub next_attempt_at: Option<i64>,
    pub leased: bool,
    pub held: bool,
    pub skip_reason: Option<&'a str>,
    pub endpoint_disabled: bool,
    pub tenant_disabled: bool,
    pub paused_until: Option<i64>,
    pub paused_reason: Option<&'a str>,
    /// Tries a delivery gets in all: the retry schedule's length plus the first.
    pub max_tries: i64,
}

impl DeliveryView {
    pub fn of(f: &DeliveryFacts<'_>, now: i64) -> DeliveryView {
        match DeliveryState::from_i64(f.status) {
            Some(DeliveryState::Succeeded) => DeliveryView::Delivered { tries: f.attempts },
            Some(DeliveryState::Failed) => DeliveryView::Failed { tries: f.attempts },
            Some(DeliveryState::Skipped) => {
                DeliveryView::Skipped(f.skip_reason.and_then(SkipReason::parse))
            }
            Some(DeliveryState::Pending) | None => {
                if f.leased {
                    return DeliveryView::Sending {
                        try_n: f.attempts + 1,
                        of: f.max_tries,
                    };
                }
                if f.held {
                    return DeliveryView::Held {
                        until: f.next_attempt_at,
                    };
                }
                let Some(at) = f.next_attempt_at else {
                    return DeliveryView::Waiting(Self::wait_reason(f, now));
                };
                if f.attempts == 0 {
                    DeliveryView::Queued { at }
                } else {
                    DeliveryView::Retrying {
                        at,
                        try_n: f.attempts + 1,
                        of: f.max_tries,
                    }
                }
            }
        }
    }

    fn wait_reason(f: &DeliveryFacts<'_>, now: i64) -> WaitReason {
        if f.endpoint_disabled {
            return WaitReason::EndpointDisabled;
        }
        if f.tenant_disabled {
            return WaitReason::TenantDisabled;
        }
        match f.paused_until {
            // A pause that has ended waits for its probe: still paused as far as anyone sees.
            Some(until) => WaitReason::Paused {
                until: until.max(now),
                by_receiver: f.paused_reason == Some(PauseReason::RetryAfter.as_str()),
            },
            None => WaitReason::Busy,
        }
    }

    /// The state's name, as the API's `state` field gives it.
    pub const fn code(&self) -> &'static str {
        match self {
            DeliveryView::Delivered { .. } => "delivered",
            DeliveryView::Sending { .. } => "sending",
            DeliveryView::Queued { .. } => "queued",
            DeliveryView::Retrying { .. } => "retrying",
            DeliveryView::Waiting(_) => "waiting",
            DeliveryView::Held { .. } => "held",
            DeliveryView::Skipped(_) => "skipped",
            DeliveryView::Failed { .. } => "failed",
        }
    }

    /// Why it is in that state, as a code (the API's `stateReason`), where there is one.
    pub fn reason(&self) -> Option<&'static str> {
        match self {
            DeliveryView::Waiting(w) => Some(match w {
                WaitReason::EndpointDisabled => "endpoint-disabled",
                WaitReason::TenantDisabled => "tenant-disabled",
                WaitReason::Paused {
                    by_receiver: true, ..
                } => "retry-after",
                WaitReason::Paused { .. } => "endpoint-failing",
                WaitReason::Busy => "endpoint-busy",
            }),
            DeliveryView::Held { .. } => Some("plan-limit"),
            DeliveryView::Skipped(r) => Some(r.map_or("unknown", SkipReason::as_str)),
            _ => None,
        }
    }

    /// The state in words, for people; times are left to the caller to format (`at` ms).
    pub fn detail(&self) -> String {
        match self {
            DeliveryView::Delivered { tries: 1 } => "delivered at the first try".into(),
            DeliveryView::Delivered { tries } => format!("delivered at try {tries}"),
            DeliveryView::Sending { try_n, of } => format!("sending, try {try_n} of {of}"),
            DeliveryView::Queued { .. } => "queued for its first try".into(),
            DeliveryView::Retrying { try_n, of, .. } => {
                format!("try {} failed; try {try_n} of {of} is scheduled", try_n - 1)
            }
            DeliveryView::Waiting(WaitReason::EndpointDisabled) => {
                "waiting: the endpoint is disabled; it goes when the endpoint is enabled".into()
            }
            DeliveryView::Waiting(WaitReason::TenantDisabled) => {
                "waiting: the company is disabled; it goes when the company is enabled".into()
            }
            DeliveryView::Waiting(WaitReason::Paused {
                by_receiver: true, ..
            }) => "waiting: the endpoint asked to wait (Retry-After)".into(),
            DeliveryView::Waiting(WaitReason::Paused { .. }) => {
                "waiting: the endpoint is failing; it goes when a probe succeeds".into()
            }
            DeliveryView::Waiting(WaitReason::Busy) => "waiting for a free send slot".into(),
            DeliveryView::Held { .. } => "held by the plan's hourly limit".into(),
            DeliveryView::Skipped(Some(r)) => format!("skipped: {}", r.text()),
            DeliveryView::Skipped(None) => "skipped".into(),
            DeliveryView::Failed { tries } => format!("failed after {tries} tries"),
        }
    }

    /// When it is next tried, where that is known.
    pub const fn next_at(&self) -> Option<i64> {
        match self {
            DeliveryView::Queued { at } | DeliveryView::Retrying { at, .. } => Some(*at),
            DeliveryView::Held { until } => *until,
            DeliveryView::Waiting(WaitReason::Paused { until, .. }) => Some(*until),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_skip_reason_round_trips_through_its_code_and_only_expunged_cannot_be_sent() {
        for r in SkipReason::ALL {
            assert_eq!(SkipReason::parse(r.as_str()), Some(r));
            assert_eq!(r.sendable(), r != SkipReason::Expunged, "{r:?}");
            assert!(!r.text().is_empty());
        }
        assert_eq!(SkipReason::parse("endpoint disabled"), None);
    }

    fn pending(attempts: i64, next: Option<i64>) -> DeliveryFacts<'static> {
        DeliveryFacts {
            status: 1,
            attempts,
            next_attempt_at: next,
            max_tries: 6,
            ..DeliveryFacts::default()
        }
    }

    #[test]
    fn each_stored_row_reads_as_the_state_a_person_would_name() {
        let now = 1_000;
        let cases: Vec<(DeliveryFacts<'static>, DeliveryView)> = vec![
            (
                DeliveryFacts {
                    status: 0,
                    attempts: 2,
                    ..Default::default()
                },
                DeliveryView::Delivered { tries: 2 },
            ),
            (
                DeliveryFacts {
                    status: 2,
                    attempts: 6,
                    ..Default::default()
                },
                DeliveryView::Failed { tries: 6 },
            ),
            (
                DeliveryFacts {
                    status: 4,
                    skip_reason: Some("filtered-out"),
                    ..Default::default()
                },
                DeliveryView::Skipped(Some(SkipReason::FilteredOut)),
            ),
            (
                DeliveryFacts {
                    status: 4,
                    skip_reason: Some("??"),
                    ..Default::default()
                },
                DeliveryView::Skipped(None),
            ),
            (pending(0, Some(900)), DeliveryView::Queued { at: 900 }),
            (
                pending(1, Some(5_000)),
                DeliveryView::Retrying {
                    at: 5_000,
                    try_n: 2,
                    of: 6,
                },
            ),
            (
                DeliveryFacts {
                    leased: true,
                    ..pending(2, Some(9_000))
                },
                DeliveryView::Sending { try_n: 3, of: 6 },
            ),
            (
                DeliveryFacts {
                    held: true,
                    ..pending(0, Some(3_600_000))
                },
                DeliveryView::Held {
                    until: Some(3_600_000),
                },
            ),
            (pending(0, None), DeliveryView::Waiting(WaitReason::Busy)),
            (
                DeliveryFacts {
                    paused_until: Some(4_000),
                    paused_reason: Some("failing"),
                    ..pending(3, None)
                },
                DeliveryView::Waiting(WaitReason::Paused {
                    until: 4_000,
                    by_receiver: false,
                }),
            ),
            (
                DeliveryFacts {
                    paused_until: Some(500),
                    paused_reason: Some("retry-after"),
                    ..pending(0, None)
                },
                DeliveryView::Waiting(WaitReason::Paused {
                    until: now,
                    by_receiver: true,
                }),
            ),
            (
                DeliveryFacts {
                    tenant_disabled: true,
                    paused_until: Some(4_000),
                    ..pending(0, None)
                },
                DeliveryView::Waiting(WaitReason::TenantDisabled),
            ),
            (
                DeliveryFacts {
                    endpoint_disabled: true,
                    tenant_disabled: true,
                    ..pending(0, None)
                },
                DeliveryView::Waiting(WaitReason::EndpointDisabled),
            ),
        ];
        for (facts, want) in cases {
            assert_eq!(DeliveryView::of(&facts, now), want, "{facts:?}");
        }
    }

    #[test]
    fn a_state_s_code_reason_and_words_agree() {
        let v = DeliveryView::Retrying {
            at: 5,
            try_n: 2,
            of: 6,
        };
        assert_eq!(
            (v.code(), v.reason(), v.next_at()),
            ("retrying", None, Some(5))
        );
        assert_eq!(v.detail(), "try 1 failed; try 2 of 6 is scheduled");
        let v = DeliveryView::Waiting(WaitReason::Paused {
            until: 9,
            by_receiver: true,
        });
        assert_eq!((v.code(), v.reason()), ("waiting", Some("retry-after")));
        let v = DeliveryView::Skipped(Some(SkipReason::Expunged));
        assert_eq!(v.reason(), Some("expunged"));
        assert_eq!(v.detail(), "skipped: its content was expunged");
        assert_eq!(DeliveryView::Skipped(None).reason(), Some("unknown"));
    }

    #[test]
    fn every_state_and_trigger_round_trips_through_its_stored_integer() {
        for s in [
            DeliveryState::Succeeded,
            DeliveryState::Pending,
            DeliveryState::Failed,
            DeliveryState::Skipped,
        ] {
            assert_eq!(DeliveryState::try_from(s.as_i64()), Ok(s));
        }
        for s in [AttemptState::Succeeded, AttemptState::Failed] {
            assert_eq!(AttemptState::try_from(s.as_i64()), Ok(s));
        }
        for t in [Trigger::Scheduled, Trigger::Manual] {
            assert_eq!(Trigger::try_from(t.as_i64()), Ok(t));
        }
    }

    #[test]
    fn the_stored_integers_are_the_ones_the_schema_documents() {
        // migrations/*/0001_init.sql: 0 success, 1 pending, 2 failed, 4 skipped; 0 scheduled, 1 manual.
        assert_eq!(DeliveryState::Succeeded.as_i64(), 0);
        assert_eq!(DeliveryState::Pending.as_i64(), 1);
        assert_eq!(DeliveryState::Failed.as_i64(), 2);
        assert_eq!(DeliveryState::Skipped.as_i64(), 4);
        assert_eq!(AttemptState::Failed.as_i64(), 2);
        assert_eq!(Trigger::Manual.as_i64(), 1);
        assert_eq!(DeliveryState::from_i64(3), None);
        assert_eq!(Trigger::from_i64(7), None);
    }
}
