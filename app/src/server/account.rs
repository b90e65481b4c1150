//! Bring your own license (BYOL): the account page's live reads (DescribeAccount, every
//! page of DescribeAccountModifications, ListAvailableManagementCidrRanges), enabling
//! BYOL with a management range AWS offers (ModifyAccount), and importing a licensed EC2
//! image (ImportWorkspaceImage). Release note 003_73a90d7ae4a9d914.txt; the newer
//! reference 000_694e23744a3a4a46.txt adds WSP ingestion, tags and Office subscriptions.
//!
//! Nothing here is cached except the imported image, which appears on the images page as
//! PENDING at once and is followed until AWS finishes the import.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use sqlx::AnyPool;

use crate::error::AppError;
use crate::model::{
    AccountInfo, AccountView, BYOL_APPLICATIONS, CidrSearch, INGESTION_PROCESSES, Image,
    MAX_CIDR_RANGES_SHOWN, MAX_TAGS, RegionAccount, Role, Tag, place_name, place_value,
    split_place,
};
use crate::server::aws::{
    AccountChange, AwsError, Change, ImageChange, ImageImport, WorkspacesApi, all_pages,
};
use crate::server::caller::Caller;
use crate::server::changes::{self, CacheOp, Plan, invalid};
use crate::server::repo::inventory::{self, ItemKind};

/// The account page: the BYOL state and history of every configured account and Region
/// the user may see, and the CIDR search asked for (`search`: place value, see
/// [`place_value`], and range to search).
pub async fn account_view(
    caller: &Caller,
    search: Option<(&str, &str)>,
) -> Result<AccountView, AppError> {
    if let Some((_, constraint)) = search {
        management_search_range(constraint)?;
    }
    let mut view = AccountView {
        regions: Vec::new(),
        can_edit: caller.user.role >= Role::Admin,
    };
    for api in &caller.workspaces {
        let region = api.region();
        let place = place_value(api.account(), region);
        let (account, account_error) = split(api.describe_account().await);
        let (modifications, modifications_error) =
            split(all_pages(|t| api.describe_account_modifications(t)).await);
        let cidr_search = match search {
            Some((wanted, constraint)) if wanted == place => {
                Some(cidr_search(api.as_ref(), constraint).await)
            }
            _ => None,
        };
        view.regions.push(RegionAccount {
            aws_account: api.account().to_string(),
            region: region.to_string(),
            account,
            account_error,
            modifications: modifications.unwrap_or_default(),
            modifications_error,
            cidr_search,
        });
    }
    Ok(view)
}

fn split<T>(result: Result<T, AwsError>) -> (Option<T>, Option<String>) {
    match result {
        Ok(value) => (Some(value), None),
        Err(error) => (None, Some(error.to_string())),
    }
}

/// The first [`MAX_CIDR_RANGES_SHOWN`] ranges AWS offers within `constraint`.
async fn cidr_search(api: &dyn WorkspacesApi, constraint: &str) -> CidrSearch {
    let mut search = CidrSearch {
        constraint: constraint.to_string(),
        ranges: Vec::new(),
        truncated: false,
        error: None,
    };
    let mut token = None;
    loop {
        match api.list_management_cidr_ranges(constraint, token).await {
            Ok(page) => {
                search.ranges.extend(page.items);
                token = page.next_token.filter(|t| !t.is_empty());
            }
            Err(error) => {
                search.error = Some(error.to_string());
                return search;
            }
        }
        if search.ranges.len() >= MAX_CIDR_RANGES_SHOWN {
            search.truncated = token.is_some() || search.ranges.len() > MAX_CIDR_RANGES_SHOWN;
            search.ranges.truncate(MAX_CIDR_RANGES_SHOWN);
            return search;
        }
        if token.is_none() {
            return search;
        }
    }
}

/// A range to search for management CIDRs: an IPv4 CIDR block of /16 or larger.
pub fn management_search_range(text: &str) -> Result<String, AppError> {
    let cidr = crate::cidr::parse_rule(text).map_err(|m| invalid("cidr", m))?;
    if cidr.prefix > 16 {
        return Err(invalid(
            "cidr",
            "search a /16 or larger range: the management range is a /16",
        ));
    }
    Ok(cidr.canonical())
}

/// A management range as ModifyAccount takes it: "The CIDR block size must be /16"
/// (000_694e23744a3a4a46.txt:5277).
pub fn management_cidr(text: &str) -> Result<String, AppError> {
    let cidr = crate::cidr::parse_rule(text).map_err(|m| invalid("management_cidr", m))?;
    if cidr.prefix != 16 {
        return Err(invalid(
            "management_cidr",
            format!(
                "{} is not a /16; the management range must be one",
                text.trim()
            ),
        ));
    }
    Ok(cidr.canonical())
}

/// Plans enabling BYOL in `region` with `cidr`, which must be among the `available`
/// ranges AWS offers now (000_694e23744a3a4a46.txt:5277). Pure: no database, no AWS.
pub fn plan_enable(
    (account, region): (&str, &str),
    cidr: &str,
    available: &[String],
    current: &AccountInfo,
    reason: &str,
) -> Result<(Plan, String), AppError> {
    let reason = changes::reason(reason)?;
    let cidr = management_cidr(cidr)?;
    if current.dedicated_tenancy_support.as_deref() == Some("ENABLED")
        && current.management_cidr.as_deref() == Some(cidr.as_str())
    {
        return Err(invalid(
            "management_cidr",
            format!("BYOL is already enabled in {region} with {cidr}"),
        ));
    }
    if !available.contains(&cidr) {
        return Err(invalid(
            "management_cidr",
            format!(
                "AWS does not offer {cidr} as a management range in {region} now; search again"
            ),
        ));
    }
    let mut plan = Plan::single(
        "account.enable_byol",
        json!({
            "region": region,
            "account": account,
            "management_cidr": cidr,
            "before": {
                "dedicated_tenancy_support": current.dedicated_tenancy_support,
                "management_cidr": current.management_cidr,
            },
        }),
        (account, region),
        &format!("account {}", place_name(account, region)),
        Change::Account(AccountChange::EnableByol {
            management_cidr: cidr.clone(),
        }),
        Vec::new(),
    );
    plan.reason = Some(reason);
    let done = format!(
        "BYOL requested in {region} with management range {cidr}; the modification is followed below until AWS completes it."
    );
    Ok((plan, done))
}

/// Enables BYOL (admin): reads the account and asks AWS whether `cidr` is available,
/// then sends ModifyAccount.
pub async fn enable(
    caller: &Caller,
    place: &str,
    cidr: &str,
    reason: &str,
) -> Result<String, AppError> {
    caller.require_admin()?;
    let (account, region) = split_place(place);
    let api = changes::region_api(&caller.workspaces, account, region)?;
    let wanted = management_cidr(cidr)?;
    let current = api.describe_account().await?;
    let available = all_pages(|t| api.list_management_cidr_ranges(&wanted, t)).await?;
    let planned = plan_enable((account, region), &wanted, &available, &current, reason)?;
    caller.execute_single(planned).await
}

/// What the import form asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportForm {
    /// The configured account to import into (`""`: the only one).
    pub account: String,
    pub region: String,
    pub ec2_image_id: String,
    pub ingestion_process: String,
    pub name: String,
    pub description: String,
    pub tags: Vec<Tag>,
    /// A Microsoft Office version to subscribe to, or blank.
    pub application: String,
    pub reason: String,
}

/// True for `ami-` and 8 or 17 hex digits.
fn is_ami_id(text: &str) -> bool {
    text.strip_prefix("ami-").is_some_and(|hex| {
        (hex.len() == 8 || hex.len() == 17) && hex.chars().all(|c| c.is_ascii_hexdigit())
    })
}

/// Checks an import against the reference and the API's field patterns (the WorkSpaces
/// API model: image names `^[a-zA-Z0-9_./()\\-]+$` up to 64 characters, descriptions
/// `^[a-zA-Z0-9_./() -]+$` up to 256), refusing a name the Region's images already use.
pub fn check_import(form: &ImportForm, images: &[Image]) -> Result<ImageImport, AppError> {
    let ec2_image_id = form.ec2_image_id.trim().to_string();
    if !is_ami_id(&ec2_image_id) {
        return Err(invalid(
            "ec2_image_id",
            format!("{ec2_image_id:?} is not an EC2 image id (ami- and 8 or 17 hex digits)"),
        ));
    }
    if !INGESTION_PROCESSES
        .iter()
        .any(|(value, _)| *value == form.ingestion_process)
    {
        return Err(invalid(
            "ingestion_process",
            "choose BYOL_REGULAR, BYOL_REGULAR_WSP, BYOL_GRAPHICS or BYOL_GRAPHICSPRO",
        ));
    }
    let name = form.name.trim().to_string();
    let name_ok = |c: char| c.is_ascii_alphanumeric() || "_./()-".contains(c);
    if name.is_empty() || name.chars().count() > 64 || !name.chars().all(name_ok) {
        return Err(invalid(
            "name",
            "use 1 to 64 letters, digits and _ . / ( ) -",
        ));
    }
    if images.iter().any(|image| {
        image.account == form.account && image.region == form.region && image.name == name
    }) {
        return Err(invalid(
            "name",
            format!("an image named {name} already exists in {}", form.region),
        ));
    }
    let description = form.description.trim().to_string();
    let description_ok = |c: char| c.is_ascii_alphanumeric() || "_./() -".contains(c);
    if description.is_empty()
        || description.chars().count() > 256
        || !description.chars().all(description_ok)
    {
        return Err(invalid(
            "description",
            "a description is required: 1 to 256 letters, digits, spaces and _ . / ( ) -",
        ));
    }
    let application = form.application.trim();
    let applications: Vec<String> = if application.is_empty() {
        Vec::new()
    } else if BYOL_APPLICATIONS.contains(&application) {
        vec![application.to_string()]
    } else {
        return Err(invalid(
            "application",
            "choose Microsoft_Office_2016 or Microsoft_Office_2019, or none",
        ));
    };
    if form.tags.len() > MAX_TAGS {
        return Err(invalid("tags", "an image takes at most 50 tags"));
    }
    Ok(ImageImport {
        ec2_image_id,
        ingestion_process: form.ingestion_process.clone(),
        name,
        description,
        tags: form.tags.clone(),
        applications,
    })
}

/// Plans an import: the call, and the new image in the cache as PENDING under the id AWS
/// answers. Pure: no database, no AWS.
pub fn plan_import(
    form: &ImportForm,
    images: &[Image],
    account: &AccountInfo,
) -> Result<(Plan, String), AppError> {
    let reason = changes::reason(&form.reason)?;
    if account.dedicated_tenancy_support.as_deref() != Some("ENABLED") {
        return Err(invalid(
            "region",
            format!(
                "BYOL is not enabled in {}: enable it on the account page first",
                form.region
            ),
        ));
    }
    let import = check_import(form, images)?;
    let pending = Image {
        id: String::new(),
        account: form.account.clone(),
        region: form.region.clone(),
        name: import.name.clone(),
        description: Some(import.description.clone()),
        state: Some("PENDING".into()),
        operating_system: Some("WINDOWS".into()),
        owner_account_id: None,
        // BYOL images need dedicated tenancy.
        required_tenancy: Some("DEDICATED".into()),
        created: Some(inventory::now()),
        shared_with: Vec::new(),
        error: None,
        owned: true,
        permissions_error: None,
    };
    let mut plan = Plan::single(
        "image.import",
        json!({
            "region": form.region,
            "account": form.account,
            "ec2_image_id": import.ec2_image_id,
            "ingestion_process": import.ingestion_process,
            "name": import.name,
            "description": import.description,
            "applications": import.applications,
            "tags": import.tags.iter().map(Tag::as_line).collect::<Vec<_>>(),
        }),
        (&form.account, &form.region),
        &import.ec2_image_id,
        Change::Image(ImageChange::Import(import.clone())),
        vec![CacheOp::Put {
            account: form.account.clone(),
            region: form.region.clone(),
            kind: ItemKind::Image,
            id: None,
            item: changes::item(&pending),
        }],
    );
    plan.reason = Some(reason);
    let done = format!(
        "Import of {} as {} started in {}; the image is PENDING until AWS finishes (this can take hours).",
        import.ec2_image_id, import.name, form.region
    );
    Ok((plan, done))
}

/// Imports a BYOL image (admin) and follows it until it leaves PENDING.
pub async fn import(caller: &Caller, form: ImportForm) -> Result<String, AppError> {
    caller.require_admin()?;
    let api = changes::region_api(&caller.workspaces, &form.account, &form.region)?;
    let images: Vec<Image> = inventory::items(caller.pool(), ItemKind::Image).await?;
    let account = api.describe_account().await?;
    let (executed, done) = caller
        .execute_described(plan_import(&form, &images, &account)?)
        .await?;
    if let Some(id) = executed.single_result()? {
        tokio::spawn(follow_image(
            caller.pool().clone(),
            api,
            id,
            FOLLOW_IMPORT_FOR,
        ));
    }
    Ok(done)
}

/// How long an import is followed (AWS takes hours; the sync takes over after).
pub const FOLLOW_IMPORT_FOR: Duration = Duration::from_secs(4 * 60 * 60);

/// Reads the Region's images every 30 seconds until `image_id` leaves PENDING (or `limit`
/// passes), storing what AWS says about it.
pub async fn follow_image(
    pool: AnyPool,
    api: Arc<dyn WorkspacesApi>,
    image_id: String,
    limit: Duration,
) {
    let deadline = tokio::time::Instant::now() + limit;
    while tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_secs(30)).await;
        let images = match all_pages(|t| api.describe_owned_images(t)).await {
            Ok(images) => images,
            Err(error) => {
                tracing::warn!(%image_id, "cannot follow an image import: {error}");
                continue;
            }
        };
        let Some(image) = images.into_iter().find(|i| i.id == image_id) else {
            continue;
        };
        let stored = async {
            let mut tx = pool.begin().await?;
            inventory::put_item(
                &mut tx,
                api.account(),
                &image.region,
                ItemKind::Image,
                &image.id,
                &image,
            )
            .await?;
            tx.commit().await
        };
        if let Err(error) = stored.await {
            tracing::warn!(%image_id, "cannot store a followed image: {error}");
        }
        if image.state.as_deref() != Some("PENDING") {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enabled(cidr: &str) -> AccountInfo {
        AccountInfo {
            dedicated_tenancy_support: Some("ENABLED".into()),
            management_cidr: Some(cidr.into()),
        }
    }

    fn form() -> ImportForm {
        ImportForm {
            account: String::new(),
            region: "eu-west-1".into(),
            ec2_image_id: "ami-0123456789abcdef0".into(),
            ingestion_process: "BYOL_REGULAR_WSP".into(),
            name: "Win10-BYOL-2026-12".into(),
            description: "Windows 10 22H2 (December)".into(),
            tags: Vec::new(),
            application: "Microsoft_Office_2019".into(),
            reason: "CHG-77".into(),
        }
    }

    fn refusal(result: Result<(Plan, String), AppError>) -> String {
        match result {
            Err(AppError::Validation { message, .. }) => message,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn byol_is_enabled_only_with_an_offered_slash_16() {
        let available = vec!["10.1.0.0/16".to_string(), "10.2.0.0/16".to_string()];
        let off = AccountInfo::default();
        let (plan, _) =
            plan_enable(("", "eu-west-1"), "10.2.0.0/16", &available, &off, "CHG-1").expect("plan");
        assert_eq!(
            plan.calls[0].change,
            Change::Account(AccountChange::EnableByol {
                management_cidr: "10.2.0.0/16".into()
            })
        );
        assert_eq!(plan.action, "account.enable_byol");
        // 000_694e23744a3a4a46.txt:5277: "The CIDR block size must be /16".
        assert!(
            refusal(plan_enable(
                ("", "eu-west-1"),
                "10.2.0.0/24",
                &available,
                &off,
                "CHG-1"
            ))
            .contains("not a /16")
        );
        assert!(
            refusal(plan_enable(
                ("", "eu-west-1"),
                "10.9.0.0/16",
                &available,
                &off,
                "CHG-1"
            ))
            .contains("does not offer")
        );
        assert!(
            refusal(plan_enable(
                ("", "eu-west-1"),
                "10.2.0.0/16",
                &available,
                &enabled("10.2.0.0/16"),
                "CHG-1"
            ))
            .contains("already enabled")
        );
        assert!(plan_enable(("", "eu-west-1"), "10.2.0.0/16", &available, &off, " ").is_err());
        assert!(management_search_range("10.0.0.0/8").is_ok());
        assert!(management_search_range("10.0.0.0/20").is_err());
    }

    #[test]
    fn an_import_is_checked_before_aws_is_called() {
        let account = enabled("10.200.0.0/16");
        let (plan, _) = plan_import(&form(), &[], &account).expect("plan");
        let Change::Image(ImageChange::Import(import)) = &plan.calls[0].change else {
            panic!("an import");
        };
        assert_eq!(
            import.applications,
            vec!["Microsoft_Office_2019".to_string()]
        );
        assert!(matches!(plan.cache[0].1, CacheOp::Put { id: None, .. }));

        let with = |change: &dyn Fn(&mut ImportForm)| {
            let mut f = form();
            change(&mut f);
            refusal(plan_import(&f, &[], &account))
        };
        assert!(with(&|f| f.ec2_image_id = "ami-12".into()).contains("EC2 image id"));
        assert!(with(&|f| f.ingestion_process = "BYOL_FAST".into()).contains("BYOL_REGULAR"));
        assert!(with(&|f| f.name = "bad name!".into()).contains("1 to 64"));
        assert!(with(&|f| f.description = String::new()).contains("description is required"));
        assert!(with(&|f| f.application = "Microsoft_Office_365".into()).contains("Office_2016"));
        let off = AccountInfo::default();
        assert!(refusal(plan_import(&form(), &[], &off)).contains("not enabled"));
        let taken: Image = serde_json::from_value(json!({
            "id": "wsi-1", "region": "eu-west-1", "name": "Win10-BYOL-2026-12",
            "description": null, "state": "AVAILABLE", "operating_system": null,
            "owner_account_id": null, "required_tenancy": null, "created": null,
        }))
        .expect("image");
        assert!(refusal(plan_import(&form(), &[taken], &account)).contains("already exists"));
    }
}
