//! HTTP to the target: requests built from operation metadata (labels, query, headers, body),
//! raw requests, SigV4 signing, fault classification and curl repro lines.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials as AwsCredentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use bytes::Bytes;
use conform_runtime::OperationMeta;
use http::HeaderMap;
use reqwest::Url;
use serde_json::{Map, Value};

/// The keys requests are signed with.
#[derive(Clone)]
pub struct Credentials {
    pub access_key: String,
    pub secret_key: String,
    pub session_token: Option<String>,
    /// Taken from `AWS_ACCESS_KEY_ID` and friends (shown as variables in repro lines).
    pub from_env: bool,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key", &self.access_key)
            .field("from_env", &self.from_env)
            .finish_non_exhaustive()
    }
}

impl Credentials {
    /// Keys any emulator accepts.
    pub fn dummy() -> Self {
        Self {
            access_key: "test".into(),
            secret_key: "test".into(),
            session_token: None,
            from_env: false,
        }
    }

    /// The standard environment variables (read through `env`), when both keys are set.
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Option<Self> {
        let get = |name: &str| env(name).filter(|v| !v.is_empty());
        Some(Self {
            access_key: get("AWS_ACCESS_KEY_ID")?,
            secret_key: get("AWS_SECRET_ACCESS_KEY")?,
            session_token: get("AWS_SESSION_TOKEN"),
            from_env: true,
        })
    }
}

/// Where each service's requests go.
#[derive(Debug, Clone, Default)]
pub struct Endpoints {
    /// Every service, unless named in `per_service`.
    pub default: Option<String>,
    pub per_service: BTreeMap<String, String>,
    /// Live AWS: `https://SERVICE.REGION.amazonaws.com` for services not otherwise set.
    pub aws_region: Option<String>,
}

impl Endpoints {
    pub fn single(url: impl Into<String>) -> Self {
        Self {
            default: Some(url.into()),
            ..Self::default()
        }
    }

    pub fn for_service(&self, service: &str) -> Result<String, String> {
        if let Some(url) = self.per_service.get(service).or(self.default.as_ref()) {
            return Ok(url.clone());
        }
        match &self.aws_region {
            Some(_) if service == "iam" => Ok("https://iam.amazonaws.com".into()),
            Some(region) => Ok(format!("https://{service}.{region}.amazonaws.com")),
            None => Err(format!("no endpoint for {service}")),
        }
    }
}

/// A request ready to send (and to show as a curl line).
#[derive(Debug, Clone)]
pub struct HttpRequest {
    /// The SigV4 signing name.
    pub service: String,
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub sign: bool,
}

impl HttpRequest {
    /// The URL's path and query, as the target sees them.
    pub fn path_and_query(&self) -> String {
        match Url::parse(&self.url) {
            Ok(url) => match url.query() {
                Some(q) => format!("{}?{q}", url.path()),
                None => url.path().to_owned(),
            },
            Err(_) => self.url.clone(),
        }
    }
}

/// A request as a case's `[raw]` table gives it.
#[derive(Debug, Clone)]
pub struct RawParts<'a> {
    /// The SigV4 signing name (and the endpoint to use).
    pub service: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub sign: bool,
}

impl<'a> RawParts<'a> {
    /// A signed request without query, headers or body.
    pub fn new(service: &'a str, method: &'a str, path: &'a str) -> Self {
        Self {
            service,
            method,
            path,
            query: None,
            headers: Vec::new(),
            body: None,
            sign: true,
        }
    }
}

/// A response read in full.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// Why no complete response came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub kind: FaultKind,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// Nothing listens at the endpoint.
    ConnectionRefused,
    /// Any other failure to connect (DNS, unreachable).
    Connect,
    /// No complete response within the per-request timeout.
    Timeout,
    /// The connection closed before the response was complete.
    Reset,
    Other,
}

impl FaultKind {
    /// Whether the request never reached a server.
    pub fn is_connect(self) -> bool {
        matches!(self, FaultKind::ConnectionRefused | FaultKind::Connect)
    }

    pub fn label(self) -> &'static str {
        match self {
            FaultKind::ConnectionRefused => "connection refused",
            FaultKind::Connect => "cannot connect",
            FaultKind::Timeout => "timed out",
            FaultKind::Reset => "connection closed mid-response",
            FaultKind::Other => "request failed",
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.label(), self.detail)
    }
}

/// A request as it went on the wire (signature included), kept for the suite benchmark to
/// replay with a plain HTTP loop; `task` groups the requests one case's task sent, in order.
#[derive(Debug, Clone)]
pub struct SentRequest {
    pub task: Option<tokio::task::Id>,
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The answer's status.
    pub status: u16,
}

static SENT: OnceLock<Mutex<Vec<SentRequest>>> = OnceLock::new();

/// From now on, every client in the process keeps each answered request for [`take_sent`].
/// Off unless called (benchmarks only): the normal path pays one atomic load per request.
pub fn keep_sent_requests() {
    SENT.get_or_init(Mutex::default);
}

/// The requests kept since the last call, in the order they were answered.
pub fn take_sent() -> Vec<SentRequest> {
    SENT.get()
        .map(|log| std::mem::take(&mut *log.lock().unwrap_or_else(|p| p.into_inner())))
        .unwrap_or_default()
}

/// Sends signed requests to one target.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    endpoints: Endpoints,
    region: String,
    credentials: Credentials,
    timeout: Duration,
    /// Set once any response (of any status) came back: the endpoint is reachable.
    reached: Arc<AtomicBool>,
}

impl Client {
    pub fn new(
        endpoints: Endpoints,
        region: String,
        credentials: Credentials,
        timeout: Duration,
    ) -> Self {
        let http = reqwest::Client::builder()
            // Strictly inside the whole request's timeout: a connection that never opens must end
            // as a connect error (the endpoint is unreachable), not as the request's timeout
            // (which counts as having reached a slow server).
            .connect_timeout((timeout / 2).min(Duration::from_secs(5)))
            .timeout(timeout)
            // Each case owns its connection behaviour; a pooled connection a fault server
            // half-closed must not leak into the next case.
            .pool_max_idle_per_host(8)
            .no_proxy()
            .build()
            .expect("a plain HTTP client builds");
        Self {
            http,
            endpoints,
            region,
            credentials,
            timeout,
            reached: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Whether any request so far got an HTTP response.
    pub fn reached(&self) -> bool {
        self.reached.load(Ordering::Relaxed)
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// A request for `operation`, its members placed by the operation's HTTP binding: labels
    /// into the URI, query members into the query string, header members into headers, and
    /// the rest as the JSON body.
    pub fn operation_request(
        &self,
        op: &OperationMeta,
        params: &Value,
    ) -> Result<HttpRequest, String> {
        let mut body: Map<String, Value> = match params {
            Value::Object(map) => map.clone(),
            other => return Err(format!("{} params must be a table, not {other}", op.name)),
        };
        let mut url = self.base_url("lambda")?;
        if url.cannot_be_a_base() {
            return Err(format!(
                "endpoint {} cannot take a path",
                self.endpoints.for_service("lambda").unwrap_or_default()
            ));
        }
        let (template, literal_query) = op.uri.split_once('?').unwrap_or((op.uri, ""));
        let mut path = url
            .path()
            .strip_suffix('/')
            .unwrap_or(url.path())
            .to_owned();
        for segment in template.trim_start_matches('/').split('/') {
            path.push('/');
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(label) => {
                    let label = label.trim_end_matches('+');
                    let member = op
                        .labels
                        .iter()
                        .find(|b| b.wire == label)
                        .map_or(label, |b| b.member);
                    let value = body.remove(member).ok_or_else(|| {
                        format!("{} needs `{member}` for its URI {}", op.name, op.uri)
                    })?;
                    let text = scalar_text(&value);
                    if matches!(text.as_str(), "." | "..") {
                        return Err(format!(
                            "{}: `{member}` = {text:?} cannot be sent: a URL resolves a `{text}` \
                             path segment away",
                            op.name
                        ));
                    }
                    push_label(&mut path, &text);
                }
                None => path.push_str(segment),
            }
        }
        url.set_path(&path);
        {
            let mut pairs = Vec::new();
            for pair in literal_query.split('&').filter(|p| !p.is_empty()) {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                pairs.push((k.to_owned(), v.to_owned()));
            }
            for binding in op.query {
                match body.remove(binding.member) {
                    Some(Value::Array(items)) => {
                        pairs.extend(
                            items
                                .iter()
                                .map(|v| (binding.wire.to_owned(), scalar_text(v))),
                        );
                    }
                    Some(Value::Null) | None => {}
                    Some(value) => pairs.push((binding.wire.to_owned(), scalar_text(&value))),
                }
            }
            if !pairs.is_empty() {
                url.query_pairs_mut().extend_pairs(pairs);
            }
        }
        let mut headers = Vec::new();
        for binding in op.headers {
            if let Some(value) = body.remove(binding.member) {
                headers.push((binding.wire.to_ascii_lowercase(), scalar_text(&value)));
            }
        }
        let has_body = !body.is_empty() || matches!(op.method, "POST" | "PUT" | "PATCH");
        let body = if has_body {
            headers.push(("content-type".into(), "application/json".into()));
            serde_json::to_vec(&body).expect("JSON serialises")
        } else {
            Vec::new()
        };
        Ok(HttpRequest {
            service: "lambda".into(),
            method: op.method.to_owned(),
            url: url.to_string(),
            headers,
            body,
            sign: true,
        })
    }

    /// A request sent as written: `path` and `query` verbatim (they may be malformed on
    /// purpose); `content-type: application/json` is added for a body unless a header sets it.
    pub fn raw_request(&self, raw: RawParts<'_>) -> Result<HttpRequest, String> {
        let RawParts {
            service,
            method,
            path,
            query,
            mut headers,
            body,
            sign,
        } = raw;
        let url = raw_url(&self.endpoints.for_service(service)?, path, query);
        let body = body.map(String::into_bytes).unwrap_or_default();
        if !body.is_empty() && !headers.iter().any(|(k, _)| k == "content-type") {
            headers.push(("content-type".into(), "application/json".into()));
        }
        Ok(HttpRequest {
            service: service.to_owned(),
            method: method.to_owned(),
            url,
            headers,
            body,
            sign,
        })
    }

    /// An awsJson call (SQS, Kinesis, DynamoDB): `POST /` with `X-Amz-Target`.
    pub fn aws_json_request(
        &self,
        service: &str,
        target: &str,
        body: &Value,
    ) -> Result<HttpRequest, String> {
        let version = if service == "kinesis" { "1.1" } else { "1.0" };
        self.raw_request(RawParts {
            headers: vec![
                ("x-amz-target".into(), target.to_owned()),
                (
                    "content-type".into(),
                    format!("application/x-amz-json-{version}"),
                ),
            ],
            body: Some(body.to_string()),
            ..RawParts::new(service, "POST", "/")
        })
    }

    /// A Query-protocol call (IAM): a form-encoded `POST /`.
    pub fn query_request(
        &self,
        service: &str,
        params: &[(&str, &str)],
    ) -> Result<HttpRequest, String> {
        let body = reqwest::Url::parse_with_params("http://x/", params)
            .map_err(|e| e.to_string())?
            .query()
            .unwrap_or_default()
            .to_owned();
        self.raw_request(RawParts {
            headers: vec![(
                "content-type".into(),
                "application/x-www-form-urlencoded; charset=utf-8".into(),
            )],
            body: Some(body),
            ..RawParts::new(service, "POST", "/")
        })
    }

    fn base_url(&self, service: &str) -> Result<Url, String> {
        let base = self.endpoints.for_service(service)?;
        Url::parse(&base).map_err(|e| format!("endpoint `{base}`: {e}"))
    }

    /// Signs (when asked) and sends the request, reading the whole response.
    pub async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, Fault> {
        let method = reqwest::Method::from_bytes(request.method.as_bytes()).map_err(|e| Fault {
            kind: FaultKind::Other,
            detail: format!("method `{}`: {e}", request.method),
        })?;
        let mut headers = request.headers.clone();
        if request.sign {
            headers.extend(self.signature(request).map_err(|detail| Fault {
                kind: FaultKind::Other,
                detail,
            })?);
        }
        let mut builder = self
            .http
            .request(method, &request.url)
            .body(request.body.clone());
        for (name, value) in &headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let response = builder.send().await.map_err(|e| {
            // A request that timed out after connecting reached a server that was too slow:
            // the run must not call the endpoint unreachable.
            if e.is_timeout() && !e.is_connect() {
                self.reached.store(true, Ordering::Relaxed);
            }
            classify(&e, self.timeout, false)
        })?;
        self.reached.store(true, Ordering::Relaxed);
        let status = response.status().as_u16();
        let answer_headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| classify(&e, self.timeout, true))?;
        if let Some(log) = SENT.get() {
            let sent = SentRequest {
                task: tokio::task::try_id(),
                method: request.method.clone(),
                url: request.url.clone(),
                headers,
                body: request.body.clone(),
                status,
            };
            log.lock().unwrap_or_else(|p| p.into_inner()).push(sent);
        }
        Ok(HttpResponse {
            status,
            headers: answer_headers,
            body,
        })
    }

    /// The SigV4 headers for `request`, signed now.
    fn signature(&self, request: &HttpRequest) -> Result<Vec<(String, String)>, String> {
        let identity = AwsCredentials::new(
            &self.credentials.access_key,
            &self.credentials.secret_key,
            self.credentials.session_token.clone(),
            None,
            "conform",
        )
        .into();
        // IAM is global and signs in us-east-1 whatever the run's region.
        let region = if request.service == "iam" {
            "us-east-1"
        } else {
            self.region.as_str()
        };
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(region)
            .name(&request.service)
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| format!("cannot sign: {e}"))?
            .into();
        let signable = SignableRequest::new(
            &request.method,
            request.url.as_str(),
            request
                .headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str())),
            SignableBody::Bytes(&request.body),
        )
        .map_err(|e| format!("cannot sign {}: {e}", request.url))?;
        let (instructions, _) = sign(signable, &params)
            .map_err(|e| format!("cannot sign: {e}"))?
            .into_parts();
        Ok(instructions
            .headers()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect())
    }

    /// A curl command that repeats the request; curl signs it itself, so no key is shown.
    pub fn curl(&self, request: &HttpRequest) -> String {
        let mut parts = vec!["curl -sS -i".to_owned()];
        if request.method != "GET" || !request.body.is_empty() {
            parts.push(format!("-X {}", request.method));
        }
        parts.push(shell_quote(&request.url));
        if request.sign {
            let region = if request.service == "iam" {
                "us-east-1"
            } else {
                &self.region
            };
            parts.push(format!(
                "--aws-sigv4 {}",
                shell_quote(&format!("aws:amz:{region}:{}", request.service))
            ));
            if self.credentials.from_env {
                parts.push("--user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\"".into());
                if self.credentials.session_token.is_some() {
                    parts.push("-H \"x-amz-security-token: $AWS_SESSION_TOKEN\"".into());
                }
            } else {
                parts.push(format!(
                    "--user {}",
                    shell_quote(&format!(
                        "{}:{}",
                        self.credentials.access_key, self.credentials.secret_key
                    ))
                ));
            }
        }
        for (name, value) in &request.headers {
            parts.push(format!("-H {}", shell_quote(&format!("{name}: {value}"))));
        }
        if !request.body.is_empty() {
            parts.push(format!(
                "--data-binary {}",
                shell_quote(&String::from_utf8_lossy(&request.body))
            ));
        }
        parts.join(" ")
    }
}

/// Appends `label` to `path` as one segment for `Url::set_path`: what the URL parser would take
/// as structure (`/`, `\`, `%`) or drop (tab, CR, LF) is percent-encoded here, and the parser
/// encodes the rest as it encodes any path segment (a space as `%20`).
fn push_label(path: &mut String, label: &str) {
    for c in label.chars() {
        match c {
            '%' | '/' | '\\' | '\t' | '\n' | '\r' => {
                write!(path, "%{:02X}", u32::from(c)).expect("writing to a String succeeds");
            }
            _ => path.push(c),
        }
    }
}

/// A label, query or header value as text.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The URL of a raw request: the endpoint, the path as written (after a `/`), then `?` and the
/// query, if any.
pub(crate) fn raw_url(base: &str, path: &str, query: Option<&str>) -> String {
    let mut url = base.trim_end_matches('/').to_owned();
    if !path.starts_with('/') {
        url.push('/');
    }
    url.push_str(path);
    if let Some(query) = query.filter(|q| !q.is_empty()) {
        url.push('?');
        url.push_str(query);
    }
    url
}

/// `text` as one shell word: as it is when the shell would read it so, else quoted.
pub(crate) fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.,:/@%+=".contains(&b));
    if plain {
        text.to_owned()
    } else {
        shell_quote(text)
    }
}

/// Names the fault in a failed exchange; `reading` is true once the status line arrived.
fn classify(error: &reqwest::Error, timeout: Duration, reading: bool) -> Fault {
    let detail = chain(error);
    let kind = if error.is_timeout() {
        FaultKind::Timeout
    } else if error.is_connect() {
        let refused = sources(error).any(|e| {
            e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
        });
        if refused {
            FaultKind::ConnectionRefused
        } else {
            FaultKind::Connect
        }
    } else if error.is_builder() {
        FaultKind::Other
    } else if reading || error.is_request() || error.is_body() {
        FaultKind::Reset
    } else {
        FaultKind::Other
    };
    let detail = if kind == FaultKind::Timeout {
        format!(
            "no complete response within {} s ({detail})",
            timeout.as_secs_f64()
        )
    } else {
        detail
    };
    Fault { kind, detail }
}

fn sources(error: &reqwest::Error) -> impl Iterator<Item = &(dyn std::error::Error + 'static)> {
    let mut next = std::error::Error::source(error);
    std::iter::from_fn(move || {
        let current = next?;
        next = current.source();
        Some(current)
    })
}

/// The error and its causes, without repeats (hyper and reqwest often say the same twice).
fn chain(error: &reqwest::Error) -> String {
    let mut parts: Vec<String> = vec![error.without_url_text()];
    for source in sources(error) {
        let text = source.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

trait WithoutUrl {
    fn without_url_text(&self) -> String;
}

impl WithoutUrl for reqwest::Error {
    /// reqwest's message with the URL left out (the report shows it once, elsewhere).
    fn without_url_text(&self) -> String {
        let text = self.to_string();
        match self.url() {
            Some(url) => text.replace(&format!(" ({url})"), ""),
            None => text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn client() -> Client {
        Client::new(
            Endpoints::single("http://127.0.0.1:9"),
            "us-east-1".into(),
            Credentials::dummy(),
            Duration::from_secs(1),
        )
    }

    #[test]
    fn binds_labels_query_and_body_from_metadata() {
        let c = client();
        let get = conform_models::operations::by_name("GetEventSourceMapping").unwrap();
        let r = c.operation_request(get, &json!({"UUID": "a b/c"})).unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(
            r.url,
            "http://127.0.0.1:9/2015-03-31/event-source-mappings/a%20b%2Fc"
        );
        assert!(r.body.is_empty());

        let list = conform_models::operations::by_name("ListEventSourceMappings").unwrap();
        let r = c
            .operation_request(list, &json!({"FunctionName": "f", "MaxItems": 5}))
            .unwrap();
        assert_eq!(
            r.path_and_query(),
            "/2015-03-31/event-source-mappings?FunctionName=f&MaxItems=5"
        );

        let create = conform_models::operations::by_name("CreateEventSourceMapping").unwrap();
        let r = c
            .operation_request(create, &json!({"FunctionName": "f", "BatchSize": 10}))
            .unwrap();
        assert_eq!(r.method, "POST");
        assert_eq!(
            serde_json::from_slice::<Value>(&r.body).unwrap(),
            json!({"FunctionName": "f", "BatchSize": 10})
        );
        assert!(r
            .headers
            .contains(&("content-type".into(), "application/json".into())));

        let err = c.operation_request(get, &json!({})).unwrap_err();
        assert!(err.contains("needs `UUID`"), "{err}");
    }

    #[test]
    fn labels_keep_every_character() {
        let c = client();
        let get = conform_models::operations::by_name("GetEventSourceMapping").unwrap();
        let path = |uuid: &str| {
            let r = c.operation_request(get, &json!({ "UUID": uuid })).unwrap();
            let url = Url::parse(&r.url).unwrap();
            url.path()["/2015-03-31/event-source-mappings/".len()..].to_owned()
        };
        // The URL parser drops tabs and newlines from what it parses: they are encoded first.
        assert_eq!(path("a\nb c\td\r"), "a%0Ab%20c%09d%0D");
        // Every other character is encoded as the URL crate encodes a path segment.
        let all: String = (0u8..0x80)
            .map(char::from)
            .chain(['é', '😀'])
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        let mut expected = Url::parse("http://h/").unwrap();
        expected
            .path_segments_mut()
            .unwrap()
            .pop_if_empty()
            .push(&all);
        assert_eq!(path(&all), expected.path()[1..]);
        assert_eq!(path("%2e%2E"), "%252e%252E");
        // A URL resolves `.` and `..` away: they cannot be sent, and are not silently dropped.
        for dots in [".", ".."] {
            let err = c
                .operation_request(get, &json!({ "UUID": dots }))
                .unwrap_err();
            assert!(err.contains("cannot be sent"), "{err}");
        }
    }

    #[test]
    fn signs_with_the_service_scope() {
        let c = client();
        let r = c
            .aws_json_request("sqs", "AmazonSQS.CreateQueue", &json!({}))
            .unwrap();
        let headers = c.signature(&r).unwrap();
        let auth = &headers
            .iter()
            .find(|(k, _)| k == "authorization")
            .unwrap()
            .1;
        assert!(
            auth.starts_with("AWS4-HMAC-SHA256 Credential=test/"),
            "{auth}"
        );
        assert!(auth.contains("/us-east-1/sqs/aws4_request"), "{auth}");
    }

    #[test]
    fn curl_lines_never_show_secrets_from_the_environment() {
        let mut c = client();
        c.credentials = Credentials {
            access_key: "AKIAREAL".into(),
            secret_key: "s3cr3t".into(),
            session_token: Some("tok".into()),
            from_env: true,
        };
        let r = c
            .raw_request(RawParts {
                body: Some("{'a'}".into()),
                ..RawParts::new("lambda", "POST", "/x")
            })
            .unwrap();
        let line = c.curl(&r);
        assert!(
            !line.contains("s3cr3t") && !line.contains("AKIAREAL") && !line.contains("tok\""),
            "{line}"
        );
        assert!(
            line.contains("--aws-sigv4 'aws:amz:us-east-1:lambda'"),
            "{line}"
        );
        assert!(line.contains(r"--data-binary '{'\''a'\''}'"), "{line}");
    }
}
