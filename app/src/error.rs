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

impl AppError {
    /// The HTTP status this error answers with: 400 for a missing or malformed field,
    /// 401, 403, 404, 502 for an error AWS returned, 500 for our own failures. The
    /// server applies it to every server function and export (`server::router`).
    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation { .. } => 400,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::NotFound(_) => 404,
            AppError::Upstream { .. } => 502,
            AppError::Internal => 500,
            // Produced in the browser when the server could not be reached; on the
            // server it means the answer could not be made: our failure.
            AppError::Transport(_) => 500,
        }
    }
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
            // On the server this is a request body that could not be read (not UTF-8):
            // the caller's mistake, 400. In the browser it is an answer that could not
            // be read, which stays a transport error.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(message) => AppError::Validation {
                field: "request".into(),
                message,
            },
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AppError;

    #[test]
    fn every_error_has_its_status() {
        let validation = AppError::Validation {
            field: "next".into(),
            message: "missing".into(),
        };
        let upstream = AppError::Upstream {
            code: "ThrottlingException".into(),
            message: "slow down".into(),
        };
        assert_eq!(validation.status(), 400);
        assert_eq!(AppError::Unauthorized.status(), 401);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::NotFound("WorkSpace ws-1".into()).status(), 404);
        assert_eq!(upstream.status(), 502);
        assert_eq!(AppError::Internal.status(), 500);
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
