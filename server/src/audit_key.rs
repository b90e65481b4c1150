//! The secret that keys the audit log's hash chain, kept in a file outside the database.
//!
//! Someone who can write the database can recompute a plain SHA-256 chain after editing
//! it; with an HMAC key they cannot, unless they also read this file. The file is made at
//! first start with 32 random bytes (hex) and mode 0600; a second line,
//! `keyed-from N`, says from which chain place on every entry must be keyed (entries
//! of a database older than the key keep their plain hashes).

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use crate::error::ServerError;

/// The audit key and the first chain place it must have keyed.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditKey {
    pub key: Vec<u8>,
    /// `None` right after the file was created: see [`record_keyed_from`].
    pub keyed_from: Option<i64>,
}

/// The key in `path`, creating the file with a new random key if there is none.
pub fn load_or_create(path: &Path) -> Result<AuditKey, ServerError> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let mut lines = text.lines();
            let key = lines.next().and_then(|line| parse(line.trim()));
            let keyed_from = lines
                .next()
                .and_then(|line| line.trim().strip_prefix("keyed-from "))
                .and_then(|n| n.parse().ok());
            match key {
                Some(key) => Ok(AuditKey {
                    key,
                    keyed_from: Some(keyed_from.unwrap_or(1)),
                }),
                None => Err(ServerError::Config(format!(
                    "{} does not hold an audit key (64 hexadecimal characters)",
                    path.display()
                ))),
            }
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            create(path).map(|key| AuditKey {
                key,
                keyed_from: None,
            })
        }
        Err(error) => Err(ServerError::Config(format!(
            "cannot read the audit key {}: {error}",
            path.display()
        ))),
    }
}

fn create(path: &Path) -> Result<Vec<u8>, ServerError> {
    let mut key = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut random| std::io::Read::read_exact(&mut random, &mut key))
        .map_err(|error| ServerError::Config(format!("cannot read random bytes: {error}")))?;
    let hex: String = key.iter().map(|byte| format!("{byte:02x}")).collect();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|error| {
            ServerError::Config(format!(
                "cannot create the audit key {}: {error}",
                path.display()
            ))
        })?;
    writeln!(file, "{hex}")?;
    tracing::info!(path = %path.display(), "created the audit key");
    Ok(key.to_vec())
}

/// Writes the `keyed-from` line into a key file just created: the next chain place.
pub fn record_keyed_from(path: &Path, seq: i64) -> Result<(), ServerError> {
    let mut file = std::fs::OpenOptions::new().append(true).open(path)?;
    writeln!(file, "keyed-from {seq}")?;
    Ok(())
}

fn parse(hex: &str) -> Option<Vec<u8>> {
    if hex.len() != 64 {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_is_made_once_with_owner_only_access_and_read_back() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("audit.key");
        let made = load_or_create(&path).expect("create");
        assert_eq!((made.key.len(), made.keyed_from), (32, None));
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        record_keyed_from(&path, 7).expect("keyed-from");
        let read = load_or_create(&path).expect("read");
        assert_eq!((read.key, read.keyed_from), (made.key, Some(7)));
        std::fs::write(&path, "not a key").expect("write");
        assert!(load_or_create(&path).is_err());
    }
}
