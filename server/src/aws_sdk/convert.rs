//! Small conversions shared by the areas: optional SDK strings and times into model values, failed-request lists, and the [`ChangeOutcome`] of an answered call.

use app::server::aws::{AwsError, ChangeOutcome, ErrorKind, FailedRequest};
use aws_sdk_workspaces::primitives::{DateTime, DateTimeFormat};
use aws_sdk_workspaces::types;

pub(super) fn failed(list: &[types::FailedWorkspaceChangeRequest]) -> Vec<FailedRequest> {
    list.iter()
        .map(|f| FailedRequest {
            target: text(f.workspace_id()),
            code: text(f.error_code()),
            message: text(f.error_message()),
        })
        .collect()
}

pub(super) fn invalid(message: String) -> AwsError {
    AwsError {
        kind: ErrorKind::InvalidInput,
        code: "InvalidRequest".into(),
        message,
    }
}

/// Adds `key` to a request's JSON body. RegisterWorkspaceDirectory's `EnableWorkDocs` is
/// required by the API reference (000_694e23744a3a4a46.txt:6226) but no longer in the
/// SDK's model, so it is added to the body before the request is signed.
pub(super) fn add_json_field(
    request: &mut aws_sdk_workspaces::config::http::HttpRequest,
    key: &str,
    value: serde_json::Value,
) {
    let Some(bytes) = request.body().bytes() else {
        return;
    };
    let Ok(serde_json::Value::Object(mut fields)) = serde_json::from_slice(bytes) else {
        return;
    };
    fields.insert(key.to_string(), value);
    let body = serde_json::Value::Object(fields).to_string();
    request
        .headers_mut()
        .insert("content-length", body.len().to_string());
    *request.body_mut() = aws_smithy_types::body::SdkBody::from(body);
}

/// The outcome of an accepted call that refused nothing.
pub(super) fn answered(request_id: Option<&str>, created_id: Option<String>) -> ChangeOutcome {
    ChangeOutcome {
        request_id: owned(request_id),
        created_id,
        ..ChangeOutcome::default()
    }
}

pub(super) fn text(value: Option<&str>) -> String {
    value.unwrap_or_default().to_string()
}

pub(super) fn owned(value: Option<&str>) -> Option<String> {
    value.map(str::to_string)
}

pub(super) fn timestamp(value: Option<&DateTime>) -> Option<String> {
    value.and_then(|time| time.fmt(DateTimeFormat::DateTime).ok())
}
