//! Which bundle fits where, by the reference: a bring-your-own-license (BYOL) bundle
//! needs a directory with dedicated tenancy, and the streaming protocol cannot be chosen
//! for Windows 7 or GPU-based bundles. Pure functions over the cached bundle, its image,
//! the directory and the WorkSpace, so that provisioning (`server/provision`) and the
//! WorkSpace actions (migrate, modify) decide the same way before any AWS call.

use super::{Bundle, Directory, Image, PROTOCOLS, Workspace};

/// The compute types of GPU-based bundles, for which the protocol cannot be chosen:
/// "Graphics, GraphicsPro, Graphics.g4dn, and GraphicsPro.g4dn"
/// (004_989ae404788726c9.txt:1119), spelt as the API spells them
/// (004_989ae404788726c9.txt:1028).
pub const GPU_COMPUTE_TYPES: [&str; 4] = [
    "GRAPHICS",
    "GRAPHICSPRO",
    "GRAPHICS_G4DN",
    "GRAPHICSPRO_G4DN",
];

/// The cached image `bundle` is built from: the bundle's ImageId
/// (000_694e23744a3a4a46.txt:3253) among `images` of the same account and Region.
/// `None` when the bundle names no image or the image is not cached (AWS's public
/// bundles use images the account does not list).
pub fn bundle_image<'a>(bundle: &Bundle, images: &'a [Image]) -> Option<&'a Image> {
    let image_id = bundle.image_id.as_deref()?;
    images.iter().find(|image| {
        image.id == image_id && image.region == bundle.region && image.account == bundle.account
    })
}

/// Why `bundle` cannot be used in `directory` because of tenancy, if it cannot.
///
/// An image "running on dedicated hardware" has RequiredTenancy `DEDICATED` (BYOL,
/// 000_694e23744a3a4a46.txt:4070), and to use BYOL the directory's Tenancy "must be set
/// to `DEDICATED`" (000_694e23744a3a4a46.txt:3740); a directory whose tenancy the cache
/// does not know is refused too, as AWS would likely refuse it. The reference states no
/// rule the other way round (a `DEFAULT` image in a `DEDICATED` directory), so that
/// passes. `image` is the bundle's cached image ([`bundle_image`]); without it there is
/// nothing to check.
pub fn tenancy_problem(
    bundle: &Bundle,
    image: Option<&Image>,
    directory: &Directory,
) -> Option<String> {
    let image = image?;
    if !image.is_byol() {
        return None;
    }
    let tenancy = match directory.tenancy.as_deref() {
        Some("DEDICATED") => return None,
        Some(other) => format!("is {other}"),
        None => "is not known (refresh the inventory)".to_string(),
    };
    Some(format!(
        "bundle {} uses BYOL image {} ({}), which needs a directory with DEDICATED tenancy; \
         the tenancy of directory {} {tenancy}",
        bundle.id, image.id, image.name, directory.id
    ))
}

/// Whether a text (a name or description) names Windows 7: `Windows 7`, `Windows_7`,
/// `Windows-7`, `Windows7` or `Win7`, in any case, not followed by a digit (so
/// `Windows 70` is not).
fn names_windows_7(text: &str) -> bool {
    let text: String = text
        .to_lowercase()
        .chars()
        .map(|c| if c == '_' || c == '-' { ' ' } else { c })
        .collect();
    ["windows 7", "windows7", "win 7", "win7"]
        .iter()
        .any(|pattern| {
            text.match_indices(pattern).any(|(at, _)| {
                let before = text[..at].chars().next_back();
                let after = text[at + pattern.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(|c| c.is_ascii_digit())
            })
        })
}

/// Whether `bundle` (with its cached `image`) is a Windows 7 bundle. The API gives an
/// image's operating system only as `WINDOWS` or `LINUX` (000_694e23744a3a4a46.txt:3992),
/// so the version is read from the image's and the bundle's names and descriptions
/// (`Windows 7`, `Win7`); an image whose operating system is spelt `WINDOWS_7` (the
/// OperatingSystemName of 004_989ae404788726c9.txt:1032) counts too.
pub fn is_windows_7_bundle(bundle: &Bundle, image: Option<&Image>) -> bool {
    let mut texts: Vec<&str> = vec![bundle.name.as_str()];
    texts.extend(bundle.description.as_deref());
    if let Some(image) = image {
        if image.operating_system.as_deref() == Some("WINDOWS_7") {
            return true;
        }
        texts.push(image.name.as_str());
        texts.extend(image.description.as_deref());
    }
    texts.into_iter().any(names_windows_7)
}

/// Why `protocol` cannot be asked for on a WorkSpace of `compute_type` (Windows 7 when
/// `windows_7`), if it cannot. The Protocols property is case sensitive, `PCOIP` or `WSP`
/// (004_989ae404788726c9.txt:1117, :1875), and unavailable "for Windows 7 WorkSpaces and
/// WorkSpaces using GPU-based bundles" (004_989ae404788726c9.txt:1119, :1877): such a
/// WorkSpace keeps its bundle's protocol, so no protocol may be sent for it at all.
pub fn protocol_choice_problem(
    compute_type: Option<&str>,
    windows_7: bool,
    protocol: &str,
) -> Option<String> {
    if !PROTOCOLS.contains(&protocol) {
        return Some(format!(
            "unknown protocol {protocol:?}: the API takes PCOIP or WSP, in capitals"
        ));
    }
    if let Some(gpu) = compute_type.filter(|c| GPU_COMPUTE_TYPES.contains(c)) {
        return Some(format!(
            "the protocol cannot be chosen for GPU-based bundles ({gpu}); \
             leave it at the bundle's default"
        ));
    }
    if windows_7 {
        return Some(
            "the protocol cannot be chosen for Windows 7 WorkSpaces; \
             leave it at the bundle's default"
                .into(),
        );
    }
    None
}

/// Why a new WorkSpace from `bundle` (with its cached `image`, see [`bundle_image`])
/// cannot be given `protocol`, if it cannot: [`protocol_choice_problem`] with the
/// bundle's compute type and [`is_windows_7_bundle`].
pub fn protocol_problem(bundle: &Bundle, image: Option<&Image>, protocol: &str) -> Option<String> {
    protocol_choice_problem(
        bundle.compute_type.as_deref(),
        is_windows_7_bundle(bundle, image),
        protocol,
    )
}

/// Why `workspace` cannot be switched to `protocol` (ModifyWorkspaceProperties'
/// Protocols, 004_989ae404788726c9.txt:1873-1877), if it cannot. Its compute type is the
/// WorkSpace's own, else its bundle's; it is Windows 7 when its OperatingSystemName is
/// `WINDOWS_7` or its bundle is ([`is_windows_7_bundle`]). `bundle` and `image` are the
/// WorkSpace's cached bundle and that bundle's image, when known.
pub fn workspace_protocol_problem(
    workspace: &Workspace,
    bundle: Option<&Bundle>,
    image: Option<&Image>,
    protocol: &str,
) -> Option<String> {
    let compute_type = workspace
        .compute_type
        .as_deref()
        .or_else(|| bundle.and_then(|b| b.compute_type.as_deref()));
    let windows_7 = workspace.operating_system.as_deref() == Some("WINDOWS_7")
        || bundle.is_some_and(|b| is_windows_7_bundle(b, image));
    protocol_choice_problem(compute_type, windows_7, protocol)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The fixtures are read from JSON, the way the cache stores them, so that a field
    // added to these types elsewhere does not break them.

    fn bundle(id: &str, compute: &str, image_id: Option<&str>) -> Bundle {
        serde_json::from_value(serde_json::json!({
            "id": id, "region": "eu-west-1", "name": format!("{id} name"),
            "compute_type": compute, "image_id": image_id,
        }))
        .expect("bundle")
    }

    fn image(id: &str, name: &str, tenancy: &str) -> Image {
        serde_json::from_value(serde_json::json!({
            "id": id, "region": "eu-west-1", "name": name, "operating_system": "WINDOWS",
            "required_tenancy": tenancy,
        }))
        .expect("image")
    }

    fn directory(tenancy: Option<&str>) -> Directory {
        serde_json::from_value(serde_json::json!({
            "id": "d-1234567890", "region": "eu-west-1", "state": "REGISTERED",
            "dns_ip_addresses": [], "subnet_ids": [], "ip_group_ids": [], "tenancy": tenancy,
        }))
        .expect("directory")
    }

    /// 000_694e23744a3a4a46.txt:4070 (a BYOL image's RequiredTenancy is DEDICATED) and
    /// :3740 (BYOL needs the directory's Tenancy DEDICATED).
    #[test]
    fn a_byol_bundle_needs_a_dedicated_directory() {
        let images = [
            image("wsi-byol", "Win10-BYOL", "DEDICATED"),
            image("wsi-std", "Win2022", "DEFAULT"),
        ];
        let byol = bundle("wsb-byol", "STANDARD", Some("wsi-byol"));
        let plain = bundle("wsb-std", "STANDARD", Some("wsi-std"));
        let image = bundle_image(&byol, &images);
        assert_eq!(image.map(|i| i.id.as_str()), Some("wsi-byol"));
        let shared = tenancy_problem(&byol, image, &directory(Some("SHARED"))).unwrap_or_default();
        assert!(
            shared.contains("DEDICATED") && shared.contains("is SHARED"),
            "{shared}"
        );
        assert!(tenancy_problem(&byol, image, &directory(None)).is_some());
        assert_eq!(
            tenancy_problem(&byol, image, &directory(Some("DEDICATED"))),
            None
        );
        // The reference sets no rule for a DEFAULT image in either directory.
        for tenancy in ["SHARED", "DEDICATED"] {
            let image = bundle_image(&plain, &images);
            assert_eq!(
                tenancy_problem(&plain, image, &directory(Some(tenancy))),
                None
            );
        }
        // An image of another Region is not the bundle's; an uncached one checks nothing.
        let mut elsewhere = byol.clone();
        elsewhere.region = "us-east-1".into();
        assert!(bundle_image(&elsewhere, &images).is_none());
        assert_eq!(
            tenancy_problem(&byol, None, &directory(Some("SHARED"))),
            None
        );
    }

    /// 004_989ae404788726c9.txt:1119 and :1877: no protocol choice for Windows 7 or
    /// GPU-based bundles; :1117 and :1875: PCOIP or WSP, case sensitive.
    #[test]
    fn the_protocol_cannot_be_chosen_for_windows_7_or_gpu_bundles() {
        for gpu in GPU_COMPUTE_TYPES {
            let b = bundle("wsb-gpu", gpu, None);
            for protocol in PROTOCOLS {
                let problem = protocol_problem(&b, None, protocol).unwrap_or_default();
                assert!(problem.contains("GPU-based"), "{gpu} {protocol}: {problem}");
            }
        }
        let standard = bundle("wsb-std", "STANDARD", None);
        assert_eq!(protocol_problem(&standard, None, "WSP"), None);
        assert_eq!(protocol_problem(&standard, None, "PCOIP"), None);
        assert!(protocol_problem(&standard, None, "wsp").is_some());
        let mut win7 = bundle("wsb-7", "STANDARD", None);
        win7.name = "Standard with Windows 7".into();
        assert!(
            protocol_problem(&win7, None, "WSP")
                .unwrap_or_default()
                .contains("Windows 7")
        );
        let win7_image = image("wsi-7", "Win7-BYOL-2026", "DEDICATED");
        assert!(protocol_problem(&standard, Some(&win7_image), "WSP").is_some());
    }

    #[test]
    fn windows_7_is_read_from_names_not_confused_with_other_versions() {
        for text in [
            "Windows 7",
            "win7 office",
            "Corp WINDOWS_7 image",
            "Windows-7 BYOL",
        ] {
            assert!(names_windows_7(text), "{text}");
        }
        for text in [
            "Windows 10",
            "Windows 11",
            "Windows 70",
            "Darwin7",
            "Server 2017",
        ] {
            assert!(!names_windows_7(text), "{text}");
        }
    }

    /// 004_989ae404788726c9.txt:1873-1877: ModifyWorkspaceProperties' Protocols, the
    /// same rule for a WorkSpace.
    #[test]
    fn a_workspace_is_judged_by_its_own_compute_type_and_operating_system() {
        let ws = Workspace {
            compute_type: Some("GRAPHICSPRO".into()),
            ..Workspace::default()
        };
        assert!(workspace_protocol_problem(&ws, None, None, "WSP").is_some());
        let ws = Workspace {
            compute_type: Some("STANDARD".into()),
            operating_system: Some("WINDOWS_7".into()),
            ..Workspace::default()
        };
        assert!(workspace_protocol_problem(&ws, None, None, "WSP").is_some());
        let ws = Workspace {
            compute_type: None,
            operating_system: Some("WINDOWS_10".into()),
            ..Workspace::default()
        };
        let gpu = bundle("wsb-gpu", "GRAPHICS_G4DN", None);
        assert!(workspace_protocol_problem(&ws, Some(&gpu), None, "PCOIP").is_some());
        assert_eq!(workspace_protocol_problem(&ws, None, None, "WSP"), None);
    }
}
