//! WorkSpaces applications (Microsoft 365 and the like): describing them and their associations, and every [`ApplicationChange`].

use app::model::{AppAssociation, Application, ApplicationFilter};
use app::server::aws::{ApplicationChange, AssociatedResource, AwsError, ChangeOutcome, Page};
use aws_sdk_workspaces::operation::RequestId;
use aws_sdk_workspaces::primitives::DateTime;
use aws_sdk_workspaces::types;

use super::SdkWorkspaces;
use super::convert::{answered, owned, text, timestamp};
use super::errors::error_from_sdk;

impl SdkWorkspaces {
    pub(super) async fn describe_applications(
        &self,
        filter: &ApplicationFilter,
        next_token: Option<String>,
    ) -> Result<Page<Application>, AwsError> {
        let some = |values: &[String]| (!values.is_empty()).then(|| values.to_vec());
        let out = self
            .client
            .describe_applications()
            .set_compute_type_names(some(&filter.compute).map(|names| {
                names
                    .iter()
                    .map(|n| types::Compute::from(n.as_str()))
                    .collect()
            }))
            .set_operating_system_names(some(&filter.os).map(|names| {
                names
                    .iter()
                    .map(|n| types::OperatingSystemName::from(n.as_str()))
                    .collect()
            }))
            .set_license_type(
                (!filter.license.is_empty())
                    .then(|| types::WorkSpaceApplicationLicenseType::from(filter.license.as_str())),
            )
            .set_owner((!filter.owner.is_empty()).then(|| filter.owner.clone()))
            .set_next_token(next_token)
            .send()
            .await
            .map_err(error_from_sdk)?;
        Ok(Page {
            items: out
                .applications()
                .iter()
                .map(|a| Application {
                    id: text(a.application_id()),
                    account: String::new(),
                    region: self.region.clone(),
                    name: text(a.name()),
                    description: owned(a.description()),
                    license_type: a.license_type().map(|l| l.as_str().to_string()),
                    owner: owned(a.owner()),
                    state: a.state().map(|s| s.as_str().to_string()),
                    compute_types: a
                        .supported_compute_type_names()
                        .iter()
                        .map(|c| c.as_str().to_string())
                        .collect(),
                    operating_systems: a
                        .supported_operating_system_names()
                        .iter()
                        .map(|o| o.as_str().to_string())
                        .collect(),
                    created: timestamp(a.created()),
                })
                .collect(),
            next_token: owned(out.next_token()),
        })
    }

    pub(super) async fn describe_application_associations(
        &self,
        application_id: &str,
        resource_types: &[String],
        next_token: Option<String>,
    ) -> Result<Page<AppAssociation>, AwsError> {
        let out = self
            .client
            .describe_application_associations()
            .application_id(application_id)
            .set_associated_resource_types(Some(
                resource_types
                    .iter()
                    .map(|t| types::ApplicationAssociatedResourceType::from(t.as_str()))
                    .collect(),
            ))
            .set_next_token(next_token)
            .send()
            .await
            .map_err(error_from_sdk)?;
        Ok(Page {
            items: out
                .associations()
                .iter()
                .map(|a| {
                    association(
                        text(a.application_id()),
                        a.associated_resource_type().map_or("", |t| t.as_str()),
                        text(a.associated_resource_id()),
                        (
                            a.state(),
                            a.state_reason(),
                            a.created(),
                            a.last_updated_time(),
                        ),
                    )
                })
                .collect(),
            next_token: owned(out.next_token()),
        })
    }

    /// DescribeWorkspaceAssociations, DescribeBundleAssociations or
    /// DescribeImageAssociations, each asked for APPLICATION associations (the one type
    /// they take, 004_989ae404788726c9.txt:745).
    pub(super) async fn describe_resource_associations(
        &self,
        resource: &AssociatedResource,
    ) -> Result<Vec<AppAssociation>, AwsError> {
        Ok(match resource {
            AssociatedResource::Workspace(id) => self
                .client
                .describe_workspace_associations()
                .workspace_id(id)
                .associated_resource_types(types::WorkSpaceAssociatedResourceType::Application)
                .send()
                .await
                .map_err(error_from_sdk)?
                .associations()
                .iter()
                .map(|a| workspace_association(a, id))
                .collect(),
            AssociatedResource::Bundle(id) => self
                .client
                .describe_bundle_associations()
                .bundle_id(id)
                .associated_resource_types(types::BundleAssociatedResourceType::Application)
                .send()
                .await
                .map_err(error_from_sdk)?
                .associations()
                .iter()
                .map(|a| {
                    association(
                        text(a.associated_resource_id()),
                        "BUNDLE",
                        a.bundle_id().unwrap_or(id).to_string(),
                        (
                            a.state(),
                            a.state_reason(),
                            a.created(),
                            a.last_updated_time(),
                        ),
                    )
                })
                .collect(),
            AssociatedResource::Image(id) => self
                .client
                .describe_image_associations()
                .image_id(id)
                .associated_resource_types(types::ImageAssociatedResourceType::Application)
                .send()
                .await
                .map_err(error_from_sdk)?
                .associations()
                .iter()
                .map(|a| {
                    association(
                        text(a.associated_resource_id()),
                        "IMAGE",
                        a.image_id().unwrap_or(id).to_string(),
                        (
                            a.state(),
                            a.state_reason(),
                            a.created(),
                            a.last_updated_time(),
                        ),
                    )
                })
                .collect(),
        })
    }

    pub(super) async fn change_application(
        &self,
        change: &ApplicationChange,
    ) -> Result<ChangeOutcome, AwsError> {
        match change {
            ApplicationChange::Associate {
                workspace_id,
                application_id,
            } => {
                let out = self
                    .client
                    .associate_workspace_application()
                    .workspace_id(workspace_id)
                    .application_id(application_id)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                // The association and its state (004_989ae404788726c9.txt:48-58).
                Ok(with_associations(
                    answered(out.request_id(), None),
                    out.association()
                        .map(|a| workspace_association(a, workspace_id)),
                ))
            }
            ApplicationChange::Disassociate {
                workspace_id,
                application_id,
            } => {
                let out = self
                    .client
                    .disassociate_workspace_application()
                    .workspace_id(workspace_id)
                    .application_id(application_id)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                // The association and its state (004_989ae404788726c9.txt:885-895).
                Ok(with_associations(
                    answered(out.request_id(), None),
                    out.association()
                        .map(|a| workspace_association(a, workspace_id)),
                ))
            }
            ApplicationChange::Deploy {
                workspace_id,
                force,
            } => {
                let out = self
                    .client
                    .deploy_workspace_applications()
                    .workspace_id(workspace_id)
                    .force(*force)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                // The deployed associations and their states (004_989ae404788726c9.txt:556-571).
                let deployed = out.deployment().map_or(&[][..], |d| d.associations());
                Ok(with_associations(
                    answered(out.request_id(), None),
                    deployed
                        .iter()
                        .map(|a| workspace_association(a, workspace_id)),
                ))
            }
        }
    }
}

/// `outcome` with the associations AWS answered.
fn with_associations(
    outcome: ChangeOutcome,
    associations: impl IntoIterator<Item = AppAssociation>,
) -> ChangeOutcome {
    ChangeOutcome {
        associations: associations.into_iter().collect(),
        ..outcome
    }
}

/// The state, state reason, creation and update time every association type carries.
pub(super) type AssociationFields<'a> = (
    Option<&'a types::AssociationState>,
    Option<&'a types::AssociationStateReason>,
    Option<&'a DateTime>,
    Option<&'a DateTime>,
);

pub(super) fn association(
    application_id: String,
    resource_type: &str,
    resource_id: String,
    (state, reason, created, updated): AssociationFields<'_>,
) -> AppAssociation {
    AppAssociation {
        application_id,
        resource_type: resource_type.to_string(),
        resource_id,
        state: state.map(|s| s.as_str().to_string()),
        error_code: reason
            .and_then(|r| r.error_code())
            .map(|c| c.as_str().to_string()),
        error_message: reason.and_then(|r| owned(r.error_message())),
        created: timestamp(created),
        updated: timestamp(updated),
    }
}

/// A WorkSpace's association: AssociatedResourceId is the application
/// (004_989ae404788726c9.txt:52).
pub(super) fn workspace_association(
    a: &types::WorkspaceResourceAssociation,
    id: &str,
) -> AppAssociation {
    association(
        text(a.associated_resource_id()),
        "WORKSPACE",
        a.workspace_id().unwrap_or(id).to_string(),
        (
            a.state(),
            a.state_reason(),
            a.created(),
            a.last_updated_time(),
        ),
    )
}
