//! The traits the reader understands, and the ones it knows carry no meaning for conform.

use serde::Serialize;
use serde_json::{Map, Number, Value};

use crate::error::SpecErrorKind;

/// Length bounds (`smithy.api#length`): counted in Unicode scalar values for strings, items for
/// lists and entries for maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Bounds {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
}

/// Value bounds (`smithy.api#range`), kept as written in the model so messages quote them exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NumericBounds {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<Number>,
}

impl Bounds {
    /// Why no length satisfies the bounds (`min` above `max`), as Smithy refuses them.
    pub fn inversion(&self) -> Option<String> {
        match (self.min, self.max) {
            (Some(min), Some(max)) if min > max => Some(inverted(min, max)),
            _ => None,
        }
    }
}

impl NumericBounds {
    /// Why no value satisfies the bounds (`min` above `max`), as Smithy refuses them.
    pub fn inversion(&self) -> Option<String> {
        let (min, max) = (self.min.as_ref()?, self.max.as_ref()?);
        // Integers compare exactly; a float on either side compares as f64.
        let integer = |n: &Number| n.as_i64().map(i128::from).or(n.as_u64().map(i128::from));
        let above = match (integer(min), integer(max)) {
            (Some(min), Some(max)) => min > max,
            _ => min.as_f64() > max.as_f64(),
        };
        above.then(|| inverted(min, max))
    }
}

fn inverted(min: impl std::fmt::Display, max: impl std::fmt::Display) -> String {
    format!("`min` {min} is greater than `max` {max}")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HttpBinding {
    pub method: String,
    pub uri: String,
    pub code: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorFault {
    Client,
    Server,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimestampFormat {
    EpochSeconds,
    DateTime,
    HttpDate,
}

/// The traits of one shape or member that matter to conform.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Traits {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<Bounds>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<NumericBounds>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enum_value: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpBinding>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub http_label: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_query: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub http_query_params: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_header: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_prefix_headers: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub http_payload: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub http_response_code: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_error: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorFault>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp_format: Option<TimestampFormat>,
    /// `aws.protocols#restJson1` on a service.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub rest_json1: bool,
    /// `aws.auth#sigv4` signing name on a service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sigv4_name: Option<String>,
}

/// Traits that are known and deliberately carry no semantics for models, validation or routing.
pub const IGNORED_TRAITS: &[&str] = &[
    "smithy.api#tags",
    "smithy.api#examples",
    "smithy.api#paginated",
    "smithy.api#readonly",
    "smithy.api#idempotent",
    "smithy.api#deprecated",
    "smithy.api#suppress",
    "smithy.api#input",
    "smithy.api#output",
    "smithy.api#title",
    "smithy.api#externalDocumentation",
    "smithy.api#resourceIdentifier",
    "smithy.api#idempotencyToken",
    "smithy.api#eventPayload",
    "smithy.api#streaming",
    "smithy.api#since",
    "smithy.api#unstable",
    "smithy.api#auth",
    "smithy.api#optionalAuth",
    "smithy.api#retryable",
    "smithy.api#references",
    "smithy.api#addedDefault",
    "smithy.api#clientOptional",
    "smithy.api#recommended",
    "aws.api#service",
    "aws.api#arn",
    "aws.api#data",
    "aws.api#tagEnabled",
    "aws.api#taggable",
    "aws.api#arnReference",
    "aws.api#clientEndpointDiscovery",
    "aws.auth#unsignedPayload",
    "aws.iam#iamAction",
    "aws.iam#iamResource",
    "aws.iam#conditionKeys",
    "aws.iam#defineConditionKeys",
    "aws.iam#disableConditionKeyInference",
    "aws.iam#supportedPrincipalTypes",
    "aws.iam#actionPermissionDescription",
    "aws.iam#requiredActions",
    "aws.cloudformation#cfnResource",
    "smithy.rules#endpointBdd",
    "smithy.rules#endpointRuleSet",
    "smithy.rules#endpointTests",
    "smithy.rules#contextParam",
    "smithy.rules#staticContextParams",
    "smithy.rules#clientContextParams",
    "smithy.waiters#waitable",
    "smithy.test#smokeTests",
];

pub(crate) fn parse_traits(shape: &str, raw: Option<&Value>) -> Result<Traits, SpecErrorKind> {
    let mut traits = Traits::default();
    let Some(raw) = raw else {
        return Ok(traits);
    };
    let map = raw.as_object().ok_or_else(|| SpecErrorKind::Shape {
        shape: shape.to_owned(),
        message: "`traits` must be an object".into(),
    })?;
    for (id, value) in map {
        apply_trait(&mut traits, shape, id, value)?;
    }
    Ok(traits)
}

fn apply_trait(
    traits: &mut Traits,
    shape: &str,
    id: &str,
    value: &Value,
) -> Result<(), SpecErrorKind> {
    let bad = |message: &str| SpecErrorKind::TraitValue {
        shape: shape.to_owned(),
        trait_id: id.to_owned(),
        message: message.to_owned(),
    };
    let string = || {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| bad("expected a string"))
    };
    match id {
        "smithy.api#documentation" => traits.documentation = Some(string()?),
        "smithy.api#required" => traits.required = true,
        "smithy.api#sensitive" => traits.sensitive = true,
        "smithy.api#httpLabel" => traits.http_label = true,
        "smithy.api#httpPayload" => traits.http_payload = true,
        "smithy.api#httpResponseCode" => traits.http_response_code = true,
        "smithy.api#httpQueryParams" => traits.http_query_params = true,
        "smithy.api#default" => traits.default = Some(value.clone()),
        "smithy.api#enumValue" => {
            if !(value.is_string() || value.is_i64()) {
                return Err(bad("expected a string or an integer"));
            }
            traits.enum_value = Some(value.clone())
        }
        "smithy.api#pattern" => traits.pattern = Some(string()?),
        "smithy.api#httpQuery" => traits.http_query = Some(string()?),
        "smithy.api#httpHeader" => traits.http_header = Some(string()?),
        "smithy.api#httpPrefixHeaders" => traits.http_prefix_headers = Some(string()?),
        "smithy.api#jsonName" => traits.json_name = Some(string()?),
        "smithy.api#length" => {
            let object = value
                .as_object()
                .ok_or_else(|| bad("expected {\"min\", \"max\"}"))?;
            let bound = |key: &str| -> Result<Option<u64>, SpecErrorKind> {
                match object.get(key) {
                    None => Ok(None),
                    Some(v) => v
                        .as_u64()
                        .map(Some)
                        .ok_or_else(|| bad(&format!("`{key}` must be a non-negative integer"))),
                }
            };
            check_keys(object, &["min", "max"]).map_err(|k| bad(&format!("unknown key `{k}`")))?;
            let bounds = Bounds {
                min: bound("min")?,
                max: bound("max")?,
            };
            if let Some(problem) = bounds.inversion() {
                return Err(bad(&problem));
            }
            traits.length = Some(bounds);
        }
        "smithy.api#range" => {
            let object = value
                .as_object()
                .ok_or_else(|| bad("expected {\"min\", \"max\"}"))?;
            let bound = |key: &str| -> Result<Option<Number>, SpecErrorKind> {
                match object.get(key) {
                    None => Ok(None),
                    Some(Value::Number(n)) => Ok(Some(n.clone())),
                    Some(_) => Err(bad(&format!("`{key}` must be a number"))),
                }
            };
            check_keys(object, &["min", "max"]).map_err(|k| bad(&format!("unknown key `{k}`")))?;
            let bounds = NumericBounds {
                min: bound("min")?,
                max: bound("max")?,
            };
            if let Some(problem) = bounds.inversion() {
                return Err(bad(&problem));
            }
            traits.range = Some(bounds);
        }
        "smithy.api#http" => {
            let object = value
                .as_object()
                .ok_or_else(|| bad("expected {\"method\", \"uri\", \"code\"}"))?;
            let text = |key: &str| {
                object
                    .get(key)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| bad(&format!("`{key}` must be a string")))
            };
            let code = match object.get("code") {
                None => 200,
                Some(v) => v
                    .as_u64()
                    .and_then(|c| u16::try_from(c).ok())
                    .ok_or_else(|| bad("`code` must be an HTTP status"))?,
            };
            traits.http = Some(HttpBinding {
                method: text("method")?,
                uri: text("uri")?,
                code,
            });
        }
        "smithy.api#httpError" => {
            traits.http_error = Some(
                value
                    .as_u64()
                    .and_then(|c| u16::try_from(c).ok())
                    .ok_or_else(|| bad("expected an HTTP status"))?,
            )
        }
        "smithy.api#error" => {
            traits.error = Some(match value.as_str() {
                Some("client") => ErrorFault::Client,
                Some("server") => ErrorFault::Server,
                _ => return Err(bad("expected \"client\" or \"server\"")),
            })
        }
        "smithy.api#timestampFormat" => {
            traits.timestamp_format = Some(match value.as_str() {
                Some("epoch-seconds") => TimestampFormat::EpochSeconds,
                Some("date-time") => TimestampFormat::DateTime,
                Some("http-date") => TimestampFormat::HttpDate,
                _ => return Err(bad("expected epoch-seconds, date-time or http-date")),
            })
        }
        "aws.protocols#restJson1" => traits.rest_json1 = true,
        "aws.auth#sigv4" => {
            let name = value
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("expected {\"name\": ...}"))?;
            traits.sigv4_name = Some(name.to_owned());
        }
        known if IGNORED_TRAITS.contains(&known) => {}
        unknown => {
            return Err(SpecErrorKind::UnsupportedTrait {
                shape: shape.to_owned(),
                trait_id: unknown.to_owned(),
            })
        }
    }
    Ok(())
}

fn check_keys<'a>(object: &'a Map<String, Value>, allowed: &[&str]) -> Result<(), &'a str> {
    match object.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(k),
        None => Ok(()),
    }
}

impl Traits {
    /// Member traits win over the target's; the target's constraint traits apply otherwise.
    pub(crate) fn overlaid_on(&self, target: &Traits) -> Traits {
        Traits {
            documentation: self
                .documentation
                .clone()
                .or_else(|| target.documentation.clone()),
            required: self.required,
            default: self.default.clone().or_else(|| target.default.clone()),
            length: self.length.or(target.length),
            range: self.range.clone().or_else(|| target.range.clone()),
            pattern: self.pattern.clone().or_else(|| target.pattern.clone()),
            sensitive: self.sensitive || target.sensitive,
            timestamp_format: self.timestamp_format.or(target.timestamp_format),
            ..self.clone()
        }
    }
}
