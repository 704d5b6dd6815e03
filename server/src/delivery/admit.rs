//! Admit: which claimed deliveries may go now. Claims take the oldest due rows; admission keeps
//! any one endpoint, and any one company's endpoints together, to their share of this
//! instance's send slots, holds back a paused or disabled endpoint's deliveries, and spaces
//! sends to an endpoint with a `throttleRate`. What is held back is not an attempt: it waits
//! behind its endpoint (parked), comes due at a later time, or (over its company's share) is
//! handed to the worker, which holds it on the instance or parks it.
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
    /// Companies (application ids) the operator disabled: the same for all of their endpoints.
    pub park_company: Vec<String>,
    /// Over their company's share of the slots (the worker holds them for a moment, or parks
    /// them with the company's due backlog).
    pub over_share: Vec<Claimed>,
    /// Within their shares, for endpoints with a `throttleRate`: each goes if it can book its
    /// endpoint's next send slot (shared by every instance), or comes due when it frees.
    pub throttled: Vec<Claimed>,
}

/// The most sends in flight at once from this instance, per endpoint and per company.
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    pub endpoint: usize,
    pub company: usize,
}

/// Sends in flight on this instance, per endpoint and per company, and when each company with
/// sends in flight last made progress (one of them finished, or the first one started).
#[derive(Debug, Default)]
pub struct InFlight {
    endpoints: HashMap<String, usize>,
    companies: HashMap<String, usize>,
    progress: HashMap<String, i64>,
}

/// How long a company's sends may go without one finishing before they count as stalled
/// (hanging, or slower than this): what it claimed over its share is then parked with its due
/// backlog, so that claims reach other companies' deliveries behind it.
pub const STALLED_MS: i64 = 200;

impl InFlight {
    pub fn get(&self, endpoint: &str) -> usize {
        self.endpoints.get(endpoint).copied().unwrap_or(0)
    }

    pub fn of_company(&self, app: &str) -> usize {
        self.companies.get(app).copied().unwrap_or(0)
    }

    pub fn start(&mut self, endpoint: &str, app: &str, now_ms: i64) {
        *self.endpoints.entry(endpoint.to_owned()).or_default() += 1;
        *self.companies.entry(app.to_owned()).or_default() += 1;
        self.progress.entry(app.to_owned()).or_insert(now_ms);
    }

    pub fn finish(&mut self, endpoint: &str, app: &str, now_ms: i64) {
        decrement(&mut self.endpoints, endpoint);
        decrement(&mut self.companies, app);
        if self.companies.contains_key(app) {
            self.progress.insert(app.to_owned(), now_ms);
        } else {
            self.progress.remove(app);
        }
    }

    /// The company has sends in flight and none of them finished for [`STALLED_MS`].
    pub fn stalled(&self, app: &str, now_ms: i64) -> bool {
        self.progress
            .get(app)
            .is_some_and(|t| now_ms - *t >= STALLED_MS)
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

/// Per endpoint under a `throttleRate`: the last time (µs) this instance gave one of its
/// deliveries to come due, so the deliveries it defers are spread one interval apart instead of
/// all coming due the moment the booked slot frees. Whether a send may start is the database's
/// booking (`book_throttled_send`), which every instance shares.
#[derive(Debug, Default)]
pub struct Throttle(HashMap<String, i64>);

/// Entries beyond this are dropped when stale: a time in the past spreads nothing.
const MAX_THROTTLED: usize = 10_000;

impl Throttle {
    /// When (ms) a delivery that could not book its endpoint's slot comes due: when the slot
    /// frees (`free_us`), or one interval after the last one this instance deferred.
    pub fn defer(&mut self, endpoint: &str, rate: i64, free_us: i64, now_ms: i64) -> i64 {
        let now = now_ms.saturating_mul(1000);
        if self.0.len() > MAX_THROTTLED {
            self.0.retain(|_, last| *last > now);
        }
        let interval = Self::interval_us(rate);
        let last = self.0.entry(endpoint.to_owned()).or_insert(0);
        let at = free_us.max(*last + interval);
        *last = at;
        (at + 999) / 1000
    }

    /// The time between two sends at `rate` a second, in µs.
    pub fn interval_us(rate: i64) -> i64 {
        1_000_000 / rate.max(1)
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
            out.over_share.push(c);
            continue;
        }
        // A throttled one counts against the shares even if its slot turns out to be taken: at
        // worst another of this batch waits for the next claim.
        *admitted.entry(c.endpoint_id.clone()).or_default() += 1;
        *admitted_company.entry(c.app_id.clone()).or_default() += 1;
        if c.throttle_rate.is_some_and(|r| r > 0) {
            out.throttled.push(c);
        } else {
            out.send.push(c);
        }
    }
    out
}

/// Shares `free` send slots out among a company's endpoints, one at a time in turn from
/// `start`, each up to its `room` (its own free slots): the quotas of a release of the company's
/// waiting deliveries, so an endpoint with a long backlog cannot take the slots its siblings
/// wait for. Returns `(endpoint, quota)` for those given any, in the order of `rooms`.
pub fn share_out(free: usize, rooms: &[(String, usize)], start: usize) -> Vec<(String, usize)> {
    let n = rooms.len();
    let mut quotas = vec![0; n];
    let mut left = free;
    while left > 0 {
        let mut gave = false;
        for k in 0..n {
            let i = (start + k) % n;
            if left == 0 {
                break;
            }
            if quotas[i] < rooms[i].1 {
                quotas[i] += 1;
                left -= 1;
                gave = true;
            }
        }
        if !gave {
            break;
        }
    }
    rooms
        .iter()
        .zip(quotas)
        .filter(|(_, q)| *q > 0)
        .map(|((e, _), q)| (e.clone(), q))
        .collect()
}

/// Adds `key` to `list` once.
pub(super) fn hold(list: &mut Vec<String>, key: &str) {
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
            throttle_booked_us: None,
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
        in_flight.start("ep_slow", "app_1", NOW);
        let batch = vec![
            row(1, "ep_slow"),
            row(2, "ep_slow"),
            row(3, "ep_slow"),
            row(4, "ep_ok"),
            row(5, "ep_slow"),
            row(6, "ep_ok"),
        ];
        let a = admit(batch, &in_flight, &Paused::default(), caps(2, 100), NOW);
        assert_eq!(ids(&a.send), [1, 4, 6]);
        assert_eq!(a.park, [2, 3, 5]);
        assert_eq!(a.park_backlog, ["ep_slow"]);
        assert!(a.throttled.is_empty());
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
            NOW,
        );
        assert_eq!(ids(&a.send), [2, 4]);
        assert_eq!(a.park, [1, 3]);
        assert_eq!(a.park_backlog, ["ep_paused", "ep_off"]);
    }

    #[test]
    fn a_throttled_endpoint_s_deliveries_go_to_book_their_slot_within_the_shares() {
        let batch: Vec<Claimed> = (1..=4)
            .map(|i| {
                let mut c = row(i, if i == 4 { "ep_plain" } else { "ep_slow" });
                c.throttle_rate = (i < 4).then_some(2);
                c
            })
            .collect();
        let a = admit(
            batch,
            &InFlight::default(),
            &Paused::default(),
            caps(2, 100),
            NOW,
        );
        assert_eq!(ids(&a.throttled), [1, 2]);
        assert_eq!(ids(&a.send), [4]);
        assert_eq!(a.park, [3], "over the endpoint's share, throttled or not");
    }

    #[test]
    fn deliveries_that_missed_the_slot_are_spread_one_interval_apart() {
        let mut throttle = Throttle::default();
        let free = NOW * 1000 + 500_000;
        // Two a second: the slot frees in half a second, and each next one half a second on.
        assert_eq!(throttle.defer("ep", 2, free, NOW), NOW + 500);
        assert_eq!(throttle.defer("ep", 2, free, NOW), NOW + 1_000);
        assert_eq!(throttle.defer("ep", 2, free, NOW + 10), NOW + 1_500);
        // Another instance booked far ahead: the next one waits for that.
        assert_eq!(throttle.defer("ep", 2, free + 5_000_000, NOW), NOW + 5_500);
        // Another endpoint is spread on its own.
        assert_eq!(throttle.defer("ep_2", 1, free, NOW), NOW + 500);
        assert_eq!(Throttle::interval_us(4), 250_000);
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
        in_flight.start("ep_a1", "app_a", NOW);
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
        let a = admit(batch, &in_flight, &Paused::default(), caps(8, 2), NOW);
        assert_eq!(ids(&a.send), [1, 3, 5]);
        assert_eq!(ids(&a.over_share), [2, 4]);
        assert!(a.park.is_empty() && a.park_company.is_empty());
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
            NOW,
        );
        assert_eq!(ids(&a.send), [2]);
        assert_eq!(a.park, [1]);
        assert_eq!(a.park_company, ["app_off"]);
    }

    #[test]
    fn in_flight_counts_go_back_to_nothing() {
        let mut f = InFlight::default();
        f.start("ep", "app", NOW);
        f.start("ep", "app", NOW);
        f.finish("ep", "app", NOW);
        assert_eq!((f.get("ep"), f.of_company("app")), (1, 1));
        f.finish("ep", "app", NOW);
        f.finish("ep", "app", NOW);
        assert_eq!((f.get("ep"), f.of_company("app")), (0, 0));
        assert!(f.endpoints.is_empty() && f.companies.is_empty() && f.progress.is_empty());
    }

    #[test]
    fn a_company_whose_sends_stop_finishing_counts_as_stalled() {
        let mut f = InFlight::default();
        f.start("ep", "app", NOW);
        f.start("ep", "app", NOW);
        assert!(!f.stalled("app", NOW + STALLED_MS - 1));
        assert!(f.stalled("app", NOW + STALLED_MS));
        f.finish("ep", "app", NOW + STALLED_MS);
        assert!(!f.stalled("app", NOW + STALLED_MS + 1), "one finished");
        f.finish("ep", "app", NOW + STALLED_MS);
        assert!(
            !f.stalled("app", NOW + 10 * STALLED_MS),
            "nothing in flight"
        );
    }

    fn rooms(list: &[(&str, usize)]) -> Vec<(String, usize)> {
        list.iter().map(|(e, r)| ((*e).to_owned(), *r)).collect()
    }

    #[test]
    fn a_company_s_free_slots_go_round_its_endpoints_in_turn_within_each_one_s_room() {
        let r = rooms(&[("ep_a", 5), ("ep_b", 1), ("ep_c", 5)]);
        assert_eq!(
            share_out(6, &r, 0),
            rooms(&[("ep_a", 3), ("ep_b", 1), ("ep_c", 2)])
        );
        // The turn starts elsewhere next time, so a small release is not always ep_a's.
        assert_eq!(share_out(1, &r, 1), rooms(&[("ep_b", 1)]));
        assert_eq!(share_out(2, &r, 2), rooms(&[("ep_a", 1), ("ep_c", 1)]));
        // More slots than room: each gets its room, no more.
        assert_eq!(share_out(50, &r, 0), r);
        assert!(share_out(0, &r, 0).is_empty());
        assert!(share_out(3, &[], 0).is_empty());
    }
}
