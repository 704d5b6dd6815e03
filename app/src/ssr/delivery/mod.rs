//! What goes on the wire and where it may go: the delivery contract (signature schemes, secret
//! formats, envelopes, presets, put together in a [`DeliveryProfile`]), the verification snippets
//! shown to tenants, and the SSRF rules.

pub mod envelope;
pub mod preset;
pub mod profile;
pub mod schedule;
pub mod secret;
pub mod signature;
pub mod snippets;
pub mod ssrf;
pub mod state;

pub use envelope::*;
pub use preset::*;
pub use profile::*;
pub use secret::*;
pub use signature::*;
