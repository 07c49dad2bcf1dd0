//! Test plumbing: a fault-injecting proxy on 127.0.0.1 in front of the embedded reference,
//! temporary case and snapshot folders, and runs of the harness against them.

#![allow(dead_code)] // Each test binary uses its own part of this module.

use std::path::{Path, PathBuf};
use std::time::Duration;

use conform_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use conform_harness::runner::{self, Mode, Paths, RunOptions, RunSummary, Silent};
use conform_harness::target::TargetOptions;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// What the proxy does to requests for event-source mappings; everything else (the fixture
/// calls) passes through to the reference untouched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Pass through.
    None,
    /// Send the status line, headers and part of the body, then close.
    ResetMidResponse,
    /// Read the request and never answer (for at most 30 s).
    Hang,
    /// 200 with an HTML page.
    NotJson,
    /// The reference's answer, labelled `text/plain`.
    WrongContentType,
    /// `200 {}` to every request, fixtures included.
    AlwaysEmpty,
}

/// The proxy; stops when dropped.
pub struct FaultServer {
    pub url: String,
    task: JoinHandle<()>,
    _reference: RunningEmulator,
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultServer {
    pub async fn start(fault: Fault) -> Self {
        let reference = Emulator::start(EmulatorConfig::default())
            .await
            .expect("the reference starts");
        let upstream = reference.url();
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let client = reqwest::Client::new();
        let task = tokio::spawn(async move {
            // Bounded: a test sends at most a few hundred requests.
            for _ in 0..2000 {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let client = client.clone();
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, fault, &client, &upstream).await;
                });
            }
        });
        Self {
            url,
            task,
            _reference: reference,
        }
    }
}

struct RawRequest {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<RawRequest>> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_owned();
    let target = first.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(RawRequest {
        method,
        target,
        headers,
        body,
    }))
}

async fn respond(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    stream.shutdown().await
}

async fn serve(
    mut stream: TcpStream,
    fault: Fault,
    client: &reqwest::Client,
    upstream: &str,
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut stream).await? else {
        return Ok(());
    };
    if fault == Fault::AlwaysEmpty {
        return respond(&mut stream, 200, "application/json", b"{}").await;
    }
    let targeted = request
        .target
        .starts_with("/2015-03-31/event-source-mappings");
    match (fault, targeted) {
        (Fault::ResetMidResponse, true) => {
            stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"UUID\": \"")
                .await?;
            stream.flush().await?;
            return Ok(()); // dropped: closed mid-body
        }
        (Fault::Hang, true) => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            return Ok(());
        }
        (Fault::NotJson, true) => {
            return respond(
                &mut stream,
                200,
                "text/html",
                b"<html><body>Internal Server Error</body></html>",
            )
            .await;
        }
        _ => {}
    }
    let method = reqwest::Method::from_bytes(request.method.as_bytes()).expect("a method");
    let mut forward = client.request(method, format!("{upstream}{}", request.target));
    for (k, v) in &request.headers {
        if !matches!(k.as_str(), "host" | "content-length" | "connection") {
            forward = forward.header(k.as_str(), v.as_str());
        }
    }
    let answer = forward
        .body(request.body)
        .send()
        .await
        .expect("the reference answers");
    let status = answer.status().as_u16();
    let mut content_type = answer
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json")
        .to_owned();
    let error_type = answer
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = answer.bytes().await.expect("a body");
    if fault == Fault::WrongContentType && targeted {
        content_type = "text/plain".into();
    }
    let mut head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    if let Some(code) = error_type {
        head.push_str(&format!("x-amzn-errortype: {code}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(&body).await?;
    stream.shutdown().await
}

/// A folder with `cases/` and `snapshots/`, removed when dropped.
pub struct Project {
    pub dir: tempfile::TempDir,
}

/// Cases covering what the fault tests need: one without fixtures, one that creates a mapping
/// on its own queue, and a raw malformed request.
pub const CASES: &[(&str, &str)] = &[
    (
        "get-unknown.toml",
        r#"
id = "get-unknown"
doc = "Get of an unknown UUID."
tags = ["get"]
operation = "GetEventSourceMapping"
[request]
UUID = "5c4c2b6e-1d0f-4a8e-9a57-3f0e1b2c3d4e"
[expect]
status = 404
"#,
    ),
    (
        "create-sqs.toml",
        r#"
id = "create-sqs"
doc = "A mapping on an SQS queue."
tags = ["sqs"]
operation = "CreateEventSourceMapping"
fixtures = ["function", "queue:own"]
[request]
FunctionName = "{function.name}"
EventSourceArn = "{queue:own.arn}"
BatchSize = 5
"#,
    ),
    (
        "malformed.toml",
        r#"
id = "malformed"
doc = "A body cut short."
tags = ["malformed"]
operation = "CreateEventSourceMapping"
[raw]
method = "POST"
path = "/2015-03-31/event-source-mappings"
body = '{"FunctionName": '
"#,
    ),
];

impl Project {
    pub fn new(cases: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::create_dir(dir.path().join("cases")).expect("cases/");
        std::fs::create_dir(dir.path().join("snapshots")).expect("snapshots/");
        for (name, text) in cases {
            std::fs::write(dir.path().join("cases").join(name), text).expect("a case file");
        }
        Self { dir }
    }

    pub fn snapshots(&self) -> PathBuf {
        self.dir.path().join("snapshots")
    }

    /// Accepts every pending snapshot, as `cargo insta accept` would.
    pub fn accept_all(&self) -> usize {
        let mut accepted = 0;
        for entry in std::fs::read_dir(self.snapshots()).expect("snapshots/") {
            let path = entry.expect("an entry").path();
            if let Some(name) = path.to_str().and_then(|p| p.strip_suffix(".new")) {
                std::fs::rename(&path, name).expect("rename");
                accepted += 1;
            }
        }
        accepted
    }

    /// A digest of every file's name and content under `snapshots/`.
    pub fn snapshot_digest(&self) -> String {
        digest_dir(&self.snapshots())
    }

    pub fn options(&self, mode: Mode, target: Option<&str>, endpoint: Option<&str>) -> RunOptions {
        RunOptions {
            mode,
            target: TargetOptions {
                name: target.map(str::to_owned),
                endpoint: endpoint.map(str::to_owned),
                ..TargetOptions::default()
            },
            selection: Default::default(),
            jobs: 4,
            timeout: Duration::from_secs(5),
            paths: Paths::under(self.dir.path()),
        }
    }

    pub async fn run(&self, options: &RunOptions) -> RunSummary {
        runner::run(options, &Silent)
            .await
            .expect("the run sets up")
    }

    /// Records goldens against the embedded reference and accepts them.
    pub async fn record_goldens(&self) {
        let summary = self
            .run(&self.options(Mode::Record, Some("reference"), None))
            .await;
        assert_eq!(self.accept_all(), summary.reports.len(), "{summary:#?}");
    }
}

pub fn digest_dir(dir: &Path) -> String {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a folder")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    let mut hasher = Sha256::new();
    for path in entries {
        hasher.update(path.file_name().expect("a name").as_encoded_bytes());
        hasher.update(std::fs::read(&path).unwrap_or_default());
    }
    format!("{:x}", hasher.finalize())
}
