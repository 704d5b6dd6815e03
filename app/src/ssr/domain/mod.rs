//! The rules, shared by the REST API, the portal, the console and the CLI: each entry point
//! calls the same function here.

pub mod api_keys;
pub mod attempts;
pub mod audit;
pub mod catalogue;
pub mod deliveries;
pub mod endpoints;
pub mod intake;
pub mod plans;
pub mod portal;
pub mod state;
pub mod team;
pub mod tenants;
