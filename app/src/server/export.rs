//! CSV exports of the fleet and connections listings (RFC 4180: quoted where needed,
//! CRLF line ends), so admins can take a filtered view into a spreadsheet.

use crate::model::Workspace;

/// Quotes a field when it holds a comma, quote or line break; doubles inner quotes.
/// Fields starting with `=`, `+`, `-` or `@` get a leading apostrophe so that
/// spreadsheets do not run them as formulas.
fn field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

fn line(fields: &[&str]) -> String {
    let mut out = fields.iter().map(|f| field(f)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    out
}

/// The fleet table as CSV, one row per WorkSpace.
pub fn fleet_csv(rows: &[Workspace]) -> String {
    let mut out = line(&[
        "workspace_id", "user_name", "computer_name", "state", "directory_id", "bundle_id",
        "compute_type", "running_mode", "region", "ip_address", "connection_state",
        "last_user_connection", "removed_at",
    ]);
    for ws in rows {
        out.push_str(&line(&[
            &ws.id,
            &ws.user_name,
            ws.computer_name.as_deref().unwrap_or(""),
            ws.state.as_api(),
            &ws.directory_id,
            &ws.bundle_id,
            ws.compute_type.as_deref().unwrap_or(""),
            ws.running_mode.as_deref().unwrap_or(""),
            &ws.region,
            ws.ip_address.as_deref().unwrap_or(""),
            ws.connection_state.as_deref().unwrap_or(""),
            ws.last_user_connection.as_deref().unwrap_or(""),
            ws.removed_at.as_deref().unwrap_or(""),
        ]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed_and_formulas_are_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(line(&["x", "y,z"]), "x,\"y,z\"\r\n");
    }
}
