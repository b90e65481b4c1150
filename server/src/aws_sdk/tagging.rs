//! The tags of every WorkSpace of a Region through the Resource Groups Tagging API
//! (GetResources, resource type `workspaces:workspace`, 100 a page), so that a fleet of
//! 50,000 costs 500 calls instead of 50,000 DescribeTags. Only tagged WorkSpaces are
//! listed; the caller knows the others have none.

use app::model::Tag;
use app::server::aws::{AwsError, ErrorKind, Page, TAG_LISTING_PAGE_SIZE, TaggedWorkspace};

use super::SdkWorkspaces;

/// The resource type of a WorkSpace in the Resource Groups Tagging API.
const RESOURCE_TYPE: &str = "workspaces:workspace";

impl SdkWorkspaces {
    pub(super) async fn workspace_tags(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<TaggedWorkspace>, AwsError> {
        let Some(client) = &self.tagging else {
            return Err(AwsError {
                kind: ErrorKind::Other,
                code: "TaggingNotConfigured".into(),
                message: "this client has no Resource Groups Tagging API".into(),
            });
        };
        let out = client
            .get_resources()
            .resource_type_filters(RESOURCE_TYPE)
            .resources_per_page(TAG_LISTING_PAGE_SIZE as i32)
            .set_pagination_token(next_token)
            .send()
            .await
            .map_err(|error| crate::sdk_error::reduce("Resource Groups Tagging", error))?;
        let items = out
            .resource_tag_mapping_list()
            .iter()
            .filter_map(|mapping| {
                let workspace_id = workspace_id_of(mapping.resource_arn()?)?;
                let tags = mapping
                    .tags()
                    .iter()
                    .map(|tag| Tag {
                        key: tag.key().to_string(),
                        value: tag.value().to_string(),
                    })
                    .collect();
                Some(TaggedWorkspace { workspace_id, tags })
            })
            .collect();
        Ok(Page {
            items,
            // The API ends its listing with an empty token rather than none.
            next_token: out
                .pagination_token()
                .filter(|token| !token.is_empty())
                .map(str::to_string),
        })
    }
}

/// The WorkSpace id of an ARN `arn:aws:workspaces:<region>:<account>:workspace/ws-…`.
fn workspace_id_of(arn: &str) -> Option<String> {
    let (_, id) = arn.rsplit_once(":workspace/")?;
    (!id.is_empty()).then(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::workspace_id_of;

    #[test]
    fn workspace_ids_come_from_the_arn() {
        assert_eq!(
            workspace_id_of("arn:aws:workspaces:eu-west-1:123456789012:workspace/ws-0abc12def")
                .as_deref(),
            Some("ws-0abc12def")
        );
        assert_eq!(
            workspace_id_of("arn:aws:workspaces:eu-west-1:1:workspacebundle/wsb-1"),
            None
        );
        assert_eq!(
            workspace_id_of("arn:aws:workspaces:eu-west-1:1:workspace/"),
            None
        );
    }
}
