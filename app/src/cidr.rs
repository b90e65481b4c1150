//! IPv4 CIDR rules for IP access control groups: parse, validate and show the canonical
//! form, so a typo or a rule with host bits set is explained before it reaches AWS.

/// A parsed IPv4 network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cidr {
    pub address: u32,
    pub prefix: u8,
}

impl Cidr {
    /// The network address with host bits cleared.
    pub fn network(self) -> u32 {
        if self.prefix == 0 {
            0
        } else {
            self.address & (u32::MAX << (32 - u32::from(self.prefix)))
        }
    }

    pub fn is_canonical(self) -> bool {
        self.network() == self.address
    }

    /// The canonical text, e.g. `10.0.0.0/8`.
    pub fn canonical(self) -> String {
        let n = self.network();
        format!(
            "{}.{}.{}.{}/{}",
            n >> 24,
            (n >> 16) & 255,
            (n >> 8) & 255,
            n & 255,
            self.prefix
        )
    }
}

/// Parses `a.b.c.d/n` (a bare address means `/32`). Errors say what is wrong; host bits
/// set are refused with the canonical network offered instead.
pub fn parse_rule(text: &str) -> Result<Cidr, String> {
    let text = text.trim();
    let (address, prefix) = match text.split_once('/') {
        Some((address, prefix)) => (address, prefix),
        None => (text, "32"),
    };
    let octets: Vec<&str> = address.split('.').collect();
    if octets.len() != 4 {
        return Err(format!(
            "{text} is not an IPv4 address (a.b.c.d or a.b.c.d/n)"
        ));
    }
    let mut value: u32 = 0;
    for octet in octets {
        let byte: u8 = octet
            .parse()
            .ok()
            .filter(|_| !octet.is_empty() && (octet == "0" || !octet.starts_with('0')))
            .ok_or_else(|| format!("{octet} in {text} is not a number from 0 to 255"))?;
        value = (value << 8) | u32::from(byte);
    }
    let prefix: u8 = prefix
        .parse()
        .ok()
        .filter(|p| *p <= 32)
        .ok_or_else(|| format!("/{prefix} in {text} is not a prefix length from 0 to 32"))?;
    let cidr = Cidr {
        address: value,
        prefix,
    };
    if !cidr.is_canonical() {
        return Err(format!(
            "{text} has host bits set; did you mean {}?",
            cidr.canonical()
        ));
    }
    Ok(cidr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_rules_parse_to_their_canonical_form() {
        assert_eq!(
            parse_rule("203.0.113.0/24").map(Cidr::canonical),
            Ok("203.0.113.0/24".into())
        );
        assert_eq!(
            parse_rule(" 192.0.2.10 ").map(Cidr::canonical),
            Ok("192.0.2.10/32".into())
        );
        assert_eq!(
            parse_rule("0.0.0.0/0").map(Cidr::canonical),
            Ok("0.0.0.0/0".into())
        );
        assert_eq!(
            parse_rule("10.0.0.0/8").map(Cidr::canonical),
            Ok("10.0.0.0/8".into())
        );
    }

    #[test]
    fn bad_rules_are_refused_with_a_reason() {
        let error = parse_rule("203.0.113.7/24").expect_err("host bits");
        assert!(error.contains("did you mean 203.0.113.0/24"), "{error}");
        assert!(parse_rule("256.0.0.1").is_err());
        assert!(parse_rule("10.0.0/8").is_err());
        assert!(parse_rule("10.0.0.0/33").is_err());
        assert!(parse_rule("10.0.0.0/").is_err());
        assert!(
            parse_rule("010.0.0.0/8").is_err(),
            "leading zeros are ambiguous"
        );
        assert!(
            parse_rule("2001:db8::/32").is_err(),
            "IPv6 is not accepted by IP groups"
        );
        assert!(parse_rule("").is_err());
    }
}
