//! CSV exports of the fleet and connections listings (RFC 4180: quoted where needed,
//! CRLF line ends), so admins can take a filtered view into a spreadsheet.

use std::collections::HashMap;

use crate::model::{
    Access, AuditEntry, BundleSummary, DirectorySummary, ImageSummary, IpGroup, Workspace,
};

/// Every field is quoted, inner quotes doubled. A formula character (`=`, `+`, `-`, `@`,
/// tab, carriage return) at the start of the field or after a `,`, `;` or tab gets an
/// apostrophe before it: spreadsheets in locales that split on `;` would otherwise run
/// `csv;=1+1` as a formula.
fn field(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    let mut cell_start = true;
    for c in value.chars() {
        if cell_start && matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r') {
            out.push('\'');
        }
        if c == '"' {
            out.push('"');
        }
        out.push(c);
        cell_start = matches!(c, ',' | ';' | '\t');
    }
    out.push('"');
    out
}

fn line(fields: &[&str]) -> String {
    let mut out = fields
        .iter()
        .map(|f| field(f))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

/// The fleet table as CSV, one row per WorkSpace; `applications` holds the names of
/// each WorkSpace's applications, `;`-separated, by WorkSpace id.
pub fn fleet_csv(rows: &[Workspace], applications: &HashMap<String, String>) -> String {
    let mut out = line(&[
        "workspace_id",
        "user_name",
        "computer_name",
        "state",
        "directory_id",
        "bundle_id",
        "compute_type",
        "running_mode",
        "protocols",
        "operating_system",
        "standby_role",
        "region",
        "ip_address",
        "connection_state",
        "last_user_connection",
        "removed_at",
        "applications",
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
            &ws.protocols.join(" "),
            ws.operating_system.as_deref().unwrap_or(""),
            ws.standby_role.map(|r| r.as_str()).unwrap_or(""),
            &ws.region,
            ws.ip_address.as_deref().unwrap_or(""),
            ws.connection_state.as_deref().unwrap_or(""),
            ws.last_user_connection.as_deref().unwrap_or(""),
            ws.removed_at.as_deref().unwrap_or(""),
            applications.get(&ws.id).map_or("", String::as_str),
        ]));
    }
    out
}

/// Directories with their WorkSpace counts.
pub fn directories_csv(rows: &[DirectorySummary]) -> String {
    let mut out = line(&[
        "directory_id",
        "region",
        "name",
        "alias",
        "type",
        "state",
        "registration_code",
        "dns_ip_addresses",
        "subnet_ids",
        "ip_group_ids",
        "tenancy",
        "internet_access",
        "local_administrator",
        "maintenance_mode",
        "default_ou",
        "custom_security_group_id",
        "instance_iam_role_arn",
        "allowed_platforms",
        "trusted_devices_only_platforms",
        "denied_platforms",
        "client_reconnect",
        "client_log_upload",
        "workspaces",
    ]);
    let yes_no = |value: Option<bool>| match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    };
    for row in rows {
        let d = &row.directory;
        let creation = d.creation.as_ref();
        out.push_str(&line(&[
            &d.id,
            &d.region,
            d.name.as_deref().unwrap_or(""),
            d.alias.as_deref().unwrap_or(""),
            d.directory_type.as_deref().unwrap_or(""),
            d.state.as_deref().unwrap_or(""),
            d.registration_code.as_deref().unwrap_or(""),
            &d.dns_ip_addresses.join(" "),
            &d.subnet_ids.join(" "),
            &d.ip_group_ids.join(" "),
            d.tenancy.as_deref().unwrap_or(""),
            yes_no(creation.map(|c| c.enable_internet_access)),
            yes_no(creation.map(|c| c.user_enabled_as_local_administrator)),
            yes_no(creation.map(|c| c.enable_maintenance_mode)),
            creation.and_then(|c| c.default_ou.as_deref()).unwrap_or(""),
            creation
                .and_then(|c| c.custom_security_group_id.as_deref())
                .unwrap_or(""),
            creation
                .and_then(|c| c.instance_iam_role_arn.as_deref())
                .unwrap_or(""),
            &d.access
                .map(|a| a.text_for(Access::Allow))
                .unwrap_or_default(),
            &d.access
                .map(|a| a.text_for(Access::Trust))
                .unwrap_or_default(),
            &d.access
                .map(|a| a.text_for(Access::Deny))
                .unwrap_or_default(),
            yes_no(d.client.and_then(|c| c.reconnect)),
            yes_no(d.client.and_then(|c| c.log_upload)),
            &row.workspaces.to_string(),
        ]));
    }
    out
}

/// Images with the accounts they are shared with and the bundles that use them.
pub fn images_csv(rows: &[ImageSummary]) -> String {
    let mut out = line(&[
        "image_id",
        "region",
        "name",
        "description",
        "state",
        "operating_system",
        "owner",
        "required_tenancy",
        "created",
        "error",
        "shared_with",
        "bundles",
    ]);
    for row in rows {
        let i = &row.image;
        out.push_str(&line(&[
            &i.id,
            &i.region,
            &i.name,
            i.description.as_deref().unwrap_or(""),
            i.state.as_deref().unwrap_or(""),
            i.operating_system.as_deref().unwrap_or(""),
            i.owner_account_id.as_deref().unwrap_or(""),
            i.required_tenancy.as_deref().unwrap_or(""),
            i.created.as_deref().unwrap_or(""),
            i.error.as_deref().unwrap_or(""),
            &i.shared_with.join(" "),
            &row.bundles.join("; "),
        ]));
    }
    out
}

/// Bundles with the number of WorkSpaces using each.
pub fn bundles_csv(rows: &[BundleSummary]) -> String {
    let mut out = line(&[
        "bundle_id",
        "region",
        "name",
        "state",
        "bundle_type",
        "owner",
        "compute_type",
        "root_gib",
        "user_gib",
        "image_id",
        "last_updated",
        "created",
        "workspaces",
    ]);
    for row in rows {
        let b = &row.bundle;
        out.push_str(&line(&[
            &b.id,
            &b.region,
            &b.name,
            b.state.as_deref().unwrap_or(""),
            b.bundle_type.as_deref().unwrap_or(""),
            b.owner.as_deref().unwrap_or(""),
            b.compute_type.as_deref().unwrap_or(""),
            b.root_storage_gib.as_deref().unwrap_or(""),
            b.user_storage_gib.as_deref().unwrap_or(""),
            b.image_id.as_deref().unwrap_or(""),
            b.last_updated.as_deref().unwrap_or(""),
            b.created.as_deref().unwrap_or(""),
            &row.workspaces.to_string(),
        ]));
    }
    out
}

/// IP groups, one row per rule (a group without rules gets one row with an empty rule).
pub fn ip_groups_csv(rows: &[IpGroup]) -> String {
    let mut out = line(&[
        "group_id",
        "region",
        "name",
        "description",
        "rule",
        "rule_description",
    ]);
    for g in rows {
        let description = g.description.as_deref().unwrap_or("");
        if g.rules.is_empty() {
            out.push_str(&line(&[&g.id, &g.region, &g.name, description, "", ""]));
        }
        for rule in &g.rules {
            out.push_str(&line(&[
                &g.id,
                &g.region,
                &g.name,
                description,
                &rule.cidr,
                rule.description.as_deref().unwrap_or(""),
            ]));
        }
    }
    out
}

/// The audit log as CSV, one row per entry; targets as `id:outcome[:error]` joined by `; `.
pub fn audit_csv(entries: &[AuditEntry]) -> String {
    let mut out = line(&[
        "id",
        "at",
        "actor",
        "role",
        "client_addr",
        "user_agent",
        "action",
        "params",
        "reason",
        "outcome",
        "detail",
        "finished_at",
        "targets",
    ]);
    for entry in entries {
        let targets = entry
            .targets
            .iter()
            .map(|t| match &t.error {
                Some(error) => format!("{}:{}:{error}", t.target, t.outcome),
                None => format!("{}:{}", t.target, t.outcome),
            })
            .collect::<Vec<_>>()
            .join("; ");
        out.push_str(&line(&[
            &entry.id.to_string(),
            &entry.at,
            &entry.actor_name,
            entry.actor_role.as_deref().unwrap_or(""),
            entry.client_addr.as_deref().unwrap_or(""),
            entry.user_agent.as_deref().unwrap_or(""),
            &entry.action,
            &entry.params,
            entry.reason.as_deref().unwrap_or(""),
            &entry.outcome,
            entry.detail.as_deref().unwrap_or(""),
            entry.finished_at.as_deref().unwrap_or(""),
            &targets,
        ]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_are_defused() {
        assert_eq!(field("plain"), "\"plain\"");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=SUM(A1)"), "\"'=SUM(A1)\"");
        assert_eq!(line(&["x", "y,z"]), "\"x\",\"y,z\"\r\n");
        // Issue 16, finding 7: a `;`-separated locale splits here and would run `=1+1`.
        assert_eq!(field("csv;=1+1"), "\"csv;'=1+1\"");
        assert_eq!(field("a\t@cmd"), "\"a\t'@cmd\"");
        assert_eq!(field("x,-2"), "\"x,'-2\"");
    }

    #[test]
    fn the_fleet_export_ends_with_each_workspace_s_applications() {
        use crate::model::WorkspaceState;
        let ws = |id: &str| {
            crate::server::actions::tests::workspace(id, WorkspaceState::Available, "AUTO_STOP")
        };
        let names = HashMap::from([(
            "ws-1".to_string(),
            "Microsoft Visio 2021;Notepad++".to_string(),
        )]);
        let csv = fleet_csv(&[ws("ws-1"), ws("ws-2")], &names);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert!(lines[0].ends_with(",\"applications\""));
        assert!(lines[1].ends_with(",\"Microsoft Visio 2021;Notepad++\""), "{}", lines[1]);
        assert!(lines[2].ends_with(",\"\""), "no applications: an empty field");
    }
}
