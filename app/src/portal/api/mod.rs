//! The portal's server functions, by feature: [`auth`] (who is looking, sign-in and out),
//! [`endpoints`] (endpoints, their secrets and test events), [`logs`] (the delivery log,
//! replays, notices and the plan's use), [`messages`] (one message and its deliveries) and
//! [`team`] (users, invites and the audit trail).
//!
//! Each is thin: it finds the caller with [`require`](crate::ssr::portal_auth::require) (read or
//! write), calls the same domain and store functions the REST API uses, and passes every error
//! through [`fail`](crate::ssr::portal_auth::fail), which gives it its HTTP status. Argument
//! names match the form fields of the pages, so every form also posts without JavaScript.

pub mod auth;
pub mod endpoints;
pub mod logs;
pub mod messages;
pub mod team;

pub use auth::*;
pub use endpoints::*;
pub use logs::*;
pub use messages::*;
pub use team::*;

/// What every server function here uses.
#[cfg(feature = "ssr")]
mod prelude {
    pub use crate::portal::PortalError;
    pub use crate::ssr::domain::{deliveries, endpoints, intake, tenants};
    pub use crate::ssr::portal_auth::{fail, require, Caller};
    pub use crate::ssr::store::users::Permission;
    pub use crate::ssr::store::{attempts, audit, event_types, sessions, users, ListQuery};

    pub const DAY_MS: i64 = 24 * 3600 * 1000;
}
