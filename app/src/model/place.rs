//! Where a resource lives: a configured account and an AWS Region.
//!
//! Without an accounts file the account is `""` and everything reads as before (a
//! Region). With one, forms that create something choose a place from one menu whose
//! values are `account:region` (account names never contain `:`, see the accounts file
//! checks in the `server` crate), and pages name both.

/// The menu value of a place: the Region alone for the unnamed account.
pub fn place_value(account: &str, region: &str) -> String {
    if account.is_empty() {
        region.to_string()
    } else {
        format!("{account}:{region}")
    }
}

/// Splits a menu value made by [`place_value`] into (account, Region).
pub fn split_place(value: &str) -> (&str, &str) {
    match value.split_once(':') {
        Some((account, region)) => (account, region),
        None => ("", value),
    }
}

/// How a place is named in text: "us-east-1", or "prod us-east-1" with accounts.
pub fn place_name(account: &str, region: &str) -> String {
    if account.is_empty() {
        region.to_string()
    } else {
        format!("{account} {region}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_value_splits_back_into_account_and_region() {
        assert_eq!(
            split_place(&place_value("prod", "eu-west-1")),
            ("prod", "eu-west-1")
        );
        assert_eq!(
            split_place(&place_value("", "eu-west-1")),
            ("", "eu-west-1")
        );
        assert_eq!(place_name("", "eu-west-1"), "eu-west-1");
        assert_eq!(place_name("prod", "eu-west-1"), "prod eu-west-1");
    }
}
