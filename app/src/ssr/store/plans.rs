//! Plans: what a company (application) may do. A plan caps endpoints and deliveries per hour and
//! sets the retry schedule, request timeout, log retention and auto-disable threshold (a count
//! of failures, and optionally the least time failing) of its tenants. An application without a
//! plan has no limits.

use super::{Arg, Sql};
use crate::ids::AppId;
use crate::ssr::infra::db::Db;
use crate::ssr::infra::error::unique_violation;
use crate::ssr::infra::time::now_ms;
use crate::ssr::ServiceError;
use sqlx::AnyConnection;
use std::collections::HashMap;
use std::time::Duration;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Plan {
    pub name: String,
    pub max_endpoints: i64,
    pub deliveries_per_hour: i64,
    /// JSON list of durations, e.g. `["5m","30m"]`.
    pub retry_schedule: String,
    pub timeout_seconds: i64,
    pub retention_days: i64,
    pub auto_disable_after: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// Seconds an endpoint must have been failing before it is disabled; `None`: the
    /// deployment's.
    pub auto_disable_min_failing: Option<i64>,
}

impl Plan {
    pub fn retry_schedule(&self) -> Vec<String> {
        super::json_or_default(Some(&self.retry_schedule))
    }
}

/// A stored retry schedule (JSON list of delays) as durations; entries that do not parse are
/// skipped (they were checked when the plan was saved).
pub fn schedule_delays(json: &str) -> Vec<Duration> {
    super::json_or_default::<Vec<String>>(Some(json))
        .iter()
        .filter_map(|d| parse_delay(d))
        .collect()
}

const COLUMNS: &str = "name, max_endpoints, deliveries_per_hour, retry_schedule, timeout_seconds, \
                       retention_days, auto_disable_after, created_at, updated_at, \
                       auto_disable_min_failing";

/// The longest request timeout a plan may set. Workers lease each delivery for longer than this,
/// so that another instance never takes over a send still in flight.
pub const MAX_TIMEOUT_SECONDS: i64 = 60;

/// The longest least-time-failing a plan may set: a month. Past that an endpoint that never
/// answers would stay enabled, and its backlog growing, for longer than anyone watches it.
pub const MAX_MIN_FAILING_SECONDS: i64 = 30 * 86_400;

/// A plan's settings as given by an operator, checked by [`PlanInput::validate`].
#[derive(Debug, Clone)]
pub struct PlanInput {
    pub max_endpoints: i64,
    pub deliveries_per_hour: i64,
    pub retry_schedule: Vec<String>,
    pub timeout_seconds: i64,
    pub retention_days: i64,
    pub auto_disable_after: i64,
    /// Seconds; `None` leaves the deployment's.
    pub auto_disable_min_failing: Option<i64>,
}

fn in_range(field: &str, v: i64, min: i64, max: i64) -> Result<(), ServiceError> {
    if v < min || v > max {
        return Err(ServiceError::validation(format!(
            "{field}: must be from {min} to {max}, got {v}"
        )));
    }
    Ok(())
}

/// A duration as plans write them: a whole number and a unit, `s`, `m`, `h` or `d` ("90s", "5m").
pub fn parse_delay(v: &str) -> Option<Duration> {
    let v = v.trim();
    let split = v.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = v.split_at(split);
    let n: u64 = n.parse().ok()?;
    let secs = match unit {
        "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        "d" => n.checked_mul(86_400)?,
        _ => return None,
    };
    Some(Duration::from_secs(secs))
}

/// A delay written the way [`parse_delay`] reads it, in the largest unit that divides it
/// (below a second: milliseconds).
pub fn format_delay(d: Duration) -> String {
    let secs = d.as_secs();
    if d.subsec_millis() != 0 || secs == 0 {
        return format!("{}ms", d.as_millis());
    }
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60)] {
        if secs.is_multiple_of(size) {
            return format!("{}{unit}", secs / size);
        }
    }
    format!("{secs}s")
}

impl PlanInput {
    pub fn validate(&self) -> Result<(), ServiceError> {
        in_range("maxEndpoints", self.max_endpoints, 0, 100_000)?;
        in_range(
            "deliveriesPerHour",
            self.deliveries_per_hour,
            1,
            1_000_000_000,
        )?;
        in_range(
            "timeoutSeconds",
            self.timeout_seconds,
            1,
            MAX_TIMEOUT_SECONDS,
        )?;
        in_range("retentionDays", self.retention_days, 1, 3650)?;
        in_range("autoDisableAfter", self.auto_disable_after, 1, 1_000_000)?;
        if let Some(secs) = self.auto_disable_min_failing {
            in_range(
                "autoDisableMinFailingSeconds",
                secs,
                0,
                MAX_MIN_FAILING_SECONDS,
            )?;
        }
        if self.retry_schedule.len() > 50 {
            return Err(ServiceError::validation(
                "retrySchedule: at most 50 retries",
            ));
        }
        for d in &self.retry_schedule {
            match parse_delay(d) {
                Some(t) if t > Duration::ZERO && t <= Duration::from_secs(7 * 86_400) => {}
                _ => {
                    return Err(ServiceError::validation(format!(
                        "retrySchedule: {d:?} is not a delay such as \"30s\", \"5m\", \"2h\" or \"1d\" (at most 7 days)"
                    )))
                }
            }
        }
        Ok(())
    }
}

/// Plan names are what operators and the API use to refer to them: short and printable.
pub fn check_name(name: &str) -> Result<(), ServiceError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'))
        && !name.starts_with(' ')
        && !name.ends_with(' ');
    if ok {
        Ok(())
    } else {
        Err(ServiceError::validation(
            "name: 1 to 64 letters, digits, spaces, '-', '_' or '.', not starting or ending with a space",
        ))
    }
}

pub async fn list(db: &Db) -> Result<Vec<Plan>, ServiceError> {
    Ok(
        sqlx::query_as::<_, Plan>(&format!("SELECT {COLUMNS} FROM plans ORDER BY name"))
            .fetch_all(&db.read)
            .await?,
    )
}

pub async fn get(db: &Db, name: &str) -> Result<Plan, ServiceError> {
    let mut conn = db.write.acquire().await?;
    get_in(&mut conn, name).await
}

/// [`get`] on the caller's connection (its transaction).
pub async fn get_in(conn: &mut AnyConnection, name: &str) -> Result<Plan, ServiceError> {
    sqlx::query_as::<_, Plan>(&format!("SELECT {COLUMNS} FROM plans WHERE name = $1"))
        .bind(name)
        .fetch_optional(conn)
        .await?
        .ok_or(ServiceError::NotFound("plan"))
}

/// Creates a plan, on the caller's connection; a plan of that name already there is a conflict.
pub async fn create_in(
    conn: &mut AnyConnection,
    name: &str,
    input: PlanInput,
) -> Result<Plan, ServiceError> {
    check_name(name)?;
    input.validate()?;
    let now = now_ms();
    sqlx::query(&format!(
        "INSERT INTO plans ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)"
    ))
    .bind(name)
    .bind(input.max_endpoints)
    .bind(input.deliveries_per_hour)
    .bind(serde_json::Value::from(input.retry_schedule.clone()).to_string())
    .bind(input.timeout_seconds)
    .bind(input.retention_days)
    .bind(input.auto_disable_after)
    .bind(now)
    .bind(input.auto_disable_min_failing)
    .execute(&mut *conn)
    .await
    .map_err(|e| {
        if unique_violation(&e).is_some() {
            ServiceError::Conflict {
                code: "conflict",
                detail: format!("a plan named {name:?} already exists"),
            }
        } else {
            e.into()
        }
    })?;
    get_in(conn, name).await
}

/// Replaces a plan's settings, creating it when absent, on the caller's connection. Returns the
/// plan and whether it is new.
pub async fn upsert_in(
    conn: &mut AnyConnection,
    name: &str,
    input: PlanInput,
) -> Result<(Plan, bool), ServiceError> {
    check_name(name)?;
    input.validate()?;
    let schedule = serde_json::Value::from(input.retry_schedule.clone()).to_string();
    let now = now_ms();
    let done = sqlx::query(
        "UPDATE plans SET max_endpoints = $2, deliveries_per_hour = $3, retry_schedule = $4,
         timeout_seconds = $5, retention_days = $6, auto_disable_after = $7, updated_at = $8,
         auto_disable_min_failing = $9
         WHERE name = $1",
    )
    .bind(name)
    .bind(input.max_endpoints)
    .bind(input.deliveries_per_hour)
    .bind(&schedule)
    .bind(input.timeout_seconds)
    .bind(input.retention_days)
    .bind(input.auto_disable_after)
    .bind(now)
    .bind(input.auto_disable_min_failing)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() > 0 {
        // Its companies' held deliveries are weighed again under the new limit.
        super::worker::release_held(&mut *conn, None, Some(name)).await?;
        return Ok((get_in(conn, name).await?, false));
    }
    // Created by someone else in between (PostgreSQL): replace theirs, as PUT promises. Inside
    // a transaction a unique violation could not be retried, hence ON CONFLICT.
    sqlx::query(&format!(
        "INSERT INTO plans ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)
         ON CONFLICT (name) DO UPDATE SET max_endpoints = $2, deliveries_per_hour = $3,
         retry_schedule = $4, timeout_seconds = $5, retention_days = $6,
         auto_disable_after = $7, updated_at = $8, auto_disable_min_failing = $9"
    ))
    .bind(name)
    .bind(input.max_endpoints)
    .bind(input.deliveries_per_hour)
    .bind(&schedule)
    .bind(input.timeout_seconds)
    .bind(input.retention_days)
    .bind(input.auto_disable_after)
    .bind(now)
    .bind(input.auto_disable_min_failing)
    .execute(&mut *conn)
    .await?;
    Ok((get_in(conn, name).await?, true))
}

/// Deletes a plan no application is on, on the caller's connection.
pub async fn delete_in(conn: &mut AnyConnection, name: &str) -> Result<(), ServiceError> {
    let in_use: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM applications WHERE plan = $1")
        .bind(name)
        .fetch_one(&mut *conn)
        .await?;
    if in_use.0 > 0 {
        return Err(ServiceError::Conflict {
            code: "plan_in_use",
            detail: format!(
                "the plan {name:?} is used by {} application(s): move them to another plan first",
                in_use.0
            ),
        });
    }
    let done = sqlx::query("DELETE FROM plans WHERE name = $1")
        .bind(name)
        .execute(&mut *conn)
        .await
        .map_err(|e| -> ServiceError {
            match &e {
                // An application was moved onto it in between; the foreign key refused the delete.
                sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                    ServiceError::Conflict {
                        code: "plan_in_use",
                        detail: format!("the plan {name:?} is in use"),
                    }
                }
                _ => e.into(),
            }
        })?;
    if done.rows_affected() == 0 {
        return Err(ServiceError::NotFound("plan"));
    }
    Ok(())
}

/// Puts an application on a plan, or on none (no limits), on the caller's connection.
pub async fn assign_in(
    conn: &mut AnyConnection,
    app: &AppId,
    plan: Option<&str>,
) -> Result<(), ServiceError> {
    if let Some(p) = plan {
        get_in(&mut *conn, p).await?;
    }
    sqlx::query("UPDATE applications SET plan = $2, updated_at = $3 WHERE id = $1")
        .bind(app.as_str())
        .bind(plan)
        .bind(now_ms())
        .execute(&mut *conn)
        .await?;
    super::worker::release_held(&mut *conn, Some(app.as_str()), None).await?;
    Ok(())
}

/// The plan an application is on, if any.
pub async fn of_app<'e, E>(exec: E, app: &str) -> Result<Option<Plan>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let cols = COLUMNS
        .split(", ")
        .map(|c| format!("p.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    sqlx::query_as::<_, Plan>(&format!(
        "SELECT {cols} FROM applications a JOIN plans p ON p.name = a.plan WHERE a.id = $1"
    ))
    .bind(app)
    .fetch_optional(exec)
    .await
}

#[derive(Debug, Clone)]
pub struct Usage {
    pub plan: Option<Plan>,
    pub endpoints: i64,
    pub deliveries_this_hour: i64,
    /// Deliveries waiting for the hourly limit to allow them.
    pub held: i64,
    /// When the current window closes and held deliveries may go (Unix ms).
    pub window_ends_at: i64,
}

/// What the company has used of its plan. `window` is the plan window (an hour outside tests).
pub async fn usage(db: &Db, app: &AppId, window: Duration) -> Result<Usage, ServiceError> {
    let plan = of_app(&db.write, app.as_str()).await?;
    let endpoints: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM endpoints WHERE app_id = $1")
        .bind(app.as_str())
        .fetch_one(&db.read)
        .await?;
    let (start, end) = super::worker::window_of(now_ms(), window.as_millis() as i64);
    // A company on a plan is counted where the limit is applied; any other by its attempts.
    let sent: Option<(i64,)> = if plan.is_some() {
        sqlx::query_as("SELECT sent FROM usage_windows WHERE app_id = $1 AND window_start = $2")
            .bind(app.as_str())
            .bind(start)
            .fetch_optional(&db.read)
            .await?
    } else {
        sqlx::query_as("SELECT COUNT(*) FROM attempts WHERE app_id = $1 AND id >= $2")
            .bind(app.as_str())
            .bind(crate::ids::AttemptId::lower_bound_at(start))
            .fetch_optional(&db.read)
            .await?
    };
    let held: (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM deliveries WHERE app_id = $1 AND held = 1 AND status = 1",
    )
    .bind(app.as_str())
    .fetch_one(&db.read)
    .await?;
    Ok(Usage {
        plan,
        endpoints: endpoints.0,
        deliveries_this_hour: sent.map_or(0, |s| s.0),
        held: held.0,
        window_ends_at: end,
    })
}

/// This window's sends and the held deliveries of many companies at once (the console's tenant
/// list), in three grouped queries instead of [`usage`]'s several per company. `apps` pairs each
/// application id with whether it is on a plan, which decides where its sends are counted.
pub async fn usage_of_many(
    db: &Db,
    apps: &[(String, bool)],
    window: Duration,
) -> Result<HashMap<String, (i64, i64)>, ServiceError> {
    let mut out: HashMap<String, (i64, i64)> =
        apps.iter().map(|(a, _)| (a.clone(), (0, 0))).collect();
    if apps.is_empty() {
        return Ok(out);
    }
    let (start, _) = super::worker::window_of(now_ms(), window.as_millis() as i64);
    let ids = |on_plan: Option<bool>| {
        apps.iter()
            .filter(move |(_, p)| on_plan.is_none_or(|want| *p == want))
            .map(|(a, _)| Arg::Text(a.clone()))
            .collect::<Vec<_>>()
    };
    let mut counts: Vec<(String, i64)> = Vec::new();
    let planned = ids(Some(true));
    if !planned.is_empty() {
        let mut q = Sql::new(
            db.backend,
            "SELECT app_id, sent FROM usage_windows WHERE window_start = ",
        );
        q.bind(Arg::Int(start))
            .push(" AND app_id IN ")
            .bind_list(planned);
        counts.extend(q.query_as::<(String, i64)>().fetch_all(&db.read).await?);
    }
    let unplanned = ids(Some(false));
    if !unplanned.is_empty() {
        let mut q = Sql::new(
            db.backend,
            "SELECT app_id, COUNT(*) FROM attempts WHERE id >= ",
        );
        q.bind(Arg::Text(crate::ids::AttemptId::lower_bound_at(start)))
            .push(" AND app_id IN ")
            .bind_list(unplanned)
            .push(" GROUP BY app_id");
        counts.extend(q.query_as::<(String, i64)>().fetch_all(&db.read).await?);
    }
    for (app, n) in counts {
        if let Some(e) = out.get_mut(&app) {
            e.0 = n;
        }
    }
    let mut q = Sql::new(
        db.backend,
        "SELECT app_id, COUNT(*) FROM deliveries WHERE held = 1 AND status = 1 AND app_id IN ",
    );
    q.bind_list(ids(None)).push(" GROUP BY app_id");
    for (app, n) in q.query_as::<(String, i64)>().fetch_all(&db.read).await? {
        if let Some(e) = out.get_mut(&app) {
            e.1 = n;
        }
    }
    Ok(out)
}

/// A delivery held back by the company's hourly limit, for the delivery log.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Held {
    pub msg_id: String,
    pub endpoint_id: String,
    pub url: String,
    pub event_type: String,
    pub created_at: i64,
    /// When it will be weighed again: the start of the next window.
    pub next_attempt_at: Option<i64>,
}

/// The company's held deliveries, oldest first (the order they will go in).
pub async fn held(db: &Db, app: &AppId, limit: i64) -> Result<Vec<Held>, ServiceError> {
    Ok(sqlx::query_as::<_, Held>(
        "SELECT d.msg_id, d.endpoint_id, e.url, m.event_type, d.created_at, d.next_attempt_at
         FROM deliveries d
         JOIN messages m ON m.id = d.msg_id
         JOIN endpoints e ON e.id = d.endpoint_id
         WHERE d.app_id = $1 AND d.held = 1 AND d.status = 1
         ORDER BY d.id LIMIT $2",
    )
    .bind(app.as_str())
    .bind(limit)
    .fetch_all(&db.read)
    .await?)
}

/// Why the application may not add another endpoint, if it may not: for the edges, which hold
/// no connection of their own.
pub async fn endpoint_limit(db: &Db, app: &AppId) -> Result<Option<String>, ServiceError> {
    let mut conn = db.read.acquire().await?;
    Ok(endpoint_limit_reason(&mut conn, app.as_str()).await?)
}

/// [`endpoint_limit`] on the caller's connection: the endpoint insert checks it in its own
/// transaction, so two creates at once cannot both fit under the limit.
pub async fn endpoint_limit_reason(
    conn: &mut sqlx::AnyConnection,
    app: &str,
) -> Result<Option<String>, sqlx::Error> {
    let Some(plan) = of_app(&mut *conn, app).await? else {
        return Ok(None);
    };
    let used: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM endpoints WHERE app_id = $1")
        .bind(app)
        .fetch_one(&mut *conn)
        .await?;
    Ok((used.0 >= plan.max_endpoints).then(|| limit_text(&plan, used.0)))
}

pub fn limit_text(plan: &Plan, used: i64) -> String {
    let n = plan.max_endpoints;
    format!(
        "the {} plan allows {n} endpoint{}, and this application has {used}: remove one or move to a larger plan",
        plan.name,
        if n == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_are_written_the_way_they_are_read() {
        for d in ["90s", "5m", "2h", "1d", "150ms"] {
            let parsed = parse_delay(d).unwrap_or(Duration::from_millis(150));
            assert_eq!(format_delay(parsed), d);
        }
    }

    #[test]
    fn delays_read_as_a_number_and_a_unit() {
        assert_eq!(parse_delay("90s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_delay("5m"), Some(Duration::from_secs(300)));
        assert_eq!(parse_delay("2h"), Some(Duration::from_secs(7200)));
        assert_eq!(parse_delay("1d"), Some(Duration::from_secs(86_400)));
        assert_eq!(parse_delay("5"), None);
        assert_eq!(parse_delay("m"), None);
        assert_eq!(parse_delay("5 minutes"), None);
    }

    fn input(min_failing: Option<i64>) -> PlanInput {
        PlanInput {
            max_endpoints: 2,
            deliveries_per_hour: 100,
            retry_schedule: vec!["5m".into()],
            timeout_seconds: 10,
            retention_days: 30,
            auto_disable_after: 100,
            auto_disable_min_failing: min_failing,
        }
    }

    #[test]
    fn the_least_time_failing_is_optional_and_at_most_a_month() {
        for ok in [None, Some(0), Some(3600), Some(MAX_MIN_FAILING_SECONDS)] {
            assert!(input(ok).validate().is_ok(), "{ok:?}");
        }
        for bad in [-1, MAX_MIN_FAILING_SECONDS + 1] {
            let e = input(Some(bad)).validate().expect_err("refused");
            assert!(
                e.to_string().contains("autoDisableMinFailingSeconds"),
                "{e}"
            );
        }
    }

    #[test]
    fn plan_names_are_short_and_printable() {
        assert!(check_name("Basic").is_ok());
        assert!(check_name("Pro 2026").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name(" Pro").is_err());
        assert!(check_name("a/b").is_err());
        assert!(check_name(&"x".repeat(65)).is_err());
    }
}
