//! WorkSpaces SDK errors reduced to [`AwsError`] (see [`crate::sdk_error`]).

use app::server::aws::AwsError;
use aws_sdk_workspaces::config::http::HttpResponse;
use aws_sdk_workspaces::error::{ProvideErrorMetadata, SdkError};

/// Reduces a WorkSpaces SDK error to its AWS error code, a readable message and a kind.
pub(super) fn error_from_sdk<E>(error: SdkError<E, HttpResponse>) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    crate::sdk_error::reduce("WorkSpaces", error)
}
