//! How AWS quotes values in validation messages: Java's `toString` of the parsed request.

use std::collections::BTreeMap;

use compact_str::{CompactString, ToCompactString};

/// Renders a value as AWS's validation messages quote it. Short texts (most quoted values)
/// stay inline: a violation's value costs no allocation.
pub trait AwsText {
    fn aws_text(&self) -> CompactString;
}

impl AwsText for String {
    fn aws_text(&self) -> CompactString {
        CompactString::from(self.as_str())
    }
}

impl AwsText for str {
    fn aws_text(&self) -> CompactString {
        CompactString::from(self)
    }
}

macro_rules! display_text {
    ($($t:ty),*) => {$(
        impl AwsText for $t {
            fn aws_text(&self) -> CompactString {
                self.to_compact_string()
            }
        }
    )*};
}
display_text!(bool, i8, i16, i32, i64, usize, f32, f64);

/// `open`, the parts joined with `, `, then `close`: how Java prints collections and objects.
pub fn joined(
    open: char,
    parts: impl IntoIterator<Item = CompactString>,
    close: char,
) -> CompactString {
    let mut out = CompactString::default();
    out.push(open);
    for (n, part) in parts.into_iter().enumerate() {
        if n > 0 {
            out.push_str(", ");
        }
        out.push_str(&part);
    }
    out.push(close);
    out
}

/// `label=value`, an entry of a map or a member of a structure.
pub fn entry(label: &str, value: &(impl AwsText + ?Sized)) -> CompactString {
    let mut out = CompactString::from(label);
    out.push('=');
    out.push_str(&value.aws_text());
    out
}

impl<T: AwsText> AwsText for Vec<T> {
    fn aws_text(&self) -> CompactString {
        joined('[', self.iter().map(AwsText::aws_text), ']')
    }
}

impl<K: AwsText, V: AwsText> AwsText for BTreeMap<K, V> {
    fn aws_text(&self) -> CompactString {
        joined('{', self.iter().map(|(k, v)| entry(&k.aws_text(), v)), '}')
    }
}

impl AwsText for serde_json::Value {
    fn aws_text(&self) -> CompactString {
        match self {
            serde_json::Value::String(s) => CompactString::from(s.as_str()),
            other => other.to_compact_string(),
        }
    }
}

impl<T: AwsText> AwsText for Box<T> {
    fn aws_text(&self) -> CompactString {
        (**self).aws_text()
    }
}

impl AwsText for serde_json::Number {
    fn aws_text(&self) -> CompactString {
        self.to_compact_string()
    }
}
