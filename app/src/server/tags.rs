//! Tags as admins type them (`key=value`) and the rules AWS puts on them, shared by
//! every form that sends tags (directory registration, new WorkSpaces).

use crate::model::Tag;

/// Most tags a WorkSpaces resource takes (000_694e23744a3a4a46.txt:963: "a maximum of 50 tags").
pub const MAX_TAGS: usize = 50;

/// Reads `key=value` pairs separated by new lines or by `separator` (`;` in a CSV
/// cell); blank entries are skipped, a pair without `=` is a key with an empty value.
pub fn parse(text: &str, separator: char) -> Vec<Tag> {
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

/// Why AWS would refuse these tags, if it would: more than [`MAX_TAGS`], a key of
/// 1–127 characters or with the reserved `aws:` prefix, a value over 255 characters, a
/// key twice.
pub fn check(tags: &[Tag]) -> Result<(), String> {
    if tags.len() > MAX_TAGS {
        return Err(format!("a resource takes at most {MAX_TAGS} tags"));
    }
    for (n, tag) in tags.iter().enumerate() {
        let length = tag.key.chars().count();
        if length == 0 || length > 127 || tag.key.to_lowercase().starts_with("aws:") {
            return Err(format!(
                "{:?} is not a tag key (1–127 characters, not starting with aws:)",
                tag.key
            ));
        }
        if tag.value.chars().count() > 255 {
            return Err(format!("the value of {} is over 255 characters", tag.key));
        }
        if tags[..n].iter().any(|other| other.key == tag.key) {
            return Err(format!("the tag key {} is given twice", tag.key));
        }
    }
    Ok(())
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
    fn parses_lines_and_cells() {
        assert_eq!(
            parse("CostCenter = 1234\n\nOwner=it\nflag", ';'),
            vec![
                tag("CostCenter", "1234"),
                tag("Owner", "it"),
                tag("flag", "")
            ]
        );
        assert_eq!(parse("a=1; b=2;", ';'), vec![tag("a", "1"), tag("b", "2")]);
    }

    #[test]
    fn refuses_what_aws_refuses() {
        assert!(check(&[tag("CostCenter", "1234")]).is_ok());
        let fifty_one: Vec<Tag> = (0..51).map(|n| tag(&format!("k{n}"), "v")).collect();
        assert!(check(&fifty_one).unwrap_err().contains("at most 50"));
        assert!(check(&fifty_one[..50]).is_ok());
        assert!(check(&[tag("", "v")]).is_err());
        assert!(check(&[tag(&"k".repeat(128), "v")]).is_err());
        assert!(check(&[tag(&"k".repeat(127), "v")]).is_ok());
        assert!(
            check(&[tag("AWS:owner", "v")])
                .unwrap_err()
                .contains("aws:")
        );
        assert!(check(&[tag("k", &"v".repeat(256))]).is_err());
        assert!(check(&[tag("k", &"v".repeat(255))]).is_ok());
        assert!(
            check(&[tag("k", "1"), tag("k", "2")])
                .unwrap_err()
                .contains("twice")
        );
    }
}
