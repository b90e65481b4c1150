//! Server-only code: state, the AWS boundary and the services behind the server
//! functions. Never compiled to wasm.

pub mod aws;
pub mod fleet;
pub mod resources;
pub mod state;
