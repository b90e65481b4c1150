//! The logged-in user as the views see it. The layout in [`crate::app`] provides it;
//! components and pages read it from here, so they never import the layout that
//! imports them.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{Role, UserInfo};

/// The logged-in user, loaded once per navigation and shared with every page through
/// the context, so that pages show only what the role may do. (The server checks the
/// role again on every call; hiding a button is never the check.)
pub type CurrentUser = Resource<Result<Option<UserInfo>, AppError>>;

/// The role of the logged-in user, once loaded; `None` for anonymous visitors.
pub async fn current_role() -> Option<Role> {
    let me = use_context::<CurrentUser>()?;
    me.await.ok().flatten().map(|user| user.role)
}
