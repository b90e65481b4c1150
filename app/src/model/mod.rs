//! Types shared by the server and the browser.
//!
//! They cross the wire in server functions, so they hold no secrets and no AWS SDK
//! types: the SDK adapter converts into these, and the pages render them.
//!
//! One file per area; everything is re-exported here, so `crate::model::Workspace` names
//! a type wherever it lives.

mod account;
mod actions;
mod applications;
mod audit;
mod bundle_rules;
mod connection_aliases;
mod connections;
mod cost;
mod directories;
mod fleet;
mod health;
mod images;
mod ip_groups;
mod place;
mod provision;
mod sync;
mod tags;
mod users;
mod workspaces;

pub use account::*;
pub use actions::*;
pub use applications::*;
pub use audit::*;
pub use bundle_rules::*;
pub use connection_aliases::*;
pub use connections::*;
pub use cost::*;
pub use directories::*;
pub use fleet::*;
pub use health::*;
pub use images::*;
pub use ip_groups::*;
pub use place::*;
pub use provision::*;
pub use sync::*;
pub use tags::*;
pub use users::*;
pub use workspaces::*;

#[cfg(test)]
mod tests {
    use super::*;

    /// The access form as the page posts it: every platform once.
    fn access_form(
        overrides: &[(&'static str, &'static str)],
    ) -> Vec<(&'static str, &'static str)> {
        AccessProperties::PLATFORMS
            .iter()
            .map(|p| {
                let value = overrides
                    .iter()
                    .find(|(key, _)| *key == p.key)
                    .map_or("DENY", |(_, value)| *value);
                (p.key, value)
            })
            .collect()
    }

    #[test]
    fn the_access_form_reads_allow_deny_and_trust() {
        let access =
            AccessProperties::from_form(access_form(&[("windows", "TRUST"), ("linux", "ALLOW")]))
                .expect("valid form");
        assert_eq!(access.windows, Access::Trust);
        assert_eq!(access.linux, Access::Allow);
        assert_eq!(access.macos, Access::Deny);
        assert_eq!(access.text_for(Access::Trust), "Windows");
        // TRUST for macOS too (000_694e23744a3a4a46.txt:5544).
        let mac = AccessProperties::from_form(access_form(&[("macos", "TRUST")])).expect("macOS");
        assert_eq!(mac.macos, Access::Trust);
        assert!(!mac.denies_everyone());
        assert!(AccessProperties::default().denies_everyone());
    }

    #[test]
    fn the_access_form_refuses_trust_where_the_api_does_not_offer_it() {
        // Only DeviceTypeWindows and DeviceTypeOsx mention TRUST
        // (000_694e23744a3a4a46.txt:5537, :5544; Linux at :5584 does not).
        for key in [
            "linux",
            "web",
            "ios",
            "android",
            "chrome_os",
            "zero_client",
            "thin_client",
        ] {
            let refused = AccessProperties::from_form(access_form(&[(key, "TRUST")]));
            assert!(
                matches!(&refused, Err(crate::error::AppError::Validation { field, .. }) if field == &format!("access[{key}]")),
                "{key}: {refused:?}"
            );
        }
    }

    #[test]
    fn the_access_form_needs_every_platform_once_with_a_known_value() {
        let mut missing = access_form(&[]);
        missing.retain(|(key, _)| *key != "windows");
        assert!(matches!(
            AccessProperties::from_form(missing),
            Err(crate::error::AppError::Validation { field, .. }) if field == "access[windows]"
        ));
        let mut twice = access_form(&[]);
        twice.push(("web", "ALLOW"));
        assert!(AccessProperties::from_form(twice).is_err());
        assert!(AccessProperties::from_form(access_form(&[("web", "allow")])).is_err());
        let mut unknown = access_form(&[]);
        unknown.push(("beos", "ALLOW"));
        assert!(AccessProperties::from_form(unknown).is_err());
    }

    #[test]
    fn access_serializes_as_the_api_words_and_reads_old_booleans() {
        let access = AccessProperties {
            windows: Access::Trust,
            web: Access::Allow,
            ..AccessProperties::default()
        };
        let json = serde_json::to_value(access).expect("json");
        assert_eq!(json["windows"], "TRUST");
        assert_eq!(json["web"], "ALLOW");
        assert_eq!(json["linux"], "DENY");
        let back: AccessProperties = serde_json::from_value(json).expect("round trip");
        assert_eq!(back, access);
        let old: AccessProperties = serde_json::from_str(
            r#"{"windows":true,"macos":false,"linux":false,"web":true,"ios":false,"android":false,"chrome_os":false,"zero_client":false,"thin_client":false}"#,
        )
        .expect("cache rows written before TRUST");
        assert_eq!(old.windows, Access::Allow);
        assert_eq!(old.macos, Access::Deny);
    }

    #[test]
    fn states_round_trip_through_the_api_spelling() {
        for state in WorkspaceState::KNOWN {
            assert_eq!(WorkspaceState::from_api(state.as_api()), state);
        }
        assert_eq!(
            WorkspaceState::from_api("ADMIN_MAINTENANCE"),
            WorkspaceState::AdminMaintenance
        );
    }

    #[test]
    fn fleet_query_string_leaves_out_defaults_and_encodes_values() {
        assert_eq!(FleetQuery::default().to_query_string(), "");
        let query = FleetQuery {
            q: "anna m&".into(),
            state: "STOPPED".into(),
            desc: true,
            page: 2,
            ..FleetQuery::default()
        };
        assert_eq!(
            query.to_query_string(),
            "q=anna%20m%26&state=STOPPED&desc=1&page=2"
        );
    }

    #[test]
    fn fleet_query_reads_its_parameters_and_ignores_bad_values() {
        let params = [
            ("q", " anna "),
            ("tag", "Department=HR"),
            ("desc", "true"),
            ("page", "x"),
        ];
        let query = FleetQuery::from_params(|key| {
            params
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_string())
        });
        assert_eq!(query.q, "anna");
        assert_eq!(query.tag, "Department=HR");
        assert!(query.desc && !query.removed);
        assert_eq!(query.page, 0);
    }

    #[test]
    fn actions_follow_the_api_state_rules() {
        assert!(
            ActionKind::Reboot
                .refusal(&WorkspaceState::Available, None)
                .is_none()
        );
        assert!(
            ActionKind::Reboot
                .refusal(&WorkspaceState::Stopped, None)
                .is_some()
        );
        assert!(
            ActionKind::Rebuild
                .refusal(&WorkspaceState::Error, None)
                .is_none()
        );
        assert!(
            ActionKind::Restore
                .refusal(&WorkspaceState::Rebooting, None)
                .is_some()
        );
        assert!(
            ActionKind::Start
                .refusal(&WorkspaceState::Stopped, Some("AUTO_STOP"))
                .is_none()
        );
        assert!(
            ActionKind::Stop
                .refusal(&WorkspaceState::Available, Some("ALWAYS_ON"))
                .is_some()
        );
        assert!(
            ActionKind::Terminate
                .refusal(&WorkspaceState::Suspended, None)
                .is_some()
        );
        assert_eq!(
            ActionKind::parse("end_maintenance"),
            Some(ActionKind::EndMaintenance)
        );
        assert_eq!(ActionKind::Terminate.required_role(), Role::Admin);
        assert_eq!(ActionKind::Rebuild.required_role(), Role::Helpdesk);
    }

    #[test]
    fn unknown_states_are_kept_not_dropped() {
        let state = WorkspaceState::from_api("HIBERNATING");
        assert_eq!(state, WorkspaceState::Other("HIBERNATING".into()));
        assert_eq!(state.as_api(), "HIBERNATING");
    }
}
