//! Images and bundles.

use serde::{Deserialize, Serialize};

/// A bundle with the number of WorkSpaces using it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BundleSummary {
    pub bundle: Bundle,
    pub workspaces: usize,
}

/// Images and bundles, shown together.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub images: Vec<ImageSummary>,
    pub bundles: Vec<BundleSummary>,
    /// The configured Regions (destinations of an image copy).
    pub regions: Vec<String>,
    /// Whether the caller may share and delete images (admin).
    pub can_edit: bool,
}

/// A WorkSpaces image.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Image {
    pub id: String,
    pub region: String,
    /// The configured account it belongs to (`""`: the one account of a setup
    /// without an accounts file).
    #[serde(default)]
    pub account: String,
    pub name: String,
    pub description: Option<String>,
    pub state: Option<String>,
    pub operating_system: Option<String>,
    pub owner_account_id: Option<String>,
    pub required_tenancy: Option<String>,
    pub created: Option<String>,
    /// AWS account ids the image is shared with (filled by the sync).
    #[serde(default)]
    pub shared_with: Vec<String>,
    /// Why the image is in ERROR: `code: message`.
    #[serde(default)]
    pub error: Option<String>,
    /// Whether the account owns the image (else it is shared with the account); only
    /// owned images can be shared, unshared or deleted.
    #[serde(default)]
    pub owned: bool,
    /// Why the accounts the image is shared with could not be read, if they could not.
    #[serde(default)]
    pub permissions_error: Option<String>,
}

impl Image {
    /// A bring-your-own-license image: it needs dedicated tenancy.
    pub fn is_byol(&self) -> bool {
        self.required_tenancy.as_deref() == Some("DEDICATED")
    }
}

/// An image with the bundles (`name (id)`) that use it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImageSummary {
    pub image: Image,
    pub bundles: Vec<String>,
}

/// A WorkSpaces bundle (hardware + image a WorkSpace is launched from).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    pub id: String,
    pub region: String,
    /// The configured account it belongs to (`""`: the one account of a setup
    /// without an accounts file).
    #[serde(default)]
    pub account: String,
    pub name: String,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub compute_type: Option<String>,
    pub root_storage_gib: Option<String>,
    pub user_storage_gib: Option<String>,
    pub image_id: Option<String>,
    /// `AVAILABLE`, `PENDING` or `ERROR`.
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub last_updated: Option<String>,
    /// `REGULAR` or `STANDBY` (a bundle for standby WorkSpaces, 002_363a3ccb364b572d.txt:142).
    #[serde(default)]
    pub bundle_type: Option<String>,
    #[serde(default)]
    pub created: Option<String>,
}

/// Compute types a custom bundle can use: every one CreateWorkspaceBundle accepts,
/// `VALUE` to `GRAPHICSPRO` (000_694e23744a3a4a46.txt:1038) and the G4dn types the 2022-11
/// release note adds (002_363a3ccb364b572d.txt:75). `GRAPHICS` and `GRAPHICSPRO` are
/// the bundles of images imported with `BYOL_GRAPHICS` and `BYOL_GRAPHICSPRO`
/// (000_694e23744a3a4a46.txt:4905).
pub const BUNDLE_COMPUTE_TYPES: [&str; 9] = [
    "VALUE",
    "STANDARD",
    "PERFORMANCE",
    "POWER",
    "GRAPHICS",
    "POWERPRO",
    "GRAPHICSPRO",
    "GRAPHICS_G4DN",
    "GRAPHICSPRO_G4DN",
];

/// What updating a bundle's image does not do, in the reference's words
/// (000_694e23744a3a4a46.txt:7034): shown on the bundle's "update image" form and in the
/// answer to the update.
pub const BUNDLE_UPDATE_WARNING: &str = "Existing WorkSpaces aren't automatically updated when you update the bundle that they're based on: to update them, rebuild them or delete and recreate them. Only WorkSpaces launched from the bundle afterwards get the new image.";

/// The change an image form asks for (its `op` field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageOp {
    Share,
    Unshare,
    Copy,
    Delete,
}

/// The change a bundle form asks for (its `op` field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BundleOp {
    Create,
    Update,
    Delete,
}
