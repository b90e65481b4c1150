//! The names of the site's static files. `scripts/build-site.sh` (and cargo-leptos with
//! `hash-files`) names them after a hash of their content (`fleetdesk.<hash>.wasm`) and
//! lists the hashes in `hash.txt` next to the server binary, where Leptos' hydration
//! scripts read the JavaScript and wasm names; the stylesheet's name is read here from
//! the same file. A hashed name changes with the content, so browsers may keep the file
//! for good (`Cache-Control: immutable`, see the server's `assets` module).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The hash file's name, as Leptos expects it (`LeptosOptions::hash_file`'s default).
pub const HASH_FILE: &str = "hash.txt";

/// Where Leptos looks for the hash file: next to the running binary.
pub fn hash_file_path() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(HASH_FILE))
}

/// The hashes next to the binary, read once per process; `None` when the site was
/// built without hashed names (the server then serves `fleetdesk.css` and so on).
pub fn hashes() -> Option<&'static str> {
    static TEXT: OnceLock<Option<String>> = OnceLock::new();
    TEXT.get_or_init(|| std::fs::read_to_string(hash_file_path()?).ok())
        .as_deref()
}

/// The hash of `kind` (`js`, `wasm`, `css`) in a hash file's text (`css: 1a2b…` lines).
pub fn hash_of(text: &str, kind: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (file, hash) = line.trim().split_once(':')?;
        (file.trim() == kind).then(|| hash.trim().to_string())
    })
}

/// The stylesheet's URL: `/pkg/fleetdesk.<hash>.css` when the files are hashed, else
/// `/pkg/fleetdesk.css`.
pub fn stylesheet_href() -> String {
    match hashes().and_then(|text| hash_of(text, "css")) {
        Some(hash) => format!("/pkg/fleetdesk.{hash}.css"),
        None => "/pkg/fleetdesk.css".to_string(),
    }
}

/// Whether a file in `pkg/` carries a content hash in its name (`fleetdesk.<hash>.wasm`,
/// and its `.br`/`.gz` twins), so that it can be cached for good.
pub fn is_hashed(file_name: &str) -> bool {
    let Some(name) = Path::new(file_name).file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1].len() >= 16
        && parts[1]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_read_by_kind_and_hashed_names_are_told_apart() {
        let text = "js: Ab12Cd34Ef56Gh78\nwasm: 0011223344556677\ncss:  ffeeddccbbaa9988 \n";
        assert_eq!(hash_of(text, "css").as_deref(), Some("ffeeddccbbaa9988"));
        assert_eq!(hash_of(text, "wasm").as_deref(), Some("0011223344556677"));
        assert_eq!(hash_of(text, "split"), None);
        assert!(is_hashed("fleetdesk.0011223344556677.wasm"));
        assert!(is_hashed("fleetdesk.0011223344556677.wasm.br"));
        assert!(!is_hashed("fleetdesk.wasm"));
        assert!(!is_hashed("fleetdesk.css"));
        assert!(!is_hashed("fleetdesk.opt.wasm"));
    }
}
