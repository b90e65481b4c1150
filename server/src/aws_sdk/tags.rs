//! Tags on any WorkSpaces resource: DescribeTags and every [`TagChange`].

use app::model::Tag;
use app::server::aws::{AwsError, ChangeOutcome, TagChange};
use aws_sdk_workspaces::operation::RequestId;
use aws_sdk_workspaces::types;

use super::SdkWorkspaces;
use super::convert::{answered, invalid, text};
use super::errors::error_from_sdk;

impl SdkWorkspaces {
    pub(super) async fn describe_tags(&self, resource_id: &str) -> Result<Vec<Tag>, AwsError> {
        let out = self
            .client
            .describe_tags()
            .resource_id(resource_id)
            .send()
            .await
            .map_err(error_from_sdk)?;
        Ok(out
            .tag_list()
            .iter()
            .map(|tag| Tag {
                key: tag.key().to_string(),
                value: text(tag.value()),
            })
            .collect())
    }

    pub(super) async fn change_tags(&self, change: &TagChange) -> Result<ChangeOutcome, AwsError> {
        let out = match change {
            TagChange::Create { resource_id, tags } => {
                let tags = sdk_tags(tags)?;
                self.client
                    .create_tags()
                    .resource_id(resource_id)
                    .set_tags(Some(tags))
                    .send()
                    .await
                    .map_err(error_from_sdk)?
                    .request_id()
                    .map(str::to_string)
            }
            TagChange::Delete { resource_id, keys } => self
                .client
                .delete_tags()
                .resource_id(resource_id)
                .set_tag_keys(Some(keys.clone()))
                .send()
                .await
                .map_err(error_from_sdk)?
                .request_id()
                .map(str::to_string),
        };
        Ok(answered(out.as_deref(), None))
    }
}

/// Tags in the SDK's type; a tag the SDK refuses (no key) is an invalid request.
pub(super) fn sdk_tags(tags: &[Tag]) -> Result<Vec<types::Tag>, AwsError> {
    tags.iter()
        .map(|tag| {
            types::Tag::builder()
                .key(&tag.key)
                .value(&tag.value)
                .build()
                .map_err(|e| invalid(e.to_string()))
        })
        .collect()
}
