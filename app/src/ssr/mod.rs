//! Everything that runs only on the server, in layers that only point down:
//!
//! - [`infra`]: database pool, SQL builder, crypto, time, mail, errors, value checks. Knows
//!   nothing of the domain.
//! - [`delivery`]: the wire contract (signature schemes, secret formats, envelopes, presets), the
//!   SSRF rules and the delivery states. Depends on `infra` only, so the store can record states.
//! - [`store`]: the SQL, one file per table or aggregate. Tenant-owned functions take the tenant
//!   id first; `store::worker` is the one file of cross-tenant statements.
//! - [`domain`]: the rules (tenants, endpoints, intake, portal links, catalogue) and the state
//!   every edge carries.
//! - [`ops`]: upkeep that calls the domain (the operational-webhook forwarder).
//!
//! The edges (REST handlers in the `herald` crate, the portal's and console's server functions,
//! [`portal_auth`] for them, the CLI) call into `domain` and `store`. The test `layering` below
//! fails the build on an import that points up.

pub mod delivery;
pub mod domain;
pub mod infra;
pub mod ops;
pub mod portal_auth;
pub mod store;

pub use domain::state::{AppState, Settings};
pub use infra::error::ServiceError;

#[cfg(test)]
mod layering;
