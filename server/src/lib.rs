//! The `herald` binary's library: configuration, start-up, the REST API, the delivery workers,
//! signing and the CLI. The domain rules live in `herald_app::ssr`, shared with the portal.

// The portal's pages are deeply nested view types, and their layout is computed here where the
// server renders them (the endpoint page passes the default 128).
#![recursion_limit = "256"]

pub mod api;
pub mod cli;
pub mod config;
pub mod delivery;
pub mod startup;
pub mod telemetry;
pub mod web;
