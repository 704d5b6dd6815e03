//! How deliveries share send slots and wait out a failing endpoint (DESIGN.md, "Delivery when
//! endpoints fail"). The numbers a deployment may tune, and the pure rules built on them; the
//! worker applies them at claim time and the recorder when results come in.

use std::time::Duration;

/// Why an endpoint is paused; stored in `endpoints.paused_reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseReason {
    /// Its last attempts failed in a row: the circuit is open, one probe at a time.
    Failing,
    /// It answered 429 or 503 with `Retry-After`.
    RetryAfter,
}

impl PauseReason {
    pub const fn as_str(self) -> &'static str {
        match self {
            PauseReason::Failing => "failing",
            PauseReason::RetryAfter => "retry-after",
        }
    }

    pub fn parse(s: &str) -> Option<PauseReason> {
        match s {
            "failing" => Some(PauseReason::Failing),
            "retry-after" => Some(PauseReason::RetryAfter),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduling {
    /// Deliveries in flight from one instance at once, all endpoints together (the worker's
    /// concurrency): the slots the shares below divide.
    pub slots: usize,
    /// Deliveries in flight to one endpoint from one instance. A hanging endpoint holds at most
    /// this many of the instance's send slots. The configuration's default is three quarters of
    /// the worker's slots.
    pub endpoint_concurrency: usize,
    /// Deliveries in flight to all of one company's endpoints together, from one instance: a
    /// company with many slow endpoints holds no more of the slots than one slow endpoint.
    pub company_concurrency: usize,
    /// Consecutive failed attempts after which the endpoint is paused (circuit open).
    pub pause_after: u32,
    /// The first wait between probes of a paused endpoint; it doubles after each failed probe.
    pub probe_interval: Duration,
    /// The longest wait between probes, so a recovered endpoint is found soon after it recovers.
    pub max_probe_interval: Duration,
    /// An endpoint is disabled automatically only once it has been failing this long, as well
    /// as for its count of failed attempts.
    pub auto_disable_min_failing: Duration,
    /// How long a claim holds a delivery. Renewed while the send is in flight, so a dead
    /// instance's deliveries are taken over after at most this long.
    pub lease: Duration,
}

impl Default for Scheduling {
    fn default() -> Self {
        Scheduling {
            slots: 128,
            endpoint_concurrency: 96,
            company_concurrency: 96,
            pause_after: 5,
            probe_interval: Duration::from_secs(1),
            max_probe_interval: Duration::from_secs(15),
            auto_disable_min_failing: Duration::from_secs(24 * 3600),
            lease: Duration::from_secs(15),
        }
    }
}

impl Scheduling {
    /// The wait before the next probe of an endpoint that has failed `failures` times in a row:
    /// the first interval once it pauses, doubling, up to the longest.
    pub fn probe_backoff(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(self.pause_after).min(30);
        self.probe_interval
            .saturating_mul(1u32 << doublings)
            .min(self.max_probe_interval)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_back_off_by_doubling_up_to_the_longest_interval() {
        let s = Scheduling::default();
        let secs = |n| s.probe_backoff(n).as_secs();
        assert_eq!(
            [secs(5), secs(6), secs(7), secs(8), secs(9), secs(100)],
            [1, 2, 4, 8, 15, 15]
        );
        // Far past the threshold the shift saturates instead of overflowing.
        assert_eq!(secs(u32::MAX), 15);
    }
}
