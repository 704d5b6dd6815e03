//! Upkeep that runs beside the workers and calls the domain.

pub mod notifications;
pub mod upkeep;
