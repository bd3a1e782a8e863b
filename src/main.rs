//! The browser entry point: mounts the Leptos app.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    parley::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "Parley runs in the browser: build it with `make build` (Trunk) and open the bundle."
    );
}
