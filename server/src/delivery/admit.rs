//! Admit: which claimed deliveries may go now. Claims take the oldest due rows; admission keeps
//! any one endpoint, and any one company's endpoints together, to their share of this
//! instance's send slots, holds back a paused or disabled endpoint's deliveries, and spaces
//! sends to an endpoint with a `throttleRate`. What is held back is not an attempt: it waits
//! behind its endpoint (parked) or comes due at a later time.
//!
//! A pure function of the claimed rows and this instance's in-flight counts and rate state, so
//! its rules are a table test.

use herald_app::ssr::store::worker::Claimed;
use std::collections::HashMap;

/// What to do with one claimed batch.
#[derive(Debug, Default)]
pub struct Admission {
    pub send: Vec<Claimed>,
    /// To wait behind their endpoint.
    pub park: Vec<i64>,
    /// Endpoints at their cap or paused: their remaining due backlog is parked too, so the
    /// next claims do not scan it.
    pub park_backlog: Vec<String>,
    /// Companies (application ids) at their cap: the same for all of their endpoints.
    pub park_company: Vec<String>,
    /// `(delivery, when)`: throttled, to come due at that time.
    pub defer: Vec<(i64, i64)>,
}

/// The most sends in flight at once from this instance, per endpoint and per company.
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    pub endpoint: usize,
    pub company: usize,
}

/// Sends in flight on this instance, per endpoint and per company.
#[derive(Debug, Default)]
pub struct InFlight {
    endpoints: HashMap<String, usize>,
    companies: HashMap<String, usize>,
}

impl InFlight {
    pub fn get(&self, endpoint: &str) -> usize {
        self.endpoints.get(endpoint).copied().unwrap_or(0)
    }

    pub fn of_company(&self, app: &str) -> usize {
        self.companies.get(app).copied().unwrap_or(0)
    }

    pub fn start(&mut self, endpoint: &str, app: &str) {
        *self.endpoints.entry(endpoint.to_owned()).or_default() += 1;
        *self.companies.entry(app.to_owned()).or_default() += 1;
    }

    pub fn finish(&mut self, endpoint: &str, app: &str) {
        decrement(&mut self.endpoints, endpoint);
        decrement(&mut self.companies, app);
    }

    /// Endpoints at or over `cap`, whose waiting deliveries a company's release must skip.
    pub fn endpoints_at(&self, cap: usize) -> Vec<String> {
        self.endpoints
            .iter()
            .filter(|(_, n)| **n >= cap)
            .map(|(e, _)| e.clone())
            .collect()
    }
}

fn decrement(counts: &mut HashMap<String, usize>, key: &str) {
    if let Some(n) = counts.get_mut(key) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            counts.remove(key);
        }
    }
}

/// Per endpoint under a `throttleRate`: when its next send may start, and the last time a
/// deferred delivery was given (both in µs), so deferred ones are spread instead of colliding.
#[derive(Debug, Default)]
pub struct Throttle(HashMap<String, (i64, i64)>);

/// Entries beyond this are dropped when stale: a slot in the past constrains nothing.
const MAX_THROTTLED: usize = 10_000;

impl Throttle {
    /// `None`: send now (the slot is taken). `Some(t)`: come back at `t` (ms).
    fn book(&mut self, endpoint: &str, rate: i64, now_ms: i64) -> Option<i64> {
        let now = now_ms.saturating_mul(1000);
        if self.0.len() > MAX_THROTTLED {
            self.0
                .retain(|_, (next, deferred)| *next > now || *deferred > now);
        }
        let interval = 1_000_000 / rate.max(1);
        let (next, deferred) = self.0.entry(endpoint.to_owned()).or_insert((now, 0));
        if *next <= now {
            *next = now + interval;
            return None;
        }
        let at = (*next).max(*deferred + interval);
        *deferred = at;
        Some((at + 999) / 1000)
    }
}

/// Pauses this instance learned of from its own sends (`Retry-After`) and has not seen in the
/// database yet: the recorder writes them a moment later, and the next send must not slip into
/// that moment.
#[derive(Debug, Default)]
pub struct Paused(HashMap<String, i64>);

impl Paused {
    pub fn pause(&mut self, endpoint: &str, until_ms: i64) {
        let t = self.0.entry(endpoint.to_owned()).or_insert(until_ms);
        *t = (*t).max(until_ms);
    }

    pub fn is_paused(&self, endpoint: &str, now_ms: i64) -> bool {
        self.0.get(endpoint).is_some_and(|t| *t > now_ms)
    }

    pub fn forget_past(&mut self, now_ms: i64) {
        self.0.retain(|_, t| *t > now_ms);
    }
}

/// Decides, in claim order (oldest first), which claimed deliveries go now.
pub fn admit(
    claimed: Vec<Claimed>,
    in_flight: &InFlight,
    paused: &Paused,
    caps: Caps,
    throttle: &mut Throttle,
    now_ms: i64,
) -> Admission {
    let mut out = Admission::default();
    let mut admitted: HashMap<String, usize> = HashMap::new();
    let mut admitted_company: HashMap<String, usize> = HashMap::new();
    for c in claimed {
        if c.probe {
            // The paused endpoint's one try: it goes whatever the caps or pause say.
            out.send.push(c);
            continue;
        }
        if c.disabled != 0 || c.paused_until.is_some() || paused.is_paused(&c.endpoint_id, now_ms) {
            hold(&mut out.park_backlog, &c.endpoint_id);
            out.park.push(c.id);
            continue;
        }
        if c.app_disabled != 0 {
            // The operator disabled the company: all of its backlog waits.
            hold(&mut out.park_company, &c.app_id);
            out.park.push(c.id);
            continue;
        }
        let taken = admitted.get(&c.endpoint_id).copied().unwrap_or(0);
        if in_flight.get(&c.endpoint_id) + taken >= caps.endpoint {
            hold(&mut out.park_backlog, &c.endpoint_id);
            out.park.push(c.id);
            continue;
        }
        let company_taken = admitted_company.get(&c.app_id).copied().unwrap_or(0);
        if in_flight.of_company(&c.app_id) + company_taken >= caps.company {
            hold(&mut out.park_company, &c.app_id);
            out.park.push(c.id);
            continue;
        }
        if let Some(rate) = c.throttle_rate.filter(|r| *r > 0) {
            if let Some(at) = throttle.book(&c.endpoint_id, rate, now_ms) {
                out.defer.push((c.id, at));
                continue;
            }
        }
        *admitted.entry(c.endpoint_id.clone()).or_default() += 1;
        *admitted_company.entry(c.app_id.clone()).or_default() += 1;
        out.send.push(c);
    }
    out
}

fn hold(list: &mut Vec<String>, key: &str) {
    if !list.iter().any(|e| e == key) {
        list.push(key.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000_000;

    fn row(id: i64, endpoint: &str) -> Claimed {
        Claimed {
            id,
            app_id: "app_1".into(),
            app_uid: None,
            msg_id: format!("msg_{id}"),
            endpoint_id: endpoint.into(),
            attempts: 0,
            trigger_type: 0,
            event_type: "invoice.paid".into(),
            event_id: None,
            payload: Some("{}".into()),
            msg_created_at: NOW,
            url: "https://example.com/hook".into(),
            headers: "{}".into(),
            disabled: 0,
            app_disabled: 0,
            version: 1,
            plan_retry_schedule: None,
            plan_timeout_seconds: None,
            plan_auto_disable_after: None,
            plan_auto_disable_min_failing: None,
            plan_deliveries_per_hour: None,
            paused_until: None,
            throttle_rate: None,
            probe: false,
        }
    }

    fn caps(endpoint: usize, company: usize) -> Caps {
        Caps { endpoint, company }
    }

    fn ids(rows: &[Claimed]) -> Vec<i64> {
        rows.iter().map(|c| c.id).collect()
    }

    #[test]
    fn one_endpoint_takes_no_more_than_its_cap_and_the_rest_of_the_batch_still_goes() {
        let mut in_flight = InFlight::default();
        in_flight.start("ep_slow", "app_1");
        let batch = vec![
            row(1, "ep_slow"),
            row(2, "ep_slow"),
            row(3, "ep_slow"),
            row(4, "ep_ok"),
            row(5, "ep_slow"),
            row(6, "ep_ok"),
        ];
        let a = admit(
            batch,
            &in_flight,
            &Paused::default(),
            caps(2, 100),
            &mut Throttle::default(),
            NOW,
        );
        assert_eq!(ids(&a.send), [1, 4, 6]);
        assert_eq!(a.park, [2, 3, 5]);
        assert_eq!(a.park_backlog, ["ep_slow"]);
        assert!(a.defer.is_empty());
    }

    #[test]
    fn a_paused_or_disabled_endpoint_waits_but_its_probe_goes() {
        let mut paused = row(1, "ep_paused");
        paused.paused_until = Some(NOW + 5_000);
        let mut probe = row(2, "ep_paused");
        probe.paused_until = Some(NOW + 15_000);
        probe.probe = true;
        let mut off = row(3, "ep_off");
        off.disabled = 1;
        let a = admit(
            vec![paused, probe, off, row(4, "ep_ok")],
            &InFlight::default(),
            &Paused::default(),
            caps(8, 100),
            &mut Throttle::default(),
            NOW,
        );
        assert_eq!(ids(&a.send), [2, 4]);
        assert_eq!(a.park, [1, 3]);
        assert_eq!(a.park_backlog, ["ep_paused", "ep_off"]);
    }

    #[test]
    fn a_throttled_endpoint_gets_its_sends_spaced_at_its_rate() {
        let batch: Vec<Claimed> = (1..=4)
            .map(|i| {
                let mut c = row(i, "ep_slow");
                c.throttle_rate = Some(2);
                c
            })
            .collect();
        let mut throttle = Throttle::default();
        let a = admit(
            batch,
            &InFlight::default(),
            &Paused::default(),
            caps(8, 100),
            &mut throttle,
            NOW,
        );
        assert_eq!(ids(&a.send), [1]);
        assert_eq!(
            a.defer,
            [(2, NOW + 500), (3, NOW + 1_000), (4, NOW + 1_500)]
        );
        // The next batch, a moment later, queues behind the ones already deferred.
        let throttled = |id| {
            let mut c = row(id, "ep_slow");
            c.throttle_rate = Some(2);
            c
        };
        let b = admit(
            vec![throttled(5)],
            &InFlight::default(),
            &Paused::default(),
            caps(8, 100),
            &mut throttle,
            NOW + 10,
        );
        assert_eq!(b.defer, [(5, NOW + 2_000)]);
        // A deferred one that comes due at its time goes.
        let c = admit(
            vec![throttled(2)],
            &InFlight::default(),
            &Paused::default(),
            caps(8, 100),
            &mut throttle,
            NOW + 500,
        );
        assert_eq!(ids(&c.send), [2]);
    }

    #[test]
    fn a_pause_this_instance_just_learned_of_holds_before_the_database_has_it() {
        let mut paused = Paused::default();
        paused.pause("ep_busy", NOW + 2_000);
        let a = admit(
            vec![row(1, "ep_busy"), row(2, "ep_ok")],
            &InFlight::default(),
            &paused,
            caps(8, 100),
            &mut Throttle::default(),
            NOW,
        );
        assert_eq!(ids(&a.send), [2]);
        assert_eq!(a.park, [1]);
        paused.forget_past(NOW + 2_000);
        assert!(!paused.is_paused("ep_busy", NOW));
    }

    #[test]
    fn a_company_takes_no_more_than_its_cap_across_all_its_endpoints() {
        let mut in_flight = InFlight::default();
        in_flight.start("ep_a1", "app_a");
        let of = |id, endpoint: &str, app: &str| {
            let mut c = row(id, endpoint);
            c.app_id = app.into();
            c
        };
        let batch = vec![
            of(1, "ep_a2", "app_a"),
            of(2, "ep_a3", "app_a"),
            of(3, "ep_b1", "app_b"),
            of(4, "ep_a4", "app_a"),
            of(5, "ep_b1", "app_b"),
        ];
        let a = admit(
            batch,
            &in_flight,
            &Paused::default(),
            caps(8, 2),
            &mut Throttle::default(),
            NOW,
        );
        assert_eq!(ids(&a.send), [1, 3, 5]);
        assert_eq!(a.park, [2, 4]);
        assert_eq!(a.park_company, ["app_a"]);
        assert!(a.park_backlog.is_empty(), "no endpoint is at its own cap");
    }

    #[test]
    fn a_company_the_operator_disabled_waits_whole() {
        let mut off = row(1, "ep_a");
        off.app_id = "app_off".into();
        off.app_disabled = 1;
        let a = admit(
            vec![off, row(2, "ep_b")],
            &InFlight::default(),
            &Paused::default(),
            caps(8, 8),
            &mut Throttle::default(),
            NOW,
        );
        assert_eq!(ids(&a.send), [2]);
        assert_eq!(a.park, [1]);
        assert_eq!(a.park_company, ["app_off"]);
    }

    #[test]
    fn in_flight_counts_go_back_to_nothing() {
        let mut f = InFlight::default();
        f.start("ep", "app");
        f.start("ep", "app");
        f.finish("ep", "app");
        assert_eq!((f.get("ep"), f.of_company("app")), (1, 1));
        assert_eq!(f.endpoints_at(1), ["ep"]);
        f.finish("ep", "app");
        f.finish("ep", "app");
        assert_eq!((f.get("ep"), f.of_company("app")), (0, 0));
        assert!(f.endpoints.is_empty() && f.companies.is_empty());
    }
}
