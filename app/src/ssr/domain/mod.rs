//! The rules, shared by the REST API, the portal, the console and the CLI: each entry point
//! calls the same function here.

pub mod catalogue;
pub mod deliveries;
pub mod endpoints;
pub mod intake;
pub mod portal;
pub mod state;
pub mod tenants;
