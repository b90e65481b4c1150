//! How a failed server call is shown: what went wrong and what to do about it.

use leptos::prelude::*;

use crate::error::AppError;

/// A readable error with a hint for the user.
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    let hint = match &error {
        AppError::Unauthorized => "Log in and try again.",
        AppError::Forbidden => "Ask an administrator for a role that allows this.",
        AppError::Upstream { .. } => {
            "AWS refused or failed the request. Check the Region, the credentials and their permissions."
        }
        AppError::Transport(_) => "Check that the Fleetdesk server is running, then reload.",
        AppError::Internal => "The server log has the details.",
        AppError::NotFound(_) | AppError::Validation { .. } => "",
    };
    view! {
        <div class="error-box" role="alert">
            <strong>{error.to_string()}</strong>
            <p>{hint}</p>
        </div>
    }
}
