//! What goes on the wire and where it may go: the delivery contract (signature schemes, secret
//! formats, envelopes, presets), the verification snippets shown to tenants, and the SSRF rules.

pub mod contract;
pub mod snippets;
pub mod ssrf;

pub use contract::*;
