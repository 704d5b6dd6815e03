//! Plumbing with no knowledge of the domain: the database pool, the SQL builder, crypto, time,
//! mail, the error type and syntactic checks of values.

pub mod crypto;
pub mod db;
pub mod error;
pub mod mail;
pub mod sql;
pub mod time;
pub mod validate;
