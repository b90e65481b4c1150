//! Images: describing them and their sharing permissions, and every [`ImageChange`].

use app::model::Image;
use app::server::aws::{AwsError, ChangeOutcome, ImageChange, Page};
use aws_sdk_workspaces::operation::RequestId;
use aws_sdk_workspaces::types;

use super::SdkWorkspaces;
use super::convert::{answered, owned, text, timestamp};
use super::errors::error_from_sdk;
use super::tags::sdk_tags;

impl SdkWorkspaces {
    pub(super) async fn describe_images(
        &self,
        owned_only: bool,
        next_token: Option<String>,
    ) -> Result<Page<Image>, AwsError> {
        let out = self
            .client
            .describe_workspace_images()
            .set_image_type(owned_only.then_some(types::ImageType::Owned))
            .set_next_token(next_token)
            .send()
            .await
            .map_err(error_from_sdk)?;
        Ok(Page {
            items: out
                .images()
                .iter()
                .map(|img| image(img, &self.region))
                .collect(),
            next_token: out.next_token().map(str::to_string),
        })
    }

    pub(super) async fn describe_image_permissions(
        &self,
        image_id: &str,
    ) -> Result<Vec<String>, AwsError> {
        let mut accounts = Vec::new();
        let mut token = None;
        loop {
            let out = self
                .client
                .describe_workspace_image_permissions()
                .image_id(image_id)
                .set_next_token(token)
                .send()
                .await
                .map_err(error_from_sdk)?;
            accounts.extend(
                out.image_permissions()
                    .iter()
                    .filter_map(|p| owned(p.shared_account_id())),
            );
            match out.next_token() {
                Some(next) if !next.is_empty() => token = Some(next.to_string()),
                _ => return Ok(accounts),
            }
        }
    }

    pub(super) async fn change_image(
        &self,
        change: &ImageChange,
    ) -> Result<ChangeOutcome, AwsError> {
        match change {
            ImageChange::Delete { image_id } => {
                let out = self
                    .client
                    .delete_workspace_image()
                    .image_id(image_id)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
            ImageChange::Share {
                image_id,
                account_id,
                allow,
            } => {
                let out = self
                    .client
                    .update_workspace_image_permission()
                    .image_id(image_id)
                    .shared_account_id(account_id)
                    .allow_copy_image(*allow)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
            ImageChange::Import(import) => {
                let tags = sdk_tags(&import.tags)?;
                let out = self
                    .client
                    .import_workspace_image()
                    .ec2_image_id(&import.ec2_image_id)
                    .ingestion_process(types::WorkspaceImageIngestionProcess::from(
                        import.ingestion_process.as_str(),
                    ))
                    .image_name(&import.name)
                    .image_description(&import.description)
                    .set_tags((!tags.is_empty()).then_some(tags))
                    .set_applications((!import.applications.is_empty()).then(|| {
                        import
                            .applications
                            .iter()
                            .map(|a| types::Application::from(a.as_str()))
                            .collect()
                    }))
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), owned(out.image_id())))
            }
            ImageChange::Copy {
                source_region,
                source_image_id,
                name,
                description,
            } => {
                let out = self
                    .client
                    .copy_workspace_image()
                    .source_region(source_region)
                    .source_image_id(source_image_id)
                    .name(name)
                    .set_description(description.clone())
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), owned(out.image_id())))
            }
        }
    }
}

pub(super) fn image(img: &types::WorkspaceImage, region: &str) -> Image {
    Image {
        id: text(img.image_id()),
        account: String::new(),
        region: region.to_string(),
        name: text(img.name()),
        description: owned(img.description()),
        state: img.state().map(|s| s.as_str().to_string()),
        operating_system: img
            .operating_system()
            .and_then(|os| os.r#type())
            .map(|t| t.as_str().to_string()),
        owner_account_id: owned(img.owner_account_id()),
        required_tenancy: img.required_tenancy().map(|t| t.as_str().to_string()),
        created: timestamp(img.created()),
        shared_with: Vec::new(),
        error: match (img.error_code(), img.error_message()) {
            (None, None) => None,
            (code, message) => Some(format!(
                "{}: {}",
                code.unwrap_or("Error"),
                message.unwrap_or("no message")
            )),
        },
        // Filled by the sync, which lists the owned images separately.
        owned: false,
        permissions_error: None,
    }
}
