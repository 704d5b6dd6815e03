//! The wasm entry point: takes over the server-rendered page so it becomes interactive.
//!
//! Empty on other targets; see the note in this crate's Cargo.toml.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    // Panics in the browser otherwise surface only as "unreachable executed" with no message.
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(herald_app::App);
}
