//! Herald's portal UI (Leptos) and, behind the `ssr` feature, the rules every entry point shares:
//! state, storage, services and auth live in the one gated module [`ssr`].

pub mod branding;
pub mod i18n;
pub mod ids;

#[cfg(feature = "ssr")]
pub mod ssr;

pub mod admin;
mod app;
pub mod components;
pub mod pages;
pub mod portal;

pub use app::{shell, App, StylesheetHref};
