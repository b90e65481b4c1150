//! Server functions of the directories page: list, and the admin's changes.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{DirectoriesView, DirectoryOp};

#[server(endpoint = "directories/list")]
pub async fn list_directories() -> Result<DirectoriesView, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    crate::server::directories::view(&caller).await
}

/// Registers (`register`, with subnets, tenancy, tags and the WorkDocs and self-service
/// boxes) or deregisters (`deregister`) a directory, or sets its
/// self-service permissions (`self_service`), WorkSpace creation properties (`creation`,
/// with the three text fields and `work_docs`: `ENABLED`, `DISABLED`, or blank: not
/// sent), access properties (`access`) or client settings
/// (`client`) (admin). `checked` holds
/// the names of the checked boxes of the form; `access` the access form's choice per
/// platform (`access[windows]=TRUST`), every platform once. Client settings (`client`)
/// take `reconnect` and `log_upload` (`ENABLED`, `DISABLED`, or blank: not sent) and a
/// `reason`, which any change may carry.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "directories/change")]
pub async fn change_directory(
    op: DirectoryOp,
    directory_id: String,
    #[server(default)] region: String,
    #[server(default)] checked: Vec<String>,
    #[server(default)] default_ou: String,
    #[server(default)] security_group: String,
    #[server(default)] iam_role: String,
    #[server(default)] work_docs: String,
    #[server(default)] subnet_ids: String,
    #[server(default)] tenancy: String,
    #[server(default)] tags: String,
    #[server(default)] access: std::collections::BTreeMap<String, String>,
    #[server(default)] reconnect: String,
    #[server(default)] log_upload: String,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    use crate::model::{AccessProperties, ClientProperties};
    use crate::server::aws::DirectoryChange;
    use crate::server::directories::{apply, creation_from, registration_from, self_service_from};
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    let change = match op {
        DirectoryOp::Register => DirectoryChange::Register {
            directory_id,
            registration: registration_from(&checked, &subnet_ids, &tenancy, &tags)?,
        },
        DirectoryOp::Deregister => DirectoryChange::Deregister { directory_id },
        DirectoryOp::SelfService => DirectoryChange::SetSelfService {
            directory_id,
            permissions: self_service_from(&checked),
        },
        DirectoryOp::Creation => DirectoryChange::SetCreationProperties {
            directory_id,
            properties: creation_from(
                &checked,
                &default_ou,
                &security_group,
                &iam_role,
                &work_docs,
            )?,
        },
        DirectoryOp::Access => DirectoryChange::SetAccessProperties {
            directory_id,
            access: AccessProperties::from_form(
                access
                    .iter()
                    .map(|(key, value)| (key.as_str(), value.as_str())),
            )?,
        },
        DirectoryOp::Client => DirectoryChange::SetClientProperties {
            directory_id,
            properties: ClientProperties::from_form(&reconnect, &log_upload)?,
        },
    };
    apply(&caller, &region, change, &reason).await
}
