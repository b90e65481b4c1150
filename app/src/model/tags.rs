//! Tags on WorkSpaces resources: the limits they must meet, the `Key=Value` text form
//! the pages use, and an edit as the two calls the API has (CreateTags, DeleteTags).

use serde::{Deserialize, Serialize};

/// A tag on a WorkSpaces resource.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// "Each WorkSpaces resource can have a maximum of 50 tags" (000_694e23744a3a4a46.txt:963).
pub const MAX_TAGS: usize = 50;
/// AWS's tagging rules (the reference names no lengths): keys 1–127 characters, values up
/// to 255, and keys starting with `aws:` are reserved for AWS.
pub const MAX_TAG_KEY_CHARS: usize = 127;
pub const MAX_TAG_VALUE_CHARS: usize = 255;

impl Tag {
    /// Why AWS would refuse this tag, if it would.
    pub fn problem(&self) -> Option<String> {
        let key_chars = self.key.chars().count();
        if key_chars == 0 || key_chars > MAX_TAG_KEY_CHARS {
            return Some(format!(
                "tag keys have 1 to {MAX_TAG_KEY_CHARS} characters ({:?} has {key_chars})",
                shorten(&self.key)
            ));
        }
        if self.key.to_ascii_lowercase().starts_with("aws:") {
            return Some(format!(
                "the key {:?} starts with aws:, which is reserved for AWS",
                self.key
            ));
        }
        if self.value.chars().count() > MAX_TAG_VALUE_CHARS {
            return Some(format!(
                "the value of {} is over {MAX_TAG_VALUE_CHARS} characters",
                self.key
            ));
        }
        for (what, text) in [("key", &self.key), ("value", &self.value)] {
            if let Some(bad) = text.chars().find(|c| !tag_char(*c)) {
                return Some(format!(
                    "the {what} {:?} has {bad:?}: tags take letters, digits, spaces and _ . : / = + - @",
                    shorten(text)
                ));
            }
        }
        None
    }

    /// `Key=Value`, as the pages write it.
    pub fn as_line(&self) -> String {
        format!("{}={}", self.key, self.value)
    }
}

/// Whether a tag key or value may hold `c`: the pattern of the API reference's Tag type
/// (https://docs.aws.amazon.com/workspaces/latest/api/API_Tag.html),
/// `[\p{L}\p{Z}\p{N}_.:/=+\-@]`: letters, separators, numbers and `_.:/=+-@`. So markup
/// (`<`, `>`, `"`) never goes to AWS from a Fleetdesk form.
fn tag_char(c: char) -> bool {
    c.is_alphanumeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c)
}

fn shorten(text: &str) -> String {
    text.chars().take(40).collect()
}

/// Reads `Key=Value` pairs separated by new lines or by `separator` (`;` in a CSV cell);
/// blank entries are skipped, a pair without `=` is a key with an empty value. Nothing
/// is checked: see [`check_tags`].
pub fn parse_tags(text: &str, separator: char) -> Vec<Tag> {
    text.split(['\n', separator])
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            let (key, value) = entry.split_once('=').unwrap_or((entry, ""));
            Tag {
                key: key.trim().to_string(),
                value: value.trim().to_string(),
            }
        })
        .collect()
}

/// Why AWS would refuse these tags on one resource, if it would: more than
/// [`MAX_TAGS`], a tag with a [`Tag::problem`], or a key given twice.
pub fn check_tags(tags: &[Tag]) -> Result<(), String> {
    if tags.len() > MAX_TAGS {
        return Err(format!("a resource takes at most {MAX_TAGS} tags"));
    }
    for (n, tag) in tags.iter().enumerate() {
        if let Some(problem) = tag.problem() {
            return Err(problem);
        }
        if tags[..n].iter().any(|other| other.key == tag.key) {
            return Err(format!("the key {} is given twice", tag.key));
        }
    }
    Ok(())
}

/// Reads and checks tags written one `Key=Value` per line, as the pages take them.
pub fn parse_tag_lines(text: &str) -> Result<Vec<Tag>, String> {
    let tags = parse_tags(text, '\n');
    check_tags(&tags)?;
    Ok(tags)
}

/// The tags of form field `field` (one `Key=Value` per line), or a 400 naming the field.
pub fn form_tags(field: &str, text: &str) -> Result<Vec<Tag>, crate::error::AppError> {
    parse_tag_lines(text).map_err(|message| crate::error::AppError::Validation {
        field: field.into(),
        message,
    })
}

/// Reads tag keys, one per line or separated by commas; blank entries are skipped.
pub fn parse_tag_keys(text: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for key in text
        .split(|c| c == '\n' || c == ',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        if !keys.iter().any(|k| k == key) {
            keys.push(key.to_string());
        }
    }
    keys
}

/// A change to a resource's tags: keys to create or overwrite (CreateTags) and keys to
/// delete (DeleteTags). Tags named in neither stay as they are in AWS.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagEdit {
    pub set: Vec<Tag>,
    pub remove: Vec<String>,
}

impl TagEdit {
    /// The edit that turns the tags an admin was shown into the tags they asked for:
    /// new or changed tags are set, tags they deleted are removed. Tags added in AWS
    /// after the page was shown are not in `shown`, so they are left alone.
    pub fn between(shown: &[Tag], wanted: &[Tag]) -> TagEdit {
        TagEdit {
            set: wanted
                .iter()
                .filter(|tag| !shown.contains(tag))
                .cloned()
                .collect(),
            remove: shown
                .iter()
                .filter(|old| !wanted.iter().any(|tag| tag.key == old.key))
                .map(|old| old.key.clone())
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.remove.is_empty()
    }

    /// The tags `before` becomes with this edit, sorted by key.
    pub fn apply(&self, before: &[Tag]) -> Vec<Tag> {
        let mut after: Vec<Tag> = before
            .iter()
            .filter(|t| !self.remove.contains(&t.key) && !self.set.iter().any(|s| s.key == t.key))
            .cloned()
            .collect();
        after.extend(self.set.iter().cloned());
        after.sort_by(|a, b| a.key.cmp(&b.key));
        after
    }

    /// A key both set and removed makes no sense; refuse it.
    pub fn conflict(&self) -> Option<String> {
        self.set
            .iter()
            .find(|tag| self.remove.contains(&tag.key))
            .map(|tag| format!("{} is both set and removed", tag.key))
    }
}

/// What the tags page shows about one resource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceTags {
    pub resource_id: String,
    /// "WorkSpace", "directory", "image", "bundle" or "IP group".
    pub kind: String,
    pub region: String,
    /// A name to recognise the resource by (user name, directory name, …).
    pub name: Option<String>,
    /// The page listing the resource, to go back to.
    pub back: String,
    /// The tags as AWS holds them now; `None` when they could not be read (`error`).
    pub tags: Option<Vec<Tag>>,
    pub error: Option<String>,
    pub can_edit: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(key: &str, value: &str) -> Tag {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }

    #[test]
    fn tag_lines_are_read_and_checked() {
        let tags = parse_tag_lines("CostCenter = 1234\n\nOwner=it\nTemp").expect("valid");
        assert_eq!(
            tags,
            vec![
                tag("CostCenter", "1234"),
                tag("Owner", "it"),
                tag("Temp", "")
            ]
        );
        assert!(
            parse_tag_lines("aws:createdBy=me")
                .unwrap_err()
                .contains("reserved")
        );
        assert!(parse_tag_lines("AWS:x=1").unwrap_err().contains("reserved"));
        assert!(parse_tag_lines("=value").unwrap_err().contains("1 to 127"));
        assert!(parse_tag_lines(&format!("{}=1", "k".repeat(128))).is_err());
        assert!(parse_tag_lines(&format!("k={}", "v".repeat(256))).is_err());
        assert!(parse_tag_lines(&format!("k={}", "é".repeat(255))).is_ok());
        // Issue 20, finding 3: the Tag type's pattern; markup is refused before AWS.
        assert!(parse_tag_lines("team=red/blue_1 @ops").is_ok());
        let markup = parse_tag_lines("note=</textarea><form action=//evil>").unwrap_err();
        assert!(markup.contains("'<'"), "{markup}");
        assert!(parse_tag_lines("k\u{0}=v").is_err());
        assert!(parse_tag_lines("a=1\na=2").unwrap_err().contains("twice"));
        let fifty_one: String = (0..51).map(|n| format!("k{n}=v\n")).collect();
        // 000_694e23744a3a4a46.txt:963: at most 50 tags per resource.
        assert!(
            parse_tag_lines(&fifty_one)
                .unwrap_err()
                .contains("at most 50")
        );
    }

    #[test]
    fn an_edit_sends_only_what_the_admin_changed() {
        let shown = vec![tag("A", "1"), tag("B", "2"), tag("C", "3")];
        let wanted = vec![tag("A", "1"), tag("B", "20"), tag("D", "4")];
        let edit = TagEdit::between(&shown, &wanted);
        assert_eq!(edit.set, vec![tag("B", "20"), tag("D", "4")]);
        assert_eq!(edit.remove, vec!["C".to_string()]);
        // A tag added in AWS after the page was shown survives the edit.
        let in_aws = vec![tag("A", "1"), tag("B", "2"), tag("C", "3"), tag("Z", "new")];
        assert_eq!(
            edit.apply(&in_aws),
            vec![
                tag("A", "1"),
                tag("B", "20"),
                tag("D", "4"),
                tag("Z", "new")
            ]
        );
        assert!(TagEdit::between(&shown, &shown).is_empty());
    }

    #[test]
    fn csv_cells_separate_tags_with_semicolons() {
        assert_eq!(
            parse_tags("a=1; b=2;", ';'),
            vec![tag("a", "1"), tag("b", "2")]
        );
        assert!(check_tags(&[tag(&"k".repeat(127), "v")]).is_ok());
    }

    #[test]
    fn keys_are_read_from_lines_or_commas_once_each() {
        assert_eq!(parse_tag_keys("a, b\nc\n\na"), vec!["a", "b", "c"]);
        let edit = TagEdit {
            set: vec![tag("a", "1")],
            remove: vec!["a".into()],
        };
        assert!(edit.conflict().is_some());
    }
}
