//! SDK errors of any AWS service reduced to [`AwsError`]: the error code picks the
//! [`ErrorKind`], the message is AWS's own, and transport failures name the service's
//! endpoint and their root cause. Both adapters (`aws_sdk` for WorkSpaces,
//! `cloudwatch_sdk`) use it; the SDKs share these error types (`aws-smithy-runtime-api`).

use app::server::aws::{AwsError, ErrorKind};
use aws_sdk_workspaces::config::http::HttpResponse;
use aws_sdk_workspaces::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_workspaces::operation::RequestId;

/// Reduces any SDK error of `service` ("WorkSpaces", "CloudWatch") to its AWS error
/// code, a readable message and a kind.
pub fn reduce<E>(service_name: &str, error: SdkError<E, HttpResponse>) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let failed = |kind: ErrorKind, code: String, message: String| {
        // What the SDK saw in full (headers, raw body) goes to the debug log, not the page;
        // the readable line of each failure is the rate limiter's (`rate_limit::count`),
        // which knows the operation, account and Region.
        tracing::debug!(%code, request_id = ?error.request_id(), "{service_name} call failed: {}", DisplayErrorContext(&error));
        AwsError {
            kind,
            code,
            message,
        }
    };
    // No credentials, before any call left: for an account of the accounts
    // file, a role that could not be assumed (STS's own message is at the chain's end).
    if !matches!(
        error,
        SdkError::ServiceError(_) | SdkError::ResponseError(_)
    ) {
        let chain = DisplayErrorContext(&error).to_string();
        if chain.to_lowercase().contains("credentials") {
            return failed(
                ErrorKind::AccessDenied,
                AwsError::NO_CREDENTIALS.into(),
                format!("could not get AWS credentials: {}", root_cause(&error)),
            );
        }
    }
    match &error {
        SdkError::ServiceError(service) => {
            let status = service.raw().status().as_u16();
            match service.err().code() {
                Some(code) => {
                    let message = service
                        .err()
                        .message()
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("{code} (HTTP {status})"));
                    failed(kind_of(code), code.to_string(), message)
                }
                // Not an AWS error document: a proxy's or load balancer's page.
                None => failed(
                    if status >= 500 {
                        ErrorKind::Unavailable
                    } else {
                        ErrorKind::Other
                    },
                    format!("HTTP{status}"),
                    format!("HTTP {status} from the {service_name} endpoint"),
                ),
            }
        }
        // An error page (HTML from a proxy, say) is not JSON, so the SDK cannot parse it.
        SdkError::ResponseError(response) => {
            let status = response.raw().status().as_u16();
            if (200..300).contains(&status) {
                failed(
                    ErrorKind::Unavailable,
                    "InvalidResponse".into(),
                    format!(
                        "an answer the AWS SDK could not read (HTTP {status}) from the {service_name} endpoint"
                    ),
                )
            } else {
                failed(
                    ErrorKind::Unavailable,
                    format!("HTTP{status}"),
                    format!("HTTP {status} from the {service_name} endpoint"),
                )
            }
        }
        SdkError::TimeoutError(_) => failed(
            ErrorKind::Unavailable,
            "EndpointTimeout".into(),
            format!("no answer in time from the {service_name} endpoint"),
        ),
        SdkError::DispatchFailure(dispatch) => failed(
            ErrorKind::Unavailable,
            "EndpointUnreachable".into(),
            if dispatch.is_timeout() {
                format!("no answer in time from the {service_name} endpoint")
            } else {
                format!("cannot connect to the {service_name} endpoint")
            },
        ),
        _ => failed(
            kind_of(error.code().unwrap_or_default()),
            error.code().unwrap_or("RequestFailed").to_string(),
            format!("the request could not be sent: {error}"),
        ),
    }
}

/// The innermost error of a chain: the most specific text (STS's AccessDenied message
/// under a credentials failure, say).
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

/// Sorts AWS error codes into the kinds the rest of Fleetdesk acts on.
fn kind_of(code: &str) -> ErrorKind {
    match code {
        "ThrottlingException"
        | "Throttling"
        | "RequestLimitExceeded"
        | "TooManyRequestsException" => ErrorKind::Throttled,
        "AccessDeniedException"
        | "UnauthorizedOperation"
        | "UnrecognizedClientException"
        | "InvalidSignatureException"
        | "ExpiredTokenException"
        | "InvalidClientTokenId" => ErrorKind::AccessDenied,
        "ResourceNotFoundException" => ErrorKind::NotFound,
        "InvalidParameterValuesException"
        | "ValidationException"
        | "InvalidResourceStateException"
        | "OperationNotSupportedException" => ErrorKind::InvalidInput,
        "InternalFailure" | "ServiceUnavailable" | "InternalServerException" => {
            ErrorKind::Unavailable
        }
        _ => ErrorKind::Other,
    }
}
