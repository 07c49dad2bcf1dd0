//! Timestamps as restJson1 sends them: epoch seconds, fractions allowed.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// Seconds since the Unix epoch. Serialises as a JSON number, integral when it has no fraction.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Timestamp(pub f64);

impl Timestamp {
    pub fn now() -> Timestamp {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        // AWS reports LastModified with millisecond precision.
        Timestamp((now.as_millis() as f64) / 1000.0)
    }

    pub fn seconds(self) -> f64 {
        self.0
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.fract() == 0.0 && self.0.abs() < 9.0e15 {
            serializer.serialize_i64(self.0 as i64)
        } else {
            serializer.serialize_f64(self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let seconds = f64::deserialize(deserializer)?;
        if seconds.is_finite() {
            Ok(Timestamp(seconds))
        } else {
            Err(serde::de::Error::custom(
                "a timestamp must be a finite number of epoch seconds",
            ))
        }
    }
}

impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> Cow<'static, str> {
        "Timestamp".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "number", "description": "Epoch seconds; fractions allowed." })
    }
}

impl crate::AwsText for Timestamp {
    fn aws_text(&self) -> compact_str::CompactString {
        Serialize::serialize(self, serde_json::value::Serializer)
            .map(|v| compact_str::ToCompactString::to_compact_string(&v))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integral_seconds_stay_integers_and_fractions_survive() {
        assert_eq!(
            serde_json::to_string(&Timestamp(1741010802.0)).unwrap(),
            "1741010802"
        );
        assert_eq!(
            serde_json::to_string(&Timestamp(1741010802.25)).unwrap(),
            "1741010802.25"
        );
        let back: Timestamp = serde_json::from_str("1.5").unwrap();
        assert_eq!(back, Timestamp(1.5));
    }
}
