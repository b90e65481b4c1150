//! An AWS error reduced to what the rest of Fleetdesk acts on: its [`ErrorKind`], code
//! and AWS's own message.

use crate::error::AppError;

/// What kind of failure AWS reported, so callers can decide to retry or to give up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Rate exceeded; the SDK has already retried with backoff.
    Throttled,
    AccessDenied,
    NotFound,
    InvalidInput,
    /// The endpoint could not be reached or answered with a server error.
    Unavailable,
    Other,
}

/// An AWS error reduced to its code and readable message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AwsError {
    pub kind: ErrorKind,
    pub code: String,
    pub message: String,
}

impl AwsError {
    /// The code of a call that never left for lack of credentials (for an account of the
    /// accounts file: its role could not be assumed).
    pub const NO_CREDENTIALS: &str = "CredentialsUnavailable";

    /// Names the Region (with its account, see `model::place_name`) in an error that
    /// came from the endpoint or the credentials rather than from a WorkSpaces rule
    /// (unreachable, HTTP errors, unreadable or internal-error answers, no credentials):
    /// "HTTP 500 from the WorkSpaces endpoint in us-east-1".
    pub fn in_region(mut self, region: &str) -> Self {
        let about_the_place =
            self.kind == ErrorKind::Unavailable || self.code == Self::NO_CREDENTIALS;
        if about_the_place && !self.message.contains(region) {
            self.message = format!("{} in {region}", self.message);
        }
        self
    }
}

impl From<AwsError> for AppError {
    fn from(error: AwsError) -> Self {
        AppError::Upstream {
            code: error.code,
            message: error.message,
        }
    }
}
