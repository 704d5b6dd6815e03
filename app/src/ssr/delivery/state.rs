//! The states a delivery and an attempt can be in, and what triggered a send, as enums. The
//! database stores them as small integers (the Svix numbering, which the API also exposes); the
//! conversions below are the only place those numbers are spelled out.

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

#[cfg(test)]
mod tests {
    use super::*;

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
