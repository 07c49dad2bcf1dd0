//! ARNs of the resources the emulator keeps: building them, and taking apart the ones clients
//! send (including Lambda's many `FunctionName` forms).

use std::sync::LazyLock;

use regex::Regex;

/// The only partition the emulator builds ARNs in.
pub const PARTITION: &str = "aws";

pub fn function_arn(region: &str, account: &str, name: &str, qualifier: Option<&str>) -> String {
    let unqualified = format!("arn:{PARTITION}:lambda:{region}:{account}:function:{name}");
    match qualifier {
        Some(qualifier) => format!("{unqualified}:{qualifier}"),
        None => unqualified,
    }
}

pub fn queue_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:{PARTITION}:sqs:{region}:{account}:{name}")
}

pub fn stream_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:{PARTITION}:kinesis:{region}:{account}:stream/{name}")
}

pub fn table_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:{PARTITION}:dynamodb:{region}:{account}:table/{name}")
}

pub fn table_stream_arn(region: &str, account: &str, table: &str, label: &str) -> String {
    format!("{}/stream/{label}", table_arn(region, account, table))
}

/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, where RESOURCE may itself hold `:` and `/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    pub fn parse(text: &'a str) -> Option<Self> {
        let mut parts = text.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        let arn = Arn {
            partition: parts.next()?,
            service: parts.next()?,
            region: parts.next()?,
            account: parts.next()?,
            resource: parts.next()?,
        };
        (!arn.partition.is_empty() && !arn.service.is_empty() && !arn.resource.is_empty())
            .then_some(arn)
    }

    /// The resource when this ARN is of `service` in `partition` `aws`.
    pub fn resource_of(&self, service: &str) -> Option<&'a str> {
        (self.partition == PARTITION && self.service == service).then_some(self.resource)
    }
}

/// Lambda's `FunctionName` pattern (the API reference's, with today's region forms).
pub const FUNCTION_NAME_PATTERN: &str = r"(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?";

static FUNCTION_NAME: LazyLock<Regex> = LazyLock::new(|| {
    // The named groups sit on the same spots as the unnamed ones of the documented pattern.
    Regex::new(
        r"^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:(?P<region>(?:eusc-)?[a-z]{2}(?:(?:-gov)|(?:-iso(?:[a-z]?)))?-[a-z]+-\d{1}):)?(?:(?P<account>\d{12}):)?(?:function:)?(?P<name>[a-zA-Z0-9-_\.]+)(?::(?P<qualifier>\$LATEST|[a-zA-Z0-9-_]+))?$",
    )
    .expect("the FunctionName pattern is a valid regex")
});

/// The pieces of a `FunctionName` in any of its forms: `name`, `name:qualifier`,
/// `ACCOUNT:function:name[:qualifier]` or `arn:aws:lambda:REGION:ACCOUNT:function:name[:qualifier]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunctionName<'a> {
    pub region: Option<&'a str>,
    pub account: Option<&'a str>,
    pub name: &'a str,
    pub qualifier: Option<&'a str>,
}

impl<'a> FunctionName<'a> {
    /// `None` when `text` does not match [`FUNCTION_NAME_PATTERN`].
    pub fn parse(text: &'a str) -> Option<Self> {
        // A full ARN must name its region and account; the pattern alone would let them go.
        if text.starts_with("arn:") && Arn::parse(text).is_none() {
            return None;
        }
        let captures = FUNCTION_NAME.captures(text)?;
        Some(FunctionName {
            region: captures.name("region").map(|m| m.as_str()),
            account: captures.name("account").map(|m| m.as_str()),
            name: captures.name("name")?.as_str(),
            qualifier: captures.name("qualifier").map(|m| m.as_str()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Region, account, name and qualifier.
    type Parts<'a> = (Option<&'a str>, Option<&'a str>, &'a str, Option<&'a str>);

    fn parts(text: &str) -> Option<Parts<'_>> {
        FunctionName::parse(text).map(|f| (f.region, f.account, f.name, f.qualifier))
    }

    #[test]
    fn function_name_forms() {
        assert_eq!(parts("fn"), Some((None, None, "fn", None)));
        assert_eq!(parts("fn:1"), Some((None, None, "fn", Some("1"))));
        assert_eq!(
            parts("fn:$LATEST"),
            Some((None, None, "fn", Some("$LATEST")))
        );
        assert_eq!(
            parts("123456789012:function:fn:live"),
            Some((None, Some("123456789012"), "fn", Some("live")))
        );
        assert_eq!(
            parts("arn:aws:lambda:eu-west-1:123456789012:function:fn"),
            Some((Some("eu-west-1"), Some("123456789012"), "fn", None))
        );
        assert_eq!(
            parts("arn:aws:lambda:us-gov-west-1:123456789012:function:fn:7"),
            Some((Some("us-gov-west-1"), Some("123456789012"), "fn", Some("7")))
        );
    }

    #[test]
    fn malformed_function_names() {
        for text in [
            "",
            "fn:a:b",
            "has space",
            "fn:$NOPE",
            "arn:aws:lambda",
            "fn/x",
        ] {
            assert_eq!(parts(text), None, "{text:?}");
        }
    }

    #[test]
    fn generic_arns() {
        let arn = Arn::parse("arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026")
            .expect("valid");
        assert_eq!(arn.resource_of("dynamodb"), Some("table/t/stream/2026"));
        assert_eq!(arn.resource_of("sqs"), None);
        assert_eq!(Arn::parse("arn:aws:sqs:r:a"), None);
        assert_eq!(Arn::parse("nope"), None);
    }
}
