//! Rebuilds the server when a migration is added or changed: `sqlx::migrate!` embeds
//! the `migrations/` folder at compile time, and cargo does not watch that folder by
//! itself (a new migration was silently missing from a bench build).
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
