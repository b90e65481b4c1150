//! Standby WorkSpaces (release note 2022-11, 002_363a3ccb364b572d.txt): a primary
//! WorkSpace gets a standby in another Region (CreateStandbyWorkspaces), which the user
//! can fail over to when the primary's Region is impaired.
//!
//! The call goes to the standby's Region and names the primary's Region
//! (002_363a3ccb364b572d.txt:6); the new standby is followed in the cache like a WorkSpace
//! after an action.

use serde_json::json;

use crate::error::AppError;
use crate::model::{Directory, StandbyRegion, StandbyRole, Tag, Workspace};
use crate::server::actions::{FOLLOW_FOR, follow};
use crate::server::aws::{Change, StandbyRequest, WorkspaceChange};
use crate::server::caller::Caller;
use crate::server::changes::{self, Plan, invalid};
use crate::server::repo::inventory::{self, ItemKind};

/// What an admin asks for: a standby of `workspace_id` in the Region of `directory_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct StandbyForm {
    pub workspace_id: String,
    pub directory_id: String,
    /// A KMS key (ARN or id) to encrypt the standby's volumes; blank for none.
    pub volume_encryption_key: String,
    pub tags: Vec<Tag>,
    pub reason: String,
}

/// Why `ws` cannot get a standby, if it cannot: a standby has no standby of its own, and
/// a primary has one standby at most.
pub fn refusal(ws: &Workspace) -> Option<&'static str> {
    if ws.removed_at.is_some() {
        return Some("the WorkSpace is gone from AWS");
    }
    match ws.standby_role {
        Some(StandbyRole::Standby) => Some("this WorkSpace is itself a standby"),
        Some(StandbyRole::Primary) => Some("this WorkSpace already has a standby"),
        None => None,
    }
}

/// The Regions other than `ws`'s where a standby can go, each with its registered
/// directories; empty when `ws` cannot have a standby.
pub fn standby_regions(
    ws: &Workspace,
    configured: &[String],
    directories: &[Directory],
) -> Vec<StandbyRegion> {
    if refusal(ws).is_some() {
        return Vec::new();
    }
    configured
        .iter()
        .filter(|region| **region != ws.region)
        .map(|region| StandbyRegion {
            region: region.clone(),
            directories: directories
                .iter()
                .filter(|d| &d.region == region && d.state.as_deref() == Some("REGISTERED"))
                .map(|d| (d.id.clone(), d.name.clone().unwrap_or_else(|| d.id.clone())))
                .collect(),
        })
        .collect()
}

/// Decides a standby creation from the cached primary and directories. Pure: no
/// database, no AWS.
pub fn plan(
    form: &StandbyForm,
    primary: &Workspace,
    directories: &[Directory],
) -> Result<(Plan, String), AppError> {
    let reason = changes::reason(&form.reason)?;
    if let Some(why) = refusal(primary) {
        return Err(invalid("workspace_id", why));
    }
    let directory = directories
        .iter()
        .find(|d| d.id == form.directory_id)
        .ok_or_else(|| {
            invalid(
                "directory_id",
                format!("{} is not a known directory", form.directory_id),
            )
        })?;
    if directory.region == primary.region {
        return Err(invalid(
            "directory_id",
            "a standby goes to a directory in another Region than its primary's",
        ));
    }
    // CreateStandbyWorkspaces is sent in the standby's Region of the primary's account.
    if directory.account != primary.account {
        return Err(invalid(
            "directory_id",
            "a standby goes to a directory of its primary's account",
        ));
    }
    if directory.state.as_deref() != Some("REGISTERED") {
        return Err(invalid(
            "directory_id",
            format!("{} is not registered with WorkSpaces", directory.id),
        ));
    }
    if form.tags.len() > crate::model::MAX_TAGS {
        return Err(invalid("tags", "a WorkSpace takes at most 50 tags"));
    }
    let key = Some(form.volume_encryption_key.trim().to_string()).filter(|k| !k.is_empty());
    let change = Change::Workspace(WorkspaceChange::CreateStandby {
        primary_region: primary.region.clone(),
        request: StandbyRequest {
            primary_workspace_id: primary.id.clone(),
            directory_id: directory.id.clone(),
            volume_encryption_key: key.clone(),
            tags: form.tags.clone(),
        },
    });
    let mut plan = Plan::single(
        "workspace.create_standby",
        json!({
            "primary_region": primary.region,
            "standby_region": directory.region,
            "directory_id": directory.id,
            "volume_encryption_key": key,
            "tags": form.tags.iter().map(Tag::as_line).collect::<Vec<_>>(),
        }),
        (&directory.account, &directory.region),
        &primary.id,
        change,
        Vec::new(),
    );
    plan.reason = Some(reason);
    let done = format!(
        "Standby of {} requested in {}; AWS creates it in the background.",
        primary.id, directory.region
    );
    Ok((plan, done))
}

/// Creates the standby (admin), then follows both WorkSpaces until they settle: the new
/// standby, and the primary, whose RelatedWorkspaces now name it.
pub async fn create(caller: &Caller, form: StandbyForm) -> Result<String, AppError> {
    caller.require_admin()?;
    let primary =
        inventory::workspaces_by_id(caller.pool(), std::slice::from_ref(&form.workspace_id))
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::NotFound(format!("WorkSpace {}", form.workspace_id)))?;
    let directories: Vec<Directory> = inventory::items(caller.pool(), ItemKind::Directory).await?;
    let (executed, done) = caller
        .execute_described(plan(&form, &primary, &directories)?)
        .await?;
    let standby_region = executed
        .targets
        .first()
        .and_then(|t| t.region.clone())
        .unwrap_or_default();
    let standby_id = executed.single_result()?;
    // A standby lives in the primary's account, in another Region.
    let account = &primary.account;
    let mut followed = vec![(account.clone(), primary.region.clone(), primary.id.clone())];
    followed.extend(standby_id.map(|id| (account.clone(), standby_region, id)));
    tokio::spawn(follow(
        caller.pool().clone(),
        caller.workspaces.clone(),
        followed,
        FOLLOW_FOR,
    ));
    Ok(done)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::WorkspaceState;
    use crate::server::actions::tests::workspace;

    pub(crate) fn directory(id: &str, region: &str, state: &str) -> Directory {
        serde_json::from_value(json!({
            "id": id, "region": region, "state": state,
            "dns_ip_addresses": [], "subnet_ids": [], "ip_group_ids": [],
        }))
        .expect("directory")
    }

    fn form() -> StandbyForm {
        StandbyForm {
            workspace_id: "ws-1".into(),
            directory_id: "d-2222222222".into(),
            volume_encryption_key: " ".into(),
            tags: Vec::new(),
            reason: "DR-1".into(),
        }
    }

    #[test]
    fn a_standby_goes_to_a_registered_directory_of_another_region() {
        let primary = workspace("ws-1", WorkspaceState::Available, "AUTO_STOP");
        let directories = [
            directory("d-2222222222", "us-east-1", "REGISTERED"),
            directory("d-3333333333", "us-east-1", "DEREGISTERED"),
            directory("d-1111111111", "eu-west-1", "REGISTERED"),
        ];
        let (plan, _) = plan(&form(), &primary, &directories).expect("plan");
        assert_eq!(
            plan.calls[0].region, "us-east-1",
            "sent to the standby's Region"
        );
        assert_eq!(
            plan.calls[0].change,
            Change::Workspace(WorkspaceChange::CreateStandby {
                primary_region: "eu-west-1".into(),
                request: StandbyRequest {
                    primary_workspace_id: "ws-1".into(),
                    directory_id: "d-2222222222".into(),
                    volume_encryption_key: None,
                    tags: Vec::new(),
                },
            })
        );
        let same_region = StandbyForm {
            directory_id: "d-1111111111".into(),
            ..form()
        };
        assert!(plan_err(&same_region, &primary, &directories).contains("another Region"));
        let unregistered = StandbyForm {
            directory_id: "d-3333333333".into(),
            ..form()
        };
        assert!(plan_err(&unregistered, &primary, &directories).contains("not registered"));
        let unknown = StandbyForm {
            directory_id: "d-9999999999".into(),
            ..form()
        };
        assert!(plan_err(&unknown, &primary, &directories).contains("not a known directory"));
        let mut elsewhere = directories.clone();
        elsewhere[0].account = "dev".into();
        assert!(plan_err(&form(), &primary, &elsewhere).contains("primary's account"));
    }

    fn plan_err(form: &StandbyForm, primary: &Workspace, directories: &[Directory]) -> String {
        match plan(form, primary, directories) {
            Err(AppError::Validation { message, .. }) => message,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn standbys_and_primaries_with_a_standby_get_no_other() {
        let directories = [directory("d-2222222222", "us-east-1", "REGISTERED")];
        let mut standby = workspace("ws-1", WorkspaceState::Available, "AUTO_STOP");
        standby.standby_role = Some(StandbyRole::Standby);
        assert!(plan_err(&form(), &standby, &directories).contains("itself a standby"));
        let configured = ["eu-west-1".to_string(), "us-east-1".to_string()];
        assert!(standby_regions(&standby, &configured, &directories).is_empty());
        standby.standby_role = None;
        let regions = standby_regions(&standby, &configured, &directories);
        assert_eq!(regions.len(), 1);
        assert_eq!(regions[0].region, "us-east-1");
        assert_eq!(regions[0].directories[0].0, "d-2222222222");
    }
}
