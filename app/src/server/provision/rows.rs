//! The provisioning form and its CSV read into rows: one [`RowInput`] per user with the
//! defaults filled in and each value checked, before any review against the cache.

use crate::error::AppError;
use crate::model::{
    Bundle, CSV_COLUMNS, Directory, Image, MAX_PROVISION_ROWS, PROTOCOLS, ProvisionForm,
    RUNNING_MODES, Tag,
};
use crate::server::changes::invalid;

use super::bundle_problem;

/// The auto-stop timeout when the form leaves it empty: the shortest AWS takes.
pub(super) const DEFAULT_AUTO_STOP_MINUTES: i32 = 60;

/// The values every row starts from, checked once.
#[derive(Debug, Clone, PartialEq)]
pub struct Defaults {
    pub directory: Directory,
    pub bundle_id: String,
    pub running_mode: String,
    pub auto_stop_timeout_minutes: i32,
    pub protocol: Option<String>,
    pub root_volume_encrypted: bool,
    pub user_volume_encrypted: bool,
    pub kms_key: Option<String>,
    pub tags: Vec<Tag>,
}

/// One requested row before it is checked: where it came from, its user name and the
/// CSV's overrides (`None` where the cell is absent or empty).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowInput {
    pub source: String,
    pub user_name: String,
    pub bundle_id: Option<String>,
    pub running_mode: Option<String>,
    pub auto_stop_timeout: Option<String>,
    pub root_volume_encryption: Option<String>,
    pub user_volume_encryption: Option<String>,
    pub tags: Option<String>,
    /// A row the CSV parser could not read, with the reason.
    pub unreadable: Option<String>,
}

/// Reads CSV text (RFC 4180: comma-separated, fields in double quotes may hold commas,
/// new lines and `""` for a quote) into records with the line each starts on. Blank
/// lines are skipped.
pub fn parse_csv(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let mut records = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut start = 1;
    let mut chars = text.chars().peekable();
    let finish = |record: &mut Vec<String>,
                  field: &mut String,
                  start: usize,
                  records: &mut Vec<(usize, Vec<String>)>| {
        record.push(std::mem::take(field));
        let fields = std::mem::take(record);
        if !(fields.len() == 1 && fields[0].trim().is_empty()) {
            records.push((start, fields));
        }
    };
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            (false, '"') if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                finish(&mut record, &mut field, start, &mut records);
                line += 1;
                start = line;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(format!(
            "a quoted field opened on line {start} is never closed"
        ));
    }
    finish(&mut record, &mut field, start, &mut records);
    Ok(records)
}

/// The rows of a form: the pasted user names (one a line), then the CSV's rows.
/// Refuses a CSV without a `user_name` column or with an unknown one, no rows at all,
/// and more than [`MAX_PROVISION_ROWS`].
pub fn rows_of(form: &ProvisionForm) -> Result<Vec<RowInput>, AppError> {
    let mut rows: Vec<RowInput> = form
        .users
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| RowInput {
            source: format!("users line {}", n + 1),
            user_name: line.trim().to_string(),
            ..RowInput::default()
        })
        .collect();
    if !form.csv.trim().is_empty() {
        let mut records = parse_csv(&form.csv).map_err(|message| invalid("csv", message))?;
        if records.is_empty() {
            // Only blank records (`""`): there is no header line to read.
            return Err(invalid(
                "csv",
                "the CSV has no header line; start it with user_name and the other columns",
            ));
        }
        let header: Vec<String> = records
            .remove(0)
            .1
            .iter()
            .map(|name| name.trim().trim_start_matches('\u{feff}').to_lowercase())
            .collect();
        for (n, name) in header.iter().enumerate() {
            if !CSV_COLUMNS.contains(&name.as_str()) {
                return Err(invalid(
                    "csv",
                    format!(
                        "the header has an unknown column {name:?}; the columns are {}",
                        CSV_COLUMNS.join(", ")
                    ),
                ));
            }
            if header[..n].contains(name) {
                return Err(invalid("csv", format!("the header names {name} twice")));
            }
        }
        if !header.iter().any(|name| name == "user_name") {
            return Err(invalid(
                "csv",
                "the first line must be a header with a user_name column",
            ));
        }
        for (line, fields) in records {
            let cell = |column: &str| {
                header
                    .iter()
                    .position(|name| name == column)
                    .and_then(|i| fields.get(i))
                    .map(|value| value.trim().to_string())
                    .filter(|value| !value.is_empty())
            };
            rows.push(RowInput {
                source: format!("CSV line {line}"),
                user_name: cell("user_name").unwrap_or_default(),
                bundle_id: cell("bundle_id"),
                running_mode: cell("running_mode"),
                auto_stop_timeout: cell("auto_stop_timeout_minutes"),
                root_volume_encryption: cell("root_volume_encryption"),
                user_volume_encryption: cell("user_volume_encryption"),
                tags: cell("tags"),
                unreadable: (fields.len() != header.len()).then(|| {
                    format!(
                        "the row has {} fields, the header {}",
                        fields.len(),
                        header.len()
                    )
                }),
            });
        }
    }
    if rows.is_empty() {
        return Err(invalid(
            "users",
            "enter at least one user name, or a CSV with a header and a row",
        ));
    }
    if rows.len() > MAX_PROVISION_ROWS {
        return Err(invalid(
            "users",
            format!(
                "one request creates at most {MAX_PROVISION_ROWS} WorkSpaces; this one has {} rows",
                rows.len()
            ),
        ));
    }
    Ok(rows)
}

/// A running mode as the API spells it, if it is one CreateWorkspaces takes.
pub(super) fn running_mode(value: &str) -> Option<String> {
    let mode = value.trim().to_uppercase();
    RUNNING_MODES.contains(&mode.as_str()).then_some(mode)
}

/// An auto-stop timeout: whole minutes, at least 60 and "Configured in 60-minute
/// intervals" (000_694e23744a3a4a46.txt:1440).
pub(super) fn auto_stop_minutes(value: &str) -> Result<i32, String> {
    match value.trim().parse::<i32>() {
        Ok(minutes) if minutes >= 60 && minutes % 60 == 0 => Ok(minutes),
        _ => Err(format!(
            "the auto-stop timeout {:?} is not a multiple of 60 minutes",
            value.trim()
        )),
    }
}

/// A yes/no cell of the CSV.
pub(super) fn yes_no(value: &str) -> Option<bool> {
    match value.trim().to_lowercase().as_str() {
        "true" | "yes" | "1" | "y" => Some(true),
        "false" | "no" | "0" | "n" => Some(false),
        _ => None,
    }
}

/// Why `name` cannot be a directory user name, if it cannot: the API takes 1–63
/// characters, and Active Directory user names hold no spaces, control characters or
/// any of `" / \ [ ] : ; | = , + * ? < >`.
pub fn user_name_problem(name: &str) -> Option<String> {
    const FORBIDDEN: &str = "\"/\\[]:;|=,+*?<>";
    let length = name.chars().count();
    if length == 0 {
        return Some("the user name is empty".into());
    }
    if length > 63 {
        return Some(format!("the user name is {length} characters; at most 63"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || FORBIDDEN.contains(*c))
    {
        return Some(format!("the user name may not contain {c:?}"));
    }
    None
}

/// Checks the form's values every row starts from, against the cached directories,
/// bundles and images (the bundle's image tells whether it needs DEDICATED tenancy).
/// Each refusal names its field. Whether the protocol suits a row's bundle is decided
/// per row by the review, as CSV rows may name other bundles.
pub fn defaults(
    form: &ProvisionForm,
    directories: &[Directory],
    bundles: &[Bundle],
    images: &[Image],
) -> Result<Defaults, AppError> {
    let directory = directories
        .iter()
        .find(|d| d.id == form.directory_id.trim())
        .cloned()
        .ok_or_else(|| {
            invalid(
                "directory_id",
                "choose a directory registered with WorkSpaces",
            )
        })?;
    if let Some(state) = directory.state.as_deref().filter(|s| *s != "REGISTERED") {
        return Err(invalid(
            "directory_id",
            format!("directory {} is {state}, not REGISTERED", directory.id),
        ));
    }
    let bundle_id = form.bundle_id.trim().to_string();
    if let Some(problem) = bundle_problem(&bundle_id, &directory, bundles, images) {
        return Err(invalid("bundle_id", problem));
    }
    let mode = running_mode(&form.running_mode)
        .ok_or_else(|| invalid("running_mode", "choose AUTO_STOP, ALWAYS_ON or MANUAL"))?;
    let auto_stop_timeout_minutes = match form.auto_stop_timeout.trim() {
        "" => DEFAULT_AUTO_STOP_MINUTES,
        text => auto_stop_minutes(text).map_err(|message| invalid("auto_stop_timeout", message))?,
    };
    let protocol = match form.protocol.trim().to_uppercase().as_str() {
        "" => None,
        p if PROTOCOLS.contains(&p) => Some(p.to_string()),
        _ => return Err(invalid("protocol", "choose PCOIP or WSP")),
    };
    let kms_key = Some(form.kms_key.trim().to_string()).filter(|k| !k.is_empty());
    if let Some(key) = &kms_key
        && (key.len() > 2048 || key.chars().any(char::is_whitespace))
    {
        return Err(invalid(
            "kms_key",
            "enter a KMS key id, alias or ARN without spaces",
        ));
    }
    let encrypting = form.root_volume_encryption || form.user_volume_encryption;
    if encrypting && kms_key.is_none() {
        return Err(invalid(
            "kms_key",
            "encrypting a volume needs the KMS key to encrypt it with",
        ));
    }
    let tags = crate::model::parse_tags(&form.tags, '\n');
    crate::model::check_tags(&tags).map_err(|message| invalid("tags", message))?;
    Ok(Defaults {
        directory,
        bundle_id,
        running_mode: mode,
        auto_stop_timeout_minutes,
        protocol,
        root_volume_encrypted: form.root_volume_encryption,
        user_volume_encrypted: form.user_volume_encryption,
        kms_key,
        tags,
    })
}
