//! How a failed server call is shown: what went wrong and what to do about it.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::encode_query_value;

/// A readable error with a hint for the user.
///
/// A session that ended while the user worked (`Unauthorized`) gets a link to the login
/// page, which comes back to this page. (A form sent after the session ended does not
/// get here: the login gate sends it to the login page and back at once.)
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    if error == AppError::Unauthorized {
        let location = leptos_router::hooks::use_location();
        let search = location.search.get_untracked();
        let search = search.trim_start_matches('?');
        let mut here = location.pathname.get_untracked();
        if !search.is_empty() {
            here = format!("{here}?{search}");
        }
        let login = format!("/login?next={}", encode_query_value(&here));
        return view! {
            <div class="error-box" role="alert">
                <strong>"Your session has ended."</strong>
                <p>
                    <a href=login>"Log in again"</a>
                    ": you come back to this page."
                </p>
            </div>
        }
        .into_any();
    }
    let hint = match &error {
        AppError::Unauthorized => "",
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
    .into_any()
}
