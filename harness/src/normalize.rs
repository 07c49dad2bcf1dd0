//! The normaliser: turns a response into what a golden holds, working on the parsed JSON (never
//! on the text). Values that differ between runs and targets become placeholders: UUIDs
//! (`<uuid:1>`, numbered per case so identity across steps is kept), the account and region
//! inside ARNs, timestamps, request ids, fixture names and the run prefix. JSON inside strings
//! (filter patterns) is parsed, so formatting differences do not count.

use std::collections::HashMap;
use std::sync::Arc;

use http::HeaderMap;
use serde_json::{Map, Value};

use crate::client::HttpResponse;
use crate::fixtures::{FixtureKind, Resource};

/// The only headers a golden keeps; the rest (dates, request ids, lengths) vary.
pub const HEADER_ALLOWLIST: &[&str] = &["content-type"];

/// Members holding a time, whatever their form (Lambda's `LastModified` is epoch seconds).
pub const TIMESTAMP_MEMBERS: &[&str] = &[
    "LastModified",
    "CreationDateTime",
    "CreationDate",
    "CreationTimestamp",
    "StreamCreationTimestamp",
    "LastUpdateDateTime",
];

/// Members holding a request id.
pub const REQUEST_ID_MEMBERS: &[&str] = &["RequestId", "requestId", "RequestID"];

/// The members an error's message may sit in, in the order they are looked for.
const MESSAGE_KEYS: &[&str] = &["message", "Message", "errorMessage"];

/// The error a response carries: its code, and the key of its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorInfo {
    pub code: Option<String>,
    pub message_key: Option<String>,
    pub message: Option<String>,
}

/// Reads the error code from `x-amzn-ErrorType` (any capitalisation; whatever follows `:` is
/// dropped), then from the body's `__type` (after any `namespace#`) or `code`.
pub fn error_info(headers: &HeaderMap, body: Option<&Value>) -> ErrorInfo {
    let from_header = headers
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(':').next().unwrap_or(v).trim().to_owned())
        .filter(|v| !v.is_empty());
    let object = body.and_then(Value::as_object);
    let from_body = || {
        let text = ["__type", "code", "Code"]
            .iter()
            .find_map(|k| object?.get(*k)?.as_str())?;
        let text = text.rsplit('#').next().unwrap_or(text);
        Some(text.split(':').next().unwrap_or(text).trim().to_owned())
    };
    let message_key = MESSAGE_KEYS
        .iter()
        .find(|k| object.is_some_and(|o| o.contains_key(**k)))
        .map(|k| (*k).to_owned());
    let message = message_key
        .as_ref()
        .and_then(|k| object?.get(k)?.as_str().map(str::to_owned));
    ErrorInfo {
        code: from_header.or_else(from_body),
        message_key,
        message,
    }
}

/// The content type without parameters, lowercased: `application/json`.
pub fn content_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(http::header::CONTENT_TYPE)?.to_str().ok()?;
    Some(
        value
            .split(';')
            .next()
            .unwrap_or(value)
            .trim()
            .to_ascii_lowercase(),
    )
}

/// A response body, parsed when it is JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Empty,
    Json(Value),
    /// Not JSON: kept as text, for the report.
    Text(String),
}

impl Body {
    pub fn parse(bytes: &[u8]) -> Self {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Body::Empty;
        }
        match serde_json::from_slice(bytes) {
            Ok(value) => Body::Json(value),
            Err(_) => Body::Text(String::from_utf8_lossy(bytes).into_owned()),
        }
    }

    pub fn json(&self) -> Option<&Value> {
        match self {
            Body::Json(v) => Some(v),
            _ => None,
        }
    }
}

/// Fixture names to their placeholders, for exact lookups. The run keeps one, grown as fixtures
/// are made, and shares it with each case's normaliser (cloning every resource per case cost
/// more than the rest of normalising).
#[derive(Debug, Clone, Default)]
pub struct FixtureNames(HashMap<String, String>);

impl FixtureNames {
    pub fn from_resources(resources: &[Resource]) -> Self {
        let mut names = Self::default();
        for resource in resources {
            names.add(resource);
        }
        names
    }

    /// Versions and aliases carry their function's name or a fixed one, so they add nothing;
    /// a name already known keeps its first placeholder.
    pub fn add(&mut self, resource: &Resource) {
        if matches!(
            resource.fixture.kind,
            FixtureKind::FunctionVersion | FixtureKind::FunctionAlias
        ) || resource.name().is_empty()
        {
            return;
        }
        self.0
            .entry(resource.name().to_owned())
            .or_insert_with(|| resource.fixture.placeholder());
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

/// One case's normaliser: placeholders are numbered in the order first seen, across the
/// case's steps.
pub struct Normalizer {
    names: Arc<FixtureNames>,
    run: String,
    uuids: HashMap<String, usize>,
}

impl Normalizer {
    /// `resources` are the fixtures made so far; `run` is the run prefix.
    pub fn new(resources: &[Resource], run: &str) -> Self {
        Self::with_names(Arc::new(FixtureNames::from_resources(resources)), run)
    }

    /// With the names the run has collected (`Fixtures::names`).
    pub fn with_names(names: Arc<FixtureNames>, run: &str) -> Self {
        Self {
            names,
            run: run.to_owned(),
            uuids: HashMap::new(),
        }
    }

    /// The golden form of a response: status, allowlisted headers, the error (code and
    /// message key) and the body.
    pub fn response(&mut self, response: &HttpResponse) -> Value {
        self.parsed_response(response, &Body::parse(&response.body))
    }

    /// [`Self::response`] with its body already parsed.
    pub fn parsed_response(&mut self, response: &HttpResponse, body: &Body) -> Value {
        let mut out = Map::new();
        out.insert("status".into(), response.status.into());
        let mut headers = Map::new();
        for name in HEADER_ALLOWLIST {
            let value = if *name == "content-type" {
                content_type(&response.headers)
            } else {
                response
                    .headers
                    .get(*name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            };
            if let Some(value) = value {
                headers.insert((*name).to_owned(), value.into());
            }
        }
        out.insert("headers".into(), Value::Object(headers));
        if response.status >= 400 {
            let info = error_info(&response.headers, body.json());
            let mut error = Map::new();
            error.insert("code".into(), info.code.map_or(Value::Null, Value::from));
            error.insert(
                "message_key".into(),
                info.message_key.map_or(Value::Null, Value::from),
            );
            out.insert("error".into(), Value::Object(error));
        }
        match body {
            Body::Empty => {
                out.insert("body".into(), Value::Null);
            }
            Body::Json(value) => {
                out.insert("body".into(), self.value(value, None));
            }
            Body::Text(text) => {
                out.insert(
                    "body_text".into(),
                    Value::String(self.markup(&excerpt(text, 2000))),
                );
            }
        }
        sorted(Value::Object(out))
    }

    /// Normalises any JSON value (a response body, or a request for the golden's metadata).
    pub fn value(&mut self, value: &Value, key: Option<&str>) -> Value {
        if let Some(key) = key {
            if TIMESTAMP_MEMBERS.contains(&key) && !value.is_null() {
                return Value::String("<timestamp>".into());
            }
            if REQUEST_ID_MEMBERS.contains(&key) && value.is_string() {
                return Value::String("<request-id>".into());
            }
        }
        match value {
            Value::String(s) => self.string(s),
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| self.value(v, None)).collect())
            }
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), self.value(v, Some(k))))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    fn string(&mut self, s: &str) -> Value {
        let trimmed = s.trim();
        if trimmed.starts_with('{') || trimmed.starts_with('[') {
            if let Ok(inner @ (Value::Object(_) | Value::Array(_))) =
                serde_json::from_str::<Value>(trimmed)
            {
                let mut wrapped = Map::new();
                wrapped.insert("$json".into(), self.value(&inner, None));
                return Value::Object(wrapped);
            }
        }
        Value::String(self.text(s))
    }

    /// Normalises free text word by word, so ARNs and ids inside messages are caught too.
    pub fn text(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if c.is_whitespace() {
                self.push_word(&mut out, &text[start..i]);
                out.push(c);
                start = i + c.len_utf8();
            }
        }
        self.push_word(&mut out, &text[start..]);
        out
    }

    /// A body that is not JSON (an HTML or XML page): the text between tags normalised like
    /// any text, and the content of request-id elements (`<RequestId>…</RequestId>`, S3's
    /// `<HostId>`) replaced, so that such a page does not vary between runs.
    fn markup(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        // The element whose content comes next, when the last piece closed its start tag.
        let mut element: Option<&str> = None;
        for piece in text.split_inclusive(['<', '>']) {
            let (content, delimiter) = match piece.strip_suffix(['<', '>']) {
                Some(content) => (content, &piece[content.len()..]),
                None => (piece, ""),
            };
            let is_tag = delimiter == ">";
            if !is_tag && element.is_some_and(|e| REQUEST_ID_MEMBERS.contains(&e) || e == "HostId")
            {
                out.push_str("<request-id>");
            } else if is_tag {
                out.push_str(content);
            } else {
                out.push_str(&self.text(content));
            }
            out.push_str(delimiter);
            element = is_tag.then(|| content.split_whitespace().next().unwrap_or(""));
        }
        out
    }

    /// One whitespace-free word onto `out`, its surrounding punctuation kept as is.
    fn push_word(&mut self, out: &mut String, word: &str) {
        const PUNCT: &[char] = &[
            '\'', '"', '(', ')', '[', ']', '{', '}', ',', ';', '.', '`', '<', '>',
        ];
        let lead = word.len() - word.trim_start_matches(PUNCT).len();
        let core = word.trim_matches(PUNCT);
        if core.is_empty() {
            out.push_str(word);
            return;
        }
        match self.token_or_arn(core) {
            Some(normal) => {
                out.push_str(&word[..lead]);
                out.push_str(&normal);
                out.push_str(&word[lead + core.len()..]);
            }
            None => out.push_str(word),
        }
    }

    fn token_or_arn(&mut self, token: &str) -> Option<String> {
        if token.starts_with("arn:") {
            return Some(self.arn(token));
        }
        if token.contains('/') {
            // A path: each segment on its own.
            let parts: Vec<String> = token
                .split('/')
                .map(|p| self.token_or_arn(p).unwrap_or_else(|| p.to_owned()))
                .collect();
            let joined = parts.join("/");
            return (joined != token).then_some(joined);
        }
        self.token(token)
    }

    /// A request's path and query, decoded and normalised piece by piece (for the golden's
    /// metadata, where it is read, not sent).
    pub fn path(&mut self, path_and_query: &str) -> String {
        use conform_runtime::meta::percent_decode;
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        let mut out: Vec<String> = Vec::new();
        for segment in path.split('/') {
            let segment = percent_decode(segment);
            out.push(self.token_or_arn(&segment).unwrap_or(segment));
        }
        let mut out = out.join("/");
        let pairs: Vec<String> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                let v = percent_decode(&v.replace('+', " "));
                let v = self.token_or_arn(&v).unwrap_or(v);
                format!("{}={v}", percent_decode(k))
            })
            .collect();
        if !pairs.is_empty() {
            out.push('?');
            out.push_str(&pairs.join("&"));
        }
        out
    }

    /// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` with region and account replaced, and
    /// each part of the resource normalised.
    fn arn(&mut self, arn: &str) -> String {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let [_, partition, service, region, account, resource] = parts.as_slice() else {
            return self.token(arn).unwrap_or_else(|| arn.to_owned());
        };
        let region = if region.is_empty() { "" } else { "<region>" };
        let account = if account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) {
            "<account>"
        } else {
            account
        };
        // `/` first, then `:`, so a DynamoDB stream label (a timestamp, colons and all)
        // stays one token.
        let resource: Vec<String> = resource
            .split('/')
            .map(|segment| {
                self.exact(segment).unwrap_or_else(|| {
                    segment
                        .split(':')
                        .map(|t| self.token(t).unwrap_or_else(|| t.to_owned()))
                        .collect::<Vec<_>>()
                        .join(":")
                })
            })
            .collect();
        format!(
            "arn:{partition}:{service}:{region}:{account}:{}",
            resource.join("/")
        )
    }

    /// A placeholder for one token, or `None` to keep it.
    fn token(&mut self, token: &str) -> Option<String> {
        if let Some(placeholder) = self.exact(token) {
            return Some(placeholder);
        }
        token
            .contains(&self.run)
            .then(|| token.replace(&self.run, "<run>"))
    }

    /// A placeholder for a token that is wholly a fixture name, a UUID or a timestamp.
    fn exact(&mut self, token: &str) -> Option<String> {
        if token.is_empty() {
            return None;
        }
        if let Some(placeholder) = self.names.get(token) {
            return Some(placeholder.to_owned());
        }
        if is_uuid(token) {
            let next = self.uuids.len() + 1;
            let n = *self.uuids.entry(token.to_ascii_lowercase()).or_insert(next);
            return Some(format!("<uuid:{n}>"));
        }
        if is_timestamp(token) {
            return Some("<timestamp>".into());
        }
        None
    }
}

/// 8-4-4-4-12 hex digits.
pub fn is_uuid(text: &str) -> bool {
    text.len() == 36 && uuid::Uuid::try_parse(text).is_ok() && text.as_bytes()[8] == b'-'
}

/// An ISO 8601 date-time as AWS writes them: RFC 3339, Lambda's `+0000` form, or the
/// zone-less form DynamoDB uses in stream labels.
pub fn is_timestamp(text: &str) -> bool {
    use time::format_description::well_known::Rfc3339;
    use time::macros::format_description;
    if text.len() < 19 || text.as_bytes().get(10) != Some(&b'T') {
        return false;
    }
    time::OffsetDateTime::parse(text, &Rfc3339).is_ok()
        || time::OffsetDateTime::parse(
            text,
            format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond][offset_hour][offset_minute]"),
        )
        .is_ok()
        || time::PrimitiveDateTime::parse(
            text,
            format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond]"),
        )
        .is_ok()
        || time::PrimitiveDateTime::parse(text, format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"))
            .is_ok()
}

/// Object keys in order, so goldens diff well whatever order a target answers in.
pub fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::FixtureRef;
    use bytes::Bytes;
    use serde_json::json;

    fn resources() -> Vec<Resource> {
        let make = |f: &str, name: &str| Resource {
            fixture: FixtureRef::parse(f).unwrap(),
            attrs: vec![("name", name.to_owned())],
        };
        vec![
            make("queue", "conform-0badcafe-queue"),
            make("fifo-queue", "conform-0badcafe-fifo-queue.fifo"),
            make("function", "conform-0badcafe-function"),
            make("function-version", "conform-0badcafe-function"),
        ]
    }

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(
                http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        HttpResponse {
            status,
            headers: map,
            body: Bytes::from(body.to_owned()),
        }
    }

    #[test]
    fn placeholders_keep_identity_across_steps() {
        let mut n = Normalizer::new(&resources(), "conform-0badcafe");
        let u1 = "6f1c3c1e-5d7a-4c1b-9b43-1f2e3d4c5b6a";
        let u2 = "0e0e0e0e-5d7a-4c1b-9b43-1f2e3d4c5b6a";
        let first = n.value(
            &json!({
                "UUID": u1,
                "EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:conform-0badcafe-queue",
                "StreamArn": "arn:aws:dynamodb:us-east-1:123456789012:table/conform-0badcafe-table/stream/2026-11-26T19:36:56.258",
                "FunctionArn": "arn:aws:lambda:eu-west-1:000000000000:function:conform-0badcafe-function:1",
                "LastModified": 1764000000.5,
                "EventSourceMappingArn": format!("arn:aws:lambda:us-east-1:123456789012:event-source-mapping:{u1}"),
                "BatchSize": 10,
            }),
            None,
        );
        assert_eq!(
            first,
            json!({
                "UUID": "<uuid:1>",
                "EventSourceArn": "arn:aws:sqs:<region>:<account>:<queue>",
                "StreamArn": "arn:aws:dynamodb:<region>:<account>:table/<run>-table/stream/<timestamp>",
                "FunctionArn": "arn:aws:lambda:<region>:<account>:function:<function>:1",
                "LastModified": "<timestamp>",
                "EventSourceMappingArn": "arn:aws:lambda:<region>:<account>:event-source-mapping:<uuid:1>",
                "BatchSize": 10,
            })
        );
        let second = n.value(&json!({"Items": [u2, u1.to_uppercase()]}), None);
        assert_eq!(second, json!({"Items": ["<uuid:2>", "<uuid:1>"]}));
    }

    #[test]
    fn messages_are_normalised_word_by_word() {
        let mut n = Normalizer::new(&resources(), "conform-0badcafe");
        let text = n.text(
            "Function not found: arn:aws:lambda:us-east-1:123456789012:function:conform-0badcafe-function. \
             Queue (conform-0badcafe-fifo-queue.fifo) and 'conform-0badcafe-missing' at 2026-11-26T18:58:31.123Z",
        );
        assert_eq!(
            text,
            "Function not found: arn:aws:lambda:<region>:<account>:function:<function>. \
             Queue (<fifo-queue>) and '<run>-missing' at <timestamp>"
        );
    }

    #[test]
    fn request_paths_are_decoded_and_normalised() {
        let mut n = Normalizer::new(&resources(), "conform-0badcafe");
        let u = "6f1c3c1e-5d7a-4c1b-9b43-1f2e3d4c5b6a";
        assert_eq!(
            n.path(&format!("/2015-03-31/event-source-mappings/{u}")),
            "/2015-03-31/event-source-mappings/<uuid:1>"
        );
        assert_eq!(
            n.path("/x?EventSourceArn=arn%3Aaws%3Asqs%3Aus-east-1%3A123456789012%3Aconform-0badcafe-queue&MaxItems=5"),
            "/x?EventSourceArn=arn:aws:sqs:<region>:<account>:<queue>&MaxItems=5"
        );
        assert_eq!(
            n.text(&format!("see /mappings/{u}.")),
            "see /mappings/<uuid:1>."
        );
    }

    #[test]
    fn json_inside_strings_is_parsed() {
        let mut n = Normalizer::new(&[], "conform-0badcafe");
        let a = n.value(&json!({"Pattern": "{\"body\": {\"a\": [1]}}"}), None);
        let b = n.value(&json!({"Pattern": "{\"body\":{\"a\":[1]}}"}), None);
        assert_eq!(a, b);
        assert_eq!(a, json!({"Pattern": {"$json": {"body": {"a": [1]}}}}));
    }

    #[test]
    fn error_codes_come_from_the_header_then_the_body() {
        let r = response(
            404,
            &[
                (
                    "X-Amzn-ErrorType",
                    "ResourceNotFoundException:http://internal.amazon.com/",
                ),
                ("content-type", "application/json; charset=utf-8"),
            ],
            r#"{"Type":"User","Message":"The resource you requested does not exist."}"#,
        );
        let mut n = Normalizer::new(&[], "conform-0badcafe");
        assert_eq!(
            n.response(&r),
            json!({
                "status": 404,
                "headers": {"content-type": "application/json"},
                "error": {"code": "ResourceNotFoundException", "message_key": "Message"},
                "body": {"Type": "User", "Message": "The resource you requested does not exist."},
            })
        );
        let r = response(
            400,
            &[],
            r#"{"__type":"com.amazonaws.kinesis#ResourceInUseException","message":"m"}"#,
        );
        let info = error_info(&r.headers, Body::parse(&r.body).json());
        assert_eq!(info.code.as_deref(), Some("ResourceInUseException"));
        assert_eq!(info.message_key.as_deref(), Some("message"));
    }

    #[test]
    fn headers_are_allowlisted_and_bodies_may_be_text() {
        let r = response(
            500,
            &[
                ("content-type", "text/html"),
                ("x-amzn-requestid", "r"),
                ("date", "d"),
            ],
            "<html>oops</html>",
        );
        let mut n = Normalizer::new(&[], "conform-0badcafe");
        assert_eq!(
            n.response(&r),
            json!({
                "status": 500,
                "headers": {"content-type": "text/html"},
                "error": {"code": null, "message_key": null},
                "body_text": "<html>oops</html>",
            })
        );
    }

    #[test]
    fn ids_inside_markup_are_normalised() {
        let r = response(
            404,
            &[("content-type", "application/xml")],
            "<Error><Code>NoSuchBucket</Code><Message>No 0339083a-2fd0-4c94-84c8-962c61b1f069</Message><RequestId>eAU2sytcgjvKnfIu</RequestId><HostId>9Gjj+Ox=</HostId></Error>",
        );
        let mut n = Normalizer::new(&[], "conform-0badcafe");
        assert_eq!(
            n.response(&r)["body_text"],
            json!("<Error><Code>NoSuchBucket</Code><Message>No <uuid:1></Message><RequestId><request-id></RequestId><HostId><request-id></HostId></Error>")
        );
    }

    #[test]
    fn recognises_timestamps_and_uuids() {
        assert!(is_timestamp("2026-11-26T18:58:31.123+0000"));
        assert!(is_timestamp("2026-11-26T18:58:31Z"));
        assert!(is_timestamp("2026-11-26T18:58:31.123"));
        assert!(!is_timestamp("2026-11-26"));
        assert!(is_uuid("6f1c3c1e-5d7a-4c1b-9b43-1f2e3d4c5b6a"));
        assert!(!is_uuid("6f1c3c1e5d7a4c1b9b431f2e3d4c5b6a"));
    }
}
