//! The one error type that crosses the wire between server functions and pages.
//!
//! Server code maps its own errors into `AppError` at the edge. `Internal` carries no
//! detail on purpose: the detail goes to the server log, never to the browser.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Errors a page can receive from a server function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("please log in")]
    Unauthorized,
    #[error("your role does not allow this")]
    Forbidden,
    #[error("{0} was not found")]
    NotFound(String),
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// An error AWS returned, cleaned of request noise: its error code and message.
    #[error("AWS answered {code}: {message}")]
    Upstream { code: String, message: String },
    /// Something failed on the server; the details are in the server log.
    #[error("internal error, see the server log")]
    Internal,
    /// The call did not reach the server or its answer could not be read.
    #[error("could not reach the server: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::MissingArg(message) => {
                AppError::Validation {
                    field: "request".into(),
                    message,
                }
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    /// Database errors are logged in full and reach the browser as `Internal`.
    fn from(error: sqlx::Error) -> Self {
        tracing::error!("database error: {error}");
        AppError::Internal
    }
}
