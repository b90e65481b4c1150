//! Server function of the help-desk and admin actions.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::ActionReport;

/// Runs `action` (`reboot`, `rebuild`, …) on the WorkSpaces `ids`. Every attempt is
/// audited. Property fields apply to `modify`, `bundle_id` to `migrate`; empty fields
/// leave a property as it is. `form_token` is the form's one-time token (see
/// `server::form_token`): a form sent twice is refused.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "actions/run")]
pub async fn run_action(
    action: String,
    ids: Vec<String>,
    reason: String,
    #[server(default)] confirm: String,
    #[server(default)] running_mode: String,
    #[server(default)] auto_stop_timeout: String,
    #[server(default)] compute_type: String,
    #[server(default)] root_volume_gib: String,
    #[server(default)] user_volume_gib: String,
    #[server(default)] protocol: String,
    #[server(default)] bundle_id: String,
    #[server(default)] form_token: String,
) -> Result<ActionReport, AppError> {
    use crate::model::ActionKind;
    use crate::server::actions::{ActionRequest, run};
    use crate::server::aws::PropertyChange;

    let kind = ActionKind::parse(&action).ok_or_else(|| AppError::Validation {
        field: "action".into(),
        message: format!("unknown action {action}"),
    })?;
    let caller = crate::server::authz::caller(kind.required_role()).await?;
    let text = |value: String| Some(value.trim().to_string()).filter(|v| !v.is_empty());
    let number = |field: &str, value: String| -> Result<Option<i32>, AppError> {
        text(value)
            .map(|v| {
                v.parse::<i32>().map_err(|_| AppError::Validation {
                    field: field.into(),
                    message: "enter a whole number".into(),
                })
            })
            .transpose()
    };
    let request = ActionRequest {
        action: kind,
        ids,
        reason,
        confirm,
        properties: PropertyChange {
            running_mode: text(running_mode),
            auto_stop_timeout_minutes: number("auto_stop_timeout", auto_stop_timeout)?,
            compute_type: text(compute_type),
            root_volume_gib: number("root_volume_gib", root_volume_gib)?,
            user_volume_gib: number("user_volume_gib", user_volume_gib)?,
            protocols: text(protocol).map(|p| vec![p]),
        },
        bundle_id: text(bundle_id),
    };
    let change = run(&caller, request);
    crate::server::form_token::send_once(caller.pool(), caller.user.id, &form_token, change).await
}

/// Creates a standby of WorkSpace `id` (admin) in a directory registered in another
/// Region, with an optional KMS key, optional `Key=Value` tag lines, and the reason.
#[server(endpoint = "actions/standby")]
pub async fn create_standby(
    id: String,
    #[server(default)] directory_id: String,
    #[server(default)] volume_encryption_key: String,
    #[server(default)] tags: String,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    use crate::server::standby::{StandbyForm, create};
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    let tags = crate::model::form_tags("tags", &tags)?;
    let form = StandbyForm {
        workspace_id: id,
        directory_id,
        volume_encryption_key,
        tags,
        reason,
    };
    create(&caller, form).await
}
