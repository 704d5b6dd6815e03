//! Everything that runs only on the server: storage, the rules of the domain, and the state the
//! REST API, the portal's server functions and the delivery workers share. Handlers stay thin and
//! call into `services`; tenant scoping happens here, in every query that touches tenant data.

pub mod crypto;
pub mod db;
pub mod delivery;
pub mod error;
pub mod mail;
pub mod portal_auth;
pub mod services;
pub mod snippets;
pub mod ssrf;
pub mod state;
pub mod time;
pub mod validate;

pub use error::ServiceError;
pub use state::{AppState, Settings};
