//! Rows of a property table (`table.props`): a label and a value, "—" when there is none.
//! Used by the detail cards of WorkSpaces and directories.

use leptos::prelude::*;

/// One labelled row; an empty or missing value shows as "—".
pub fn row(label: impl Into<String>, value: Option<String>) -> impl IntoView {
    let label: String = label.into();
    view! {
        <tr>
            <th>{label}</th>
            <td>{value.filter(|v| !v.is_empty()).unwrap_or_else(|| "—".to_string())}</td>
        </tr>
    }
}

/// `yes` or `no`, for [`row`].
pub fn yes_no(value: bool) -> Option<String> {
    Some(if value { "yes" } else { "no" }.to_string())
}
