//! Bundles: describing them and every [`BundleChange`].

use app::model::Bundle;
use app::server::aws::{AwsError, BundleChange, BundleOwner, ChangeOutcome, Page};
use aws_sdk_workspaces::operation::RequestId;
use aws_sdk_workspaces::types;

use super::SdkWorkspaces;
use super::convert::{answered, invalid, owned, text, timestamp};
use super::errors::error_from_sdk;

impl SdkWorkspaces {
    pub(super) async fn describe_bundles(
        &self,
        owner: BundleOwner,
        next_token: Option<String>,
    ) -> Result<Page<Bundle>, AwsError> {
        let request = self
            .client
            .describe_workspace_bundles()
            .set_next_token(next_token);
        let request = match owner {
            BundleOwner::Account => request,
            BundleOwner::Amazon => request.owner("AMAZON"),
        };
        let out = request.send().await.map_err(error_from_sdk)?;
        Ok(Page {
            items: out
                .bundles()
                .iter()
                .map(|b| bundle(b, &self.region))
                .collect(),
            next_token: out.next_token().map(str::to_string),
        })
    }

    pub(super) async fn change_bundle(
        &self,
        change: &BundleChange,
    ) -> Result<ChangeOutcome, AwsError> {
        match change {
            BundleChange::Create {
                name,
                description,
                image_id,
                compute_type,
                root_gib,
                user_gib,
            } => {
                let user = types::UserStorage::builder()
                    .capacity(user_gib.to_string())
                    .build()
                    .map_err(|e| invalid(e.to_string()))?;
                let root = types::RootStorage::builder()
                    .capacity(root_gib.to_string())
                    .build()
                    .map_err(|e| invalid(e.to_string()))?;
                let out = self
                    .client
                    .create_workspace_bundle()
                    .bundle_name(name)
                    .bundle_description(description)
                    .image_id(image_id)
                    .compute_type(
                        types::ComputeType::builder()
                            .name(types::Compute::from(compute_type.as_str()))
                            .build(),
                    )
                    .user_storage(user)
                    .root_storage(root)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(
                    out.request_id(),
                    out.workspace_bundle().and_then(|b| owned(b.bundle_id())),
                ))
            }
            BundleChange::Update {
                bundle_id,
                image_id,
            } => {
                let out = self
                    .client
                    .update_workspace_bundle()
                    .bundle_id(bundle_id)
                    .image_id(image_id)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
            BundleChange::Delete { bundle_id } => {
                let out = self
                    .client
                    .delete_workspace_bundle()
                    .bundle_id(bundle_id)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
        }
    }
}

pub(super) fn bundle(b: &types::WorkspaceBundle, region: &str) -> Bundle {
    Bundle {
        id: text(b.bundle_id()),
        account: String::new(),
        region: region.to_string(),
        name: text(b.name()),
        owner: owned(b.owner()),
        description: owned(b.description()),
        compute_type: b
            .compute_type()
            .and_then(|c| c.name())
            .map(|name| name.as_str().to_string()),
        root_storage_gib: b.root_storage().map(|s| s.capacity().to_string()),
        user_storage_gib: b.user_storage().map(|s| s.capacity().to_string()),
        image_id: owned(b.image_id()),
        state: b.state().map(|s| s.as_str().to_string()),
        last_updated: timestamp(b.last_updated_time()),
        bundle_type: b.bundle_type().map(|t| t.as_str().to_string()),
        created: timestamp(b.creation_time()),
    }
}
