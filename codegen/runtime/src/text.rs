//! How AWS quotes values in validation messages: Java's `toString` of the parsed request.

use std::collections::BTreeMap;

/// Renders a value as AWS's validation messages quote it.
pub trait AwsText {
    fn aws_text(&self) -> String;
}

impl AwsText for String {
    fn aws_text(&self) -> String {
        self.clone()
    }
}

impl AwsText for str {
    fn aws_text(&self) -> String {
        self.to_owned()
    }
}

macro_rules! display_text {
    ($($t:ty),*) => {$(
        impl AwsText for $t {
            fn aws_text(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
display_text!(bool, i8, i16, i32, i64, f32, f64);

impl<T: AwsText> AwsText for Vec<T> {
    fn aws_text(&self) -> String {
        let items: Vec<String> = self.iter().map(AwsText::aws_text).collect();
        format!("[{}]", items.join(", "))
    }
}

impl<K: AwsText, V: AwsText> AwsText for BTreeMap<K, V> {
    fn aws_text(&self) -> String {
        let entries: Vec<String> = self
            .iter()
            .map(|(k, v)| format!("{}={}", k.aws_text(), v.aws_text()))
            .collect();
        format!("{{{}}}", entries.join(", "))
    }
}

impl AwsText for serde_json::Value {
    fn aws_text(&self) -> String {
        match self {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

impl<T: AwsText> AwsText for Box<T> {
    fn aws_text(&self) -> String {
        (**self).aws_text()
    }
}

impl AwsText for serde_json::Number {
    fn aws_text(&self) -> String {
        self.to_string()
    }
}
