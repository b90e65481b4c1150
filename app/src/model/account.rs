//! The account's bring-your-own-license (BYOL) settings per Region (release note 2018-11,
//! 003_73a90d7ae4a9d914.txt): dedicated tenancy, its management network, the history of
//! changes to it, and BYOL image imports.

use serde::{Deserialize, Serialize};

/// DescribeAccount (000_694e23744a3a4a46.txt:2318).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AccountInfo {
    /// `ENABLED` or `DISABLED`: whether BYOL (dedicated tenancy) is on.
    pub dedicated_tenancy_support: Option<String>,
    /// The /16 of the management network interface, when BYOL is on.
    pub management_cidr: Option<String>,
}

/// One change to the BYOL configuration (DescribeAccountModifications,
/// 003_73a90d7ae4a9d914.txt:321).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountModification {
    /// `PENDING`, `COMPLETED` or `FAILED`.
    pub state: Option<String>,
    pub dedicated_tenancy_support: Option<String>,
    pub management_cidr: Option<String>,
    pub start_time: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
}

/// The management CIDR ranges available within a searched range
/// (ListAvailableManagementCidrRanges, 000_694e23744a3a4a46.txt:5053).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CidrSearch {
    /// The range searched, e.g. `10.0.0.0/8`.
    pub constraint: String,
    pub ranges: Vec<String>,
    /// More ranges exist than the page shows.
    pub truncated: bool,
    /// Why the search failed (AWS answers AccessDenied to accounts AWS has not enabled
    /// for BYOL, 000_694e23744a3a4a46.txt:5061).
    pub error: Option<String>,
}

/// The BYOL state of one Region, read live from AWS.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegionAccount {
    /// The configured account's name (`""`: the only one); `account` below is what
    /// DescribeAccount says about it.
    pub aws_account: String,
    pub region: String,
    pub account: Option<AccountInfo>,
    pub account_error: Option<String>,
    /// Newest first, every page.
    pub modifications: Vec<AccountModification>,
    pub modifications_error: Option<String>,
    /// The CIDR search asked for on the page, if any.
    pub cidr_search: Option<CidrSearch>,
}

impl RegionAccount {
    /// A modification still in progress: the page follows it until it settles.
    pub fn has_pending(&self) -> bool {
        self.modifications
            .iter()
            .any(|m| m.state.as_deref() == Some("PENDING"))
    }
}

/// The account page: every configured Region, and whether the caller may change BYOL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    pub regions: Vec<RegionAccount>,
    pub can_edit: bool,
}

/// Most ranges the account page lists per search (the API pages them).
pub const MAX_CIDR_RANGES_SHOWN: usize = 100;

/// The ingestion processes of ImportWorkspaceImage (000_694e23744a3a4a46.txt:4905, :4933) and
/// what each is for.
pub const INGESTION_PROCESSES: [(&str, &str); 4] = [
    (
        "BYOL_REGULAR",
        "regular bundles (not Graphics or GraphicsPro), PCoIP",
    ),
    (
        "BYOL_REGULAR_WSP",
        "regular bundles, WorkSpaces Streaming Protocol (WSP)",
    ),
    ("BYOL_GRAPHICS", "Graphics bundles, PCoIP"),
    ("BYOL_GRAPHICSPRO", "GraphicsPro bundles, PCoIP"),
];

/// The Microsoft Office versions a Windows 10 BYOL import may subscribe to; "only one
/// item is allowed at this time" (000_694e23744a3a4a46.txt:4996).
pub const BYOL_APPLICATIONS: [&str; 2] = ["Microsoft_Office_2016", "Microsoft_Office_2019"];
