//! Herald's integration tests, one binary: every module spawns the real application on its own
//! database (SQLite file or PostgreSQL) and talks to it over HTTP, with a real receiver.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod common;

mod api;
mod branding;
mod console;
mod delivery;
mod delivery_log;
mod edges;
mod exact_bytes;
mod failing;
mod failing_notice;
mod health;
mod locale;
mod missed;
mod operations;
mod pipeline;
mod plans;
mod portal;
mod presets;
mod rare_filters;
mod resilience;
mod security;
mod site;
mod states;
mod tenants;
