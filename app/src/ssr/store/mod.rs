//! Every SQL statement, one file per table or aggregate. Tenant-owned functions take the tenant
//! id first and put it in the query, so another tenant's ids are simply not found. `worker` is
//! the one file of cross-tenant statements (claim, record, leases, holds).

pub mod api_keys;
pub mod applications;
pub mod attempts;
pub mod audit;
pub mod deliveries;
pub mod endpoint_hours;
pub mod endpoints;
pub mod event_types;
pub mod health;
pub mod messages;
pub mod notifications;
pub mod plans;
pub mod portal_links;
pub mod retention;
pub mod sessions;
pub mod team;
pub mod users;
pub mod worker;

pub use crate::ssr::infra::sql::{json_or_default, Arg, ListQuery, Page, Sql, MAX_PAGE};
