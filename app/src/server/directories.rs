//! Changing directories (admin): register (DEDICATED tenancy only where DescribeAccount
//! says BYOL is enabled), deregister (refused while WorkSpaces use the directory),
//! self-service permissions, WorkSpace creation properties (with WorkDocs), access
//! properties (client platforms) and client settings (ModifyClientProperties, with a
//! reason). Audited like every change, with before and after.

use serde_json::json;

use crate::error::AppError;
use crate::model::{
    AccessProperties, AccountInfo, ClientProperties, CreationProperties, DirectoriesView,
    Directory, DirectorySummary, SelfService,
};
use crate::server::aws::{Change, DirectoryChange, Registration};
use crate::server::caller::Caller;
use crate::server::changes::{self, CacheOp, Plan, invalid, item};
use crate::server::repo::inventory::{self, ItemKind};
use crate::server::resources::{count_of, visible_items};

/// Checks a Directory Service id: `d-` and ten hexadecimal characters.
pub fn validate_directory_id(id: &str) -> Result<String, AppError> {
    let id = id.trim();
    let ok =
        id.len() == 12 && id.starts_with("d-") && id[2..].chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(id.to_lowercase())
    } else {
        Err(AppError::Validation {
            field: "directory_id".into(),
            message: format!("{id:?} is not a directory id (d- and 10 hex digits)"),
        })
    }
}

/// Checks the registration fields: `subnet-` ids, a tenancy the API knows, at most 50
/// tags (000_694e23744a3a4a46.txt:953) with keys outside the reserved `aws:` prefix.
pub fn validate_registration(registration: &Registration) -> Result<(), AppError> {
    for subnet in &registration.subnet_ids {
        let hex = subnet.strip_prefix("subnet-").unwrap_or("");
        if !((hex.len() == 8 || hex.len() == 17) && hex.chars().all(|c| c.is_ascii_hexdigit())) {
            return Err(invalid(
                "subnet_ids",
                format!("{subnet:?} is not a subnet id (subnet- and 8 or 17 hex digits)"),
            ));
        }
    }
    if let Some(tenancy) = &registration.tenancy {
        if !["DEDICATED", "SHARED"].contains(&tenancy.as_str()) {
            return Err(invalid("tenancy", "choose DEDICATED or SHARED"));
        }
    }
    crate::model::check_tags(&registration.tags).map_err(|message| invalid("tags", message))?;
    Ok(())
}

/// Decides one directory change from the cached directories and the number of cached
/// WorkSpaces in the directory: the call, the audit parameters, the cache afterwards.
/// `place` is the account and Region where a directory is registered (see
/// [`crate::model::place_value`]); `account` is what DescribeAccount answered there, read
/// only for a registration with DEDICATED tenancy (see [`needs_account`]). Pure: no
/// database, no AWS.
pub fn plan(
    change: DirectoryChange,
    place: &str,
    directories: &[Directory],
    workspaces_in_directory: usize,
    account: Option<&AccountInfo>,
) -> Result<(Plan, String), AppError> {
    match change {
        DirectoryChange::Register {
            directory_id,
            registration,
        } => plan_register(directory_id, registration, place, directories, account),
        DirectoryChange::Deregister { directory_id } => {
            plan_deregister(directory_id, directories, workspaces_in_directory)
        }
        DirectoryChange::SetSelfService {
            directory_id,
            permissions,
        } => plan_set_self_service(directory_id, permissions, directories),
        DirectoryChange::SetCreationProperties {
            directory_id,
            properties,
        } => plan_set_creation_properties(directory_id, properties, directories),
        DirectoryChange::SetAccessProperties {
            directory_id,
            access,
        } => plan_set_access_properties(directory_id, access, directories),
        DirectoryChange::SetClientProperties {
            directory_id,
            properties,
        } => plan_set_client_properties(directory_id, properties, directories),
    }
}

/// Whether planning `change` needs DescribeAccount of its place first: a registration
/// with DEDICATED tenancy, which AWS refuses unless the account is enabled for BYOL
/// (000_694e23744a3a4a46.txt:6244).
pub fn needs_account(change: &DirectoryChange) -> bool {
    matches!(
        change,
        DirectoryChange::Register { registration, .. }
            if registration.tenancy.as_deref() == Some("DEDICATED")
    )
}

/// Refuses DEDICATED tenancy unless `account` (DescribeAccount of the place) says
/// DedicatedTenancySupport ENABLED: "your AWS account must be enabled for BYOL. If your
/// account has not been enabled for BYOL, you will receive an
/// InvalidParameterValuesException error" (000_694e23744a3a4a46.txt:6244).
fn check_dedicated_tenancy(
    registration: &Registration,
    account: Option<&AccountInfo>,
    place: &str,
) -> Result<(), AppError> {
    if registration.tenancy.as_deref() != Some("DEDICATED") {
        return Ok(());
    }
    let support = account.and_then(|a| a.dedicated_tenancy_support.as_deref());
    if support == Some("ENABLED") {
        return Ok(());
    }
    let (account_name, region) = crate::model::split_place(place);
    Err(invalid(
        "tenancy",
        format!(
            "DEDICATED tenancy needs BYOL, which is not enabled in {} (DedicatedTenancySupport \
             is {}): enable BYOL on the account page first, or choose SHARED tenancy",
            crate::model::place_name(account_name, region),
            support.unwrap_or("not reported"),
        ),
    ))
}

/// Plans RegisterWorkspaceDirectory in `place`; `account` is DescribeAccount of `place`
/// (needed for DEDICATED tenancy).
fn plan_register(
    directory_id: String,
    registration: Registration,
    place: &str,
    directories: &[Directory],
    account: Option<&AccountInfo>,
) -> Result<(Plan, String), AppError> {
    let (new_account, new_region) = crate::model::split_place(place);
    let id = validate_directory_id(&directory_id)?;
    validate_registration(&registration)?;
    if directories.iter().any(|d| d.id == id) {
        return Err(invalid(
            "directory_id",
            format!("{id} is already registered"),
        ));
    }
    check_dedicated_tenancy(&registration, account, place)?;
    let directory = Directory {
        id: id.clone(),
        account: new_account.to_string(),
        region: new_region.to_string(),
        alias: None,
        name: None,
        directory_type: None,
        state: Some("REGISTERING".into()),
        registration_code: None,
        dns_ip_addresses: Vec::new(),
        customer_user_name: None,
        iam_role_id: None,
        subnet_ids: registration.subnet_ids.clone(),
        ip_group_ids: Vec::new(),
        self_service: None,
        security_group_id: None,
        tenancy: registration.tenancy.clone(),
        creation: None,
        access: None,
        client: None,
    };
    let params = json!({
        "directory": id,
        "region": new_region,
        "account": new_account,
        "subnet_ids": registration.subnet_ids,
        "enable_work_docs": registration.enable_work_docs,
        "enable_self_service": registration.enable_self_service,
        "tenancy": registration.tenancy,
        "tags": registration.tags.iter().map(|t| format!("{}={}", t.key, t.value)).collect::<Vec<_>>(),
    });
    Ok(single_plan(
        id.clone(),
        (new_account.to_string(), new_region.to_string()),
        "directory.register",
        params,
        put(&directory),
        DirectoryChange::Register {
            directory_id: id,
            registration,
        },
    ))
}

/// Plans DeregisterWorkspaceDirectory for a directory no WorkSpace is in.
fn plan_deregister(
    directory_id: String,
    directories: &[Directory],
    workspaces_in_directory: usize,
) -> Result<(Plan, String), AppError> {
    let directory = known(directories, &directory_id)?;
    if workspaces_in_directory > 0 {
        return Err(invalid(
            "directory",
            format!(
                "{workspaces_in_directory} WorkSpaces are in {directory_id}; terminate or move them first"
            ),
        ));
    }
    Ok(single_plan(
        directory.id.clone(),
        (directory.account.clone(), directory.region.clone()),
        "directory.deregister",
        json!({ "directory": directory.id }),
        CacheOp::Delete {
            account: directory.account.clone(),
            region: directory.region.clone(),
            kind: ItemKind::Directory,
            id: directory.id.clone(),
        },
        DirectoryChange::Deregister { directory_id },
    ))
}

/// Plans ModifySelfservicePermissions.
fn plan_set_self_service(
    directory_id: String,
    permissions: SelfService,
    directories: &[Directory],
) -> Result<(Plan, String), AppError> {
    let mut directory = known(directories, &directory_id)?;
    let params = json!({ "directory": directory.id, "before": directory.self_service, "after": permissions });
    directory.self_service = Some(permissions);
    Ok(single_plan(
        directory.id.clone(),
        (directory.account.clone(), directory.region.clone()),
        "directory.self_service",
        params,
        put(&directory),
        DirectoryChange::SetSelfService {
            directory_id,
            permissions,
        },
    ))
}

/// Plans ModifyWorkspaceCreationProperties.
fn plan_set_creation_properties(
    directory_id: String,
    properties: CreationProperties,
    directories: &[Directory],
) -> Result<(Plan, String), AppError> {
    let mut directory = known(directories, &directory_id)?;
    validate_creation(&properties)?;
    let after = properties.sent_over(&directory.creation.clone().unwrap_or_default());
    let params = json!({ "directory": directory.id, "before": directory.creation, "after": after });
    directory.creation = Some(after);
    Ok(single_plan(
        directory.id.clone(),
        (directory.account.clone(), directory.region.clone()),
        "directory.creation_properties",
        params,
        put(&directory),
        DirectoryChange::SetCreationProperties {
            directory_id,
            properties,
        },
    ))
}

/// Plans ModifyWorkspaceAccessProperties.
fn plan_set_access_properties(
    directory_id: String,
    access: AccessProperties,
    directories: &[Directory],
) -> Result<(Plan, String), AppError> {
    let mut directory = known(directories, &directory_id)?;
    if access.denies_everyone() {
        return Err(AppError::Validation {
            field: "access".into(),
            message:
                "allow at least one client platform (or its trusted devices), or nobody can connect"
                    .into(),
        });
    }
    let params = json!({ "directory": directory.id, "before": directory.access, "after": access });
    directory.access = Some(access);
    Ok(single_plan(
        directory.id.clone(),
        (directory.account.clone(), directory.region.clone()),
        "directory.access_properties",
        params,
        put(&directory),
        DirectoryChange::SetAccessProperties {
            directory_id,
            access,
        },
    ))
}

/// Plans ModifyClientProperties.
fn plan_set_client_properties(
    directory_id: String,
    properties: ClientProperties,
    directories: &[Directory],
) -> Result<(Plan, String), AppError> {
    let mut directory = known(directories, &directory_id)?;
    if properties == ClientProperties::default() {
        return Err(invalid(
            "client",
            "choose ENABLED or DISABLED for at least one setting",
        ));
    }
    let before = directory.client;
    let after = properties.sent_over(before.unwrap_or_default());
    let params = json!({
        "directory": directory.id,
        "sent": properties,
        "before": before,
        "after": after,
    });
    directory.client = Some(after);
    Ok(single_plan(
        directory.id.clone(),
        (directory.account.clone(), directory.region.clone()),
        "directory.client_properties",
        params,
        put(&directory),
        DirectoryChange::SetClientProperties {
            directory_id,
            properties,
        },
    ))
}

/// The cached directory `id`, or not found.
fn known(directories: &[Directory], id: &str) -> Result<Directory, AppError> {
    directories
        .iter()
        .find(|d| d.id == id)
        .cloned()
        .ok_or_else(|| AppError::NotFound(format!("directory {id}")))
}

/// The cache entry storing `directory` under its id.
fn put(directory: &Directory) -> CacheOp {
    CacheOp::Put {
        account: directory.account.clone(),
        region: directory.region.clone(),
        kind: ItemKind::Directory,
        id: Some(directory.id.clone()),
        item: item(directory),
    }
}

/// The single-call plan for one decided directory change, and the sentence for the admin.
fn single_plan(
    directory_id: String,
    (account, region): (String, String),
    action: &str,
    params: serde_json::Value,
    cache: CacheOp,
    change: DirectoryChange,
) -> (Plan, String) {
    let done = format!("Done: {action} {directory_id}");
    let plan = Plan::single(
        action,
        params,
        (&account, &region),
        &directory_id,
        Change::Directory(change),
        vec![cache],
    );
    (plan, done)
}

/// Applies one directory change with the admin's `reason` (required for client
/// settings, recorded when given for the others); returns what was done.
pub async fn apply(
    caller: &Caller,
    region: &str,
    change: DirectoryChange,
    reason: &str,
) -> Result<String, AppError> {
    caller.require_admin()?;
    let reason = match change {
        DirectoryChange::SetClientProperties { .. } => Some(changes::reason(reason)?),
        _ if reason.trim().is_empty() => None,
        _ => Some(changes::reason(reason)?),
    };
    let mut directories: Vec<Directory> =
        inventory::items(caller.pool(), ItemKind::Directory).await?;
    // Other accounts' directories are unknown to the plan, so it answers them as unknown
    // ids before it says anything about them (issue 20, finding 7).
    directories.retain(|d| caller.user.may_use(&d.account));
    let in_use = match &change {
        DirectoryChange::Deregister { directory_id } => {
            inventory::count_using(caller.pool(), "directory_id", directory_id).await?
        }
        _ => 0,
    };
    // DEDICATED tenancy: ask the account first, as the BYOL image import does.
    let account = if needs_account(&change) {
        let (account, place_region) = crate::model::split_place(region);
        let api = changes::region_api(&caller.workspaces, account, place_region)?;
        Some(api.describe_account().await?)
    } else {
        None
    };
    let (mut planned, done) = plan(change, region, &directories, in_use, account.as_ref())?;
    planned.reason = reason;
    caller.execute_single((planned, done)).await
}

/// Checks the text fields of new creation properties (`None` fields are not sent).
pub fn validate_creation(properties: &CreationProperties) -> Result<(), AppError> {
    if let Some(ou) = &properties.default_ou {
        if !is_default_ou(ou) {
            return Err(invalid(
                "default_ou",
                format!(
                    "{ou:?} is not a distinguished name like OU=WorkSpaces,DC=corp,DC=example \
                     (an OU, then two or more DC parts)"
                ),
            ));
        }
    }
    if let Some(group) = &properties.custom_security_group_id {
        let hex = group.strip_prefix("sg-").unwrap_or("");
        let ok = (hex.len() == 8 || hex.len() == 17) && hex.chars().all(|c| c.is_ascii_hexdigit());
        if !ok {
            return Err(invalid(
                "custom_security_group_id",
                format!("{group:?} is not a security group id (sg- and 8 or 17 hex digits)"),
            ));
        }
    }
    if let Some(arn) = &properties.instance_iam_role_arn {
        if !is_iam_role_arn(arn) {
            return Err(invalid(
                "instance_iam_role_arn",
                format!("{arn:?} is not an IAM role ARN (arn:aws:iam::123456789012:role/name)"),
            ));
        }
    }
    Ok(())
}

/// Whether `arn` is an IAM role ARN: `arn:<partition>:iam::<12 digits>:role/<path and
/// name>` (a directory's instance role, an account's role to assume).
pub fn is_iam_role_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].chars().all(|c| c.is_ascii_digit())
        && parts[5]
            .strip_prefix("role/")
            .is_some_and(|name| !name.is_empty())
}

/// Whether `ou` has the form DefaultOu needs (000_694e23744a3a4a46.txt:5688):
/// `OU=value,DC=value,DC=value` with two or more domain components; a value may hold
/// escaped characters such as `\,` (:5697, "certain characters … must be escaped").
pub fn is_default_ou(ou: &str) -> bool {
    // Split on commas that are not escaped with a backslash.
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in ou.chars() {
        match c {
            _ if escaped => {
                current.push(c);
                escaped = false;
            }
            '\\' => {
                current.push(c);
                escaped = true;
            }
            ',' => parts.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    parts.push(current);
    let pair = |part: &str| {
        part.split_once('=')
            .map(|(key, value)| (key.trim().to_ascii_uppercase(), value.trim().to_string()))
    };
    let pairs: Option<Vec<(String, String)>> = parts.iter().map(|p| pair(p)).collect();
    let Some(pairs) = pairs else {
        return false;
    };
    let values_ok = pairs
        .iter()
        .all(|(_, value)| !value.is_empty() && !value.ends_with('\\'));
    let first_is_ou = pairs.first().is_some_and(|(key, _)| key == "OU");
    let ous_then_dcs = {
        let dc_from = pairs
            .iter()
            .position(|(key, _)| key == "DC")
            .unwrap_or(pairs.len());
        pairs[..dc_from].iter().all(|(key, _)| key == "OU")
            && pairs[dc_from..].iter().all(|(key, _)| key == "DC")
    };
    let dcs = pairs.iter().filter(|(key, _)| key == "DC").count();
    values_ok && first_is_ou && ous_then_dcs && dcs >= 2
}

/// Creation properties from a form: boxes named in `checked` are on; blank text fields
/// become `None` (not sent); `work_docs` is `ENABLED`, `DISABLED` or blank (not sent).
pub fn creation_from(
    checked: &[String],
    default_ou: &str,
    security_group: &str,
    iam_role: &str,
    work_docs: &str,
) -> Result<CreationProperties, AppError> {
    let on = |name: &str| checked.iter().any(|f| f == name);
    let text = |value: &str| Some(value.trim().to_string()).filter(|v| !v.is_empty());
    Ok(CreationProperties {
        enable_internet_access: on("enable_internet_access"),
        user_enabled_as_local_administrator: on("user_enabled_as_local_administrator"),
        enable_maintenance_mode: on("enable_maintenance_mode"),
        default_ou: text(default_ou),
        custom_security_group_id: text(security_group),
        instance_iam_role_arn: text(iam_role),
        enable_work_docs: crate::model::switch_from_form("work_docs", work_docs)?,
    })
}

/// The registration fields from a form: boxes `enable_work_docs` and
/// `enable_self_service` in `checked`; subnet ids separated by commas or spaces; tenancy
/// blank (AWS's default), `DEDICATED` or `SHARED`; one `Key=Value` tag per line.
pub fn registration_from(
    checked: &[String],
    subnet_ids: &str,
    tenancy: &str,
    tags: &str,
) -> Result<Registration, AppError> {
    let on = |name: &str| checked.iter().any(|f| f == name);
    let registration = Registration {
        subnet_ids: subnet_ids
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .collect(),
        enable_work_docs: on("enable_work_docs"),
        enable_self_service: on("enable_self_service"),
        tenancy: Some(tenancy.trim().to_uppercase()).filter(|t| !t.is_empty()),
        tags: crate::model::parse_tags(tags, '\n'),
    };
    validate_registration(&registration)?;
    Ok(registration)
}

/// Self-service permissions from a form: a box is on when its field is present.
pub fn self_service_from(fields: &[String]) -> SelfService {
    let on = |name: &str| fields.iter().any(|f| f == name);
    SelfService {
        restart: on("restart"),
        increase_volume_size: on("increase_volume_size"),
        change_compute_type: on("change_compute_type"),
        switch_running_mode: on("switch_running_mode"),
        rebuild: on("rebuild"),
    }
}

/// Directories with how many WorkSpaces each holds.
pub async fn list(caller: &Caller) -> Result<Vec<DirectorySummary>, AppError> {
    let counts = inventory::count_by(caller.pool(), "directory_id").await?;
    let directories: Vec<Directory> = visible_items(caller, ItemKind::Directory).await?;
    Ok(directories
        .into_iter()
        .map(|directory| DirectorySummary {
            workspaces: count_of(&counts, &directory.account, &directory.id),
            directory,
        })
        .collect())
}

/// The directories page.
pub async fn view(caller: &Caller) -> Result<DirectoriesView, AppError> {
    Ok(DirectoriesView {
        directories: list(caller).await?,
        regions: caller.places(),
        can_edit: caller.is_admin(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_ids_are_d_and_ten_hex_digits() {
        assert_eq!(
            validate_directory_id(" d-93670C1E5A ").ok(),
            Some("d-93670c1e5a".into())
        );
        assert!(validate_directory_id("d-123").is_err());
        assert!(validate_directory_id("x-93670c1e5a").is_err());
        assert!(validate_directory_id("d-93670c1e5z").is_err());
    }

    #[test]
    fn creation_properties_text_fields_are_checked() {
        let good = creation_from(
            &["enable_internet_access".into()],
            "OU=WorkSpaces,DC=corp,DC=example",
            "sg-0123456789abcdef0",
            "arn:aws:iam::123456789012:role/workspaces-instance",
            "",
        )
        .expect("form");
        assert!(good.enable_internet_access && !good.enable_maintenance_mode);
        assert_eq!(validate_creation(&good), Ok(()));
        let blank = creation_from(&[], " ", "", "", "").expect("form");
        assert_eq!(blank.default_ou, None);
        assert_eq!(validate_creation(&blank), Ok(()));
        for (ou, group, role) in [
            ("WorkSpaces", "", ""),
            ("OU=,DC=corp", "", ""),
            ("", "sg-123", ""),
            ("", "sg-0123456789abcdefg", ""),
            ("", "", "arn:aws:iam::12345:role/x"),
            ("", "", "arn:aws:iam::123456789012:user/x"),
        ] {
            let bad = creation_from(&[], ou, group, role, "").expect("form");
            assert!(validate_creation(&bad).is_err(), "{ou} {group} {role}");
        }
    }

    /// 000_694e23744a3a4a46.txt:5688: `OU=…,DC=…,DC=…` with two or more DCs; :5697:
    /// escaped characters are part of a value.
    #[test]
    fn default_ou_needs_an_ou_and_two_domain_components() {
        for good in [
            "OU=WorkSpaces_machines,DC=machines,DC=example,DC=com",
            "OU=WorkSpaces,DC=corp,DC=example",
            "OU=Smith\\, J,OU=Desks,DC=corp,DC=example",
            "ou=lower,dc=corp,dc=example",
        ] {
            assert!(is_default_ou(good), "{good}");
        }
        for bad in [
            "OU=WS,DC=corp",
            "DC=corp,DC=example",
            "OU=WS,DC=corp,OU=late,DC=example",
            "OU=,DC=corp,DC=example",
            "OU=WS,CN=x,DC=corp,DC=example",
            "WorkSpaces",
        ] {
            assert!(!is_default_ou(bad), "{bad}");
        }
    }

    #[test]
    fn registration_fields_are_checked_before_aws_is_called() {
        let ok = registration_from(
            &["enable_self_service".into()],
            "subnet-0a1b2c3d, subnet-0123456789abcdef0",
            "dedicated",
            "CostCenter=1234\nOwner = it",
        )
        .expect("valid");
        assert_eq!(ok.subnet_ids.len(), 2);
        assert_eq!(ok.tenancy.as_deref(), Some("DEDICATED"));
        assert!(ok.enable_self_service && !ok.enable_work_docs);
        assert_eq!(ok.tags[1].key, "Owner");
        assert_eq!(ok.tags[1].value, "it");
        assert!(registration_from(&[], "sub-123", "", "").is_err());
        assert!(registration_from(&[], "", "PRIVATE", "").is_err());
        assert!(registration_from(&[], "", "", "aws:reserved=x").is_err());
        let many = (0..51)
            .map(|n| format!("k{n}=v"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            registration_from(&[], "", "", &many).is_err(),
            "over 50 tags"
        );
    }

    /// ModifyClientProperties (000_694e23744a3a4a46.txt:5316) sends the settings the admin
    /// chose and nothing else; the audit entry has the values before and after.
    #[test]
    fn client_settings_send_what_was_chosen_with_before_and_after() {
        let mut directory: Directory = serde_json::from_value(serde_json::json!({
            "id": "d-1111111111", "region": "eu-west-1", "alias": null, "name": null,
            "directory_type": null, "state": "REGISTERED", "registration_code": null,
            "dns_ip_addresses": [], "subnet_ids": [], "ip_group_ids": [],
        }))
        .expect("directory");
        directory.client = Some(ClientProperties {
            reconnect: Some(true),
            log_upload: Some(true),
        });
        let chosen = ClientProperties::from_form("DISABLED", "").expect("form");
        let change = DirectoryChange::SetClientProperties {
            directory_id: directory.id.clone(),
            properties: chosen,
        };
        let (planned, _) = plan(
            change.clone(),
            "",
            std::slice::from_ref(&directory),
            0,
            None,
        )
        .expect("plan");
        assert_eq!(planned.calls[0].change, Change::Directory(change));
        assert_eq!(planned.params["before"]["reconnect"], true);
        assert_eq!(planned.params["after"]["reconnect"], false);
        assert_eq!(
            planned.params["after"]["log_upload"], true,
            "a setting not sent keeps its value"
        );
        let CacheOp::Put { item, .. } = &planned.cache[0].1 else {
            panic!("not a put");
        };
        assert_eq!(item["client"]["reconnect"], false);

        let nothing = DirectoryChange::SetClientProperties {
            directory_id: directory.id.clone(),
            properties: ClientProperties::from_form("", "").expect("blank form"),
        };
        assert!(plan(nothing, "", std::slice::from_ref(&directory), 0, None).is_err());
        assert!(ClientProperties::from_form("yes", "").is_err());
    }

    /// 000_694e23744a3a4a46.txt:6244: DEDICATED tenancy needs an account enabled for BYOL,
    /// else AWS answers InvalidParameterValuesException; the plan refuses first, with why.
    #[test]
    fn dedicated_tenancy_is_refused_unless_byol_is_enabled() {
        let register = |tenancy: &str| DirectoryChange::Register {
            directory_id: "d-1234567890".into(),
            registration: registration_from(&[], "", tenancy, "").expect("form"),
        };
        assert!(needs_account(&register("DEDICATED")));
        assert!(!needs_account(&register("SHARED")) && !needs_account(&register("")));
        let disabled = AccountInfo {
            dedicated_tenancy_support: Some("DISABLED".into()),
            management_cidr: None,
        };
        let enabled = AccountInfo {
            dedicated_tenancy_support: Some("ENABLED".into()),
            management_cidr: Some("10.200.0.0/16".into()),
        };
        for account in [None, Some(&disabled)] {
            match plan(register("DEDICATED"), "prod:us-east-1", &[], 0, account) {
                Err(AppError::Validation { field, message }) => {
                    assert_eq!(field, "tenancy");
                    assert!(
                        message.contains("BYOL") && message.contains("prod us-east-1"),
                        "{message}"
                    );
                }
                other => panic!("expected a refusal, got {other:?}"),
            }
        }
        let (planned, _) =
            plan(register("DEDICATED"), "eu-west-1", &[], 0, Some(&enabled)).expect("BYOL on");
        assert_eq!(planned.params["tenancy"], "DEDICATED");
        assert!(
            plan(register("SHARED"), "eu-west-1", &[], 0, Some(&disabled)).is_ok(),
            "SHARED needs no BYOL"
        );
    }

    /// EnableWorkDocs (000_694e23744a3a4a46.txt:3475, set with :5634): chosen in the
    /// creation form, not sent when left blank, audited before and after.
    #[test]
    fn work_docs_is_changed_through_the_creation_properties() {
        let mut directory: Directory = serde_json::from_value(serde_json::json!({
            "id": "d-1111111111", "region": "eu-west-1", "alias": null, "name": null,
            "directory_type": null, "state": "REGISTERED", "registration_code": null,
            "dns_ip_addresses": [], "subnet_ids": [], "ip_group_ids": [],
            "creation": {
                "enable_internet_access": true, "user_enabled_as_local_administrator": false,
                "enable_maintenance_mode": true, "default_ou": null,
                "custom_security_group_id": null, "instance_iam_role_arn": null,
            },
        }))
        .expect("a directory cached before WorkDocs was kept");
        assert_eq!(directory.customer_user_name, None);
        let before = directory.creation.clone().expect("creation");
        assert_eq!(before.enable_work_docs, None, "old cache rows still read");

        let on = creation_from(&[], "", "", "", "ENABLED").expect("form");
        assert_eq!(on.enable_work_docs, Some(true));
        assert!(creation_from(&[], "", "", "", "yes").is_err());
        let change = DirectoryChange::SetCreationProperties {
            directory_id: directory.id.clone(),
            properties: on,
        };
        let (planned, _) =
            plan(change, "", std::slice::from_ref(&directory), 0, None).expect("plan");
        assert_eq!(
            planned.params["before"]["enable_work_docs"],
            serde_json::Value::Null
        );
        assert_eq!(planned.params["after"]["enable_work_docs"], true);

        directory.creation = Some(CreationProperties {
            enable_work_docs: Some(true),
            ..before
        });
        let blank = creation_from(&[], "", "", "", "").expect("form");
        assert_eq!(blank.enable_work_docs, None, "blank is not sent");
        let after = blank.sent_over(&directory.creation.clone().unwrap_or_default());
        assert_eq!(after.enable_work_docs, Some(true), "and keeps its value");
    }

    #[test]
    fn unchecked_boxes_are_off() {
        let permissions = self_service_from(&["restart".into(), "rebuild".into()]);
        assert!(permissions.restart && permissions.rebuild && !permissions.switch_running_mode);
    }
}
