//! Load driver: create → get → delete cycles of event-source mappings per second, and the
//! latency of one validated Create, against any endpoints that speak the Lambda, SQS and IAM
//! wire protocols (`conform serve`, moto, ...). Every target gets the same driver, the same
//! requests and the same client settings, one after the other in one run.
//!
//! ```text
//! cargo bench -p conform-emulator --bench cycles -- \
//!     [--target NAME=URL]... [--clients N] [--cycles N | --cycles NAME=N]... \
//!     [--latency-samples N | --latency-samples NAME=N]... [--pid NAME=PID]... \
//!     [--driver-threads N] [--region R]
//! ```
//!
//! `--pid` names a target's server process, whose CPU time during the measured cycles is read
//! from `/proc` (Linux): cycles per server CPU second do not depend on what else the machine
//! runs. Without `--target` it starts an in-process emulator (settle delay 0) and measures that.
//! `scripts/bench/cycles.sh` builds a release `conform serve`, installs and starts moto, and
//! runs both. The last lines of output are `RESULT ...` records, one per target, then ratios.
//!
//! Each client owns one HTTP/1.1 connection (hyper's client connection, no pool) and opens a
//! new one whenever the server closes it, as moto's development server does after every
//! answer; that cost is moto's own. All clients run on one driver thread by default
//! (`--driver-threads`), which leaves the rest of the machine to the target.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpStream;

const MAPPINGS: &str = "/2015-03-31/event-source-mappings/";
const FUNCTION: &str = "conform-bench-fn";
const ROLE: &str = "conform-bench-role";

struct Options {
    targets: Vec<(String, String)>,
    clients: usize,
    cycles: usize,
    cycles_for: BTreeMap<String, usize>,
    latency_samples: usize,
    samples_for: BTreeMap<String, usize>,
    /// The server process of a target, whose CPU time is read from `/proc`.
    pids: BTreeMap<String, u32>,
    /// The driver's own worker threads.
    driver_threads: usize,
    region: String,
}

fn usage(error: &str) -> ExitCode {
    eprintln!("cycles: {error}");
    eprintln!(
        "usage: cycles [--target NAME=URL]... [--clients N] [--cycles N|NAME=N]... \
         [--latency-samples N|NAME=N]... [--pid NAME=PID]... [--driver-threads N] [--region R]"
    );
    ExitCode::from(2)
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        targets: Vec::new(),
        clients: 16,
        cycles: 20_000,
        cycles_for: BTreeMap::new(),
        latency_samples: 2_000,
        samples_for: BTreeMap::new(),
        pids: BTreeMap::new(),
        // One thread drives every client, leaving the rest of the machine to the target.
        driver_threads: 1,
        region: "us-east-1".to_owned(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        let number = |text: String| -> Result<usize, String> {
            text.parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("'{text}' is not a positive number"))
        };
        match arg.as_str() {
            // `cargo bench` passes this to every bench binary.
            "--bench" => {}
            "--target" => {
                let spec = value("--target")?;
                let (name, url) = spec
                    .split_once('=')
                    .ok_or_else(|| format!("--target {spec}: expected NAME=URL"))?;
                options
                    .targets
                    .push((name.to_owned(), url.trim_end_matches('/').to_owned()));
            }
            "--clients" => options.clients = number(value("--clients")?)?,
            "--cycles" => {
                let spec = value("--cycles")?;
                match spec.split_once('=') {
                    Some((name, n)) => {
                        options
                            .cycles_for
                            .insert(name.to_owned(), number(n.to_owned())?);
                    }
                    None => options.cycles = number(spec)?,
                }
            }
            "--latency-samples" => {
                let spec = value("--latency-samples")?;
                match spec.split_once('=') {
                    Some((name, n)) => {
                        options
                            .samples_for
                            .insert(name.to_owned(), number(n.to_owned())?);
                    }
                    None => options.latency_samples = number(spec)?,
                }
            }
            "--pid" => {
                let spec = value("--pid")?;
                let (name, pid) = spec
                    .split_once('=')
                    .ok_or_else(|| format!("--pid {spec}: expected NAME=PID"))?;
                let pid = pid
                    .parse::<u32>()
                    .map_err(|_| format!("--pid {spec}: not a process id"))?;
                options.pids.insert(name.to_owned(), pid);
            }
            "--driver-threads" => options.driver_threads = number(value("--driver-threads")?)?,
            "--region" => options.region = value("--region")?,
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(options) => options,
        Err(error) => return usage(&error),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(options.driver_threads)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match runtime.block_on(run(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cycles: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(mut options: Options) -> Result<(), String> {
    // Without targets, an in-process emulator keeps `cargo bench` self-contained.
    let _local = if options.targets.is_empty() {
        let config = conform_emulator::EmulatorConfig {
            settle_delay: Duration::ZERO,
            ..conform_emulator::EmulatorConfig::default()
        };
        let emulator = conform_emulator::Emulator::start(config)
            .await
            .map_err(|e| format!("cannot start the emulator: {e}"))?;
        options
            .targets
            .push(("conform-in-process".to_owned(), emulator.url()));
        Some(emulator)
    } else {
        None
    };

    let mut results = Vec::new();
    for (name, url) in &options.targets {
        let cycles = options
            .cycles_for
            .get(name)
            .copied()
            .unwrap_or(options.cycles);
        let samples = options
            .samples_for
            .get(name)
            .copied()
            .unwrap_or(options.latency_samples);
        eprintln!(
            "== {name} ({url}): {} clients, {cycles} cycles, {samples} Create samples",
            options.clients
        );
        let target = Target::new(url, &options.region)?;
        let mut conn = target.conn();
        let queues = conn.setup(options.clients).await?;
        // Warm up connections and code paths; not measured.
        let warmup = (options.clients * 4).min(cycles);
        target.cycles(&queues, warmup).await?;
        let pid = options.pids.get(name).copied();
        let before = (
            pid.and_then(cpu_seconds),
            cpu_seconds_self(),
            load_average(),
        );
        let measured = target.cycles(&queues, cycles).await?;
        let after = (
            pid.and_then(cpu_seconds),
            cpu_seconds_self(),
            load_average(),
        );
        let latency = conn.create_latency(&queues[0], samples).await?;
        let result = BenchResult {
            name: name.clone(),
            clients: options.clients,
            cycles,
            elapsed: measured.elapsed,
            cycle_p50: measured.p50,
            cycle_p99: measured.p99,
            create_p50: latency.0,
            create_p99: latency.1,
            samples,
            server_cpu: before.0.zip(after.0).map(|(b, a)| a - b),
            driver_cpu: before.1.zip(after.1).map(|(b, a)| a - b),
            load: (before.2, after.2),
        };
        result.print();
        results.push(result);
    }
    if let Some(base) = results.iter().find(|r| r.name.contains("moto")) {
        for other in results.iter().filter(|r| r.name != base.name) {
            println!(
                "RATIO {}/{}: cycles/s {:.1}x, create p50 {:.1}x faster, create p99 {:.1}x faster",
                other.name,
                base.name,
                other.per_second() / base.per_second(),
                base.create_p50.as_secs_f64() / other.create_p50.as_secs_f64(),
                base.create_p99.as_secs_f64() / other.create_p99.as_secs_f64(),
            );
            if let (Some(theirs), Some(ours)) =
                (base.per_server_cpu_second(), other.per_server_cpu_second())
            {
                println!(
                    "RATIO {}/{}: cycles per server CPU second {:.1}x",
                    other.name,
                    base.name,
                    ours / theirs
                );
            }
        }
    }
    Ok(())
}

struct BenchResult {
    name: String,
    clients: usize,
    cycles: usize,
    elapsed: Duration,
    cycle_p50: Duration,
    cycle_p99: Duration,
    create_p50: Duration,
    create_p99: Duration,
    samples: usize,
    /// CPU seconds the server process used during the measured cycles.
    server_cpu: Option<f64>,
    /// CPU seconds this driver used during the measured cycles.
    driver_cpu: Option<f64>,
    /// The one-minute load average before and after the measured cycles.
    load: (Option<f64>, Option<f64>),
}

impl BenchResult {
    /// Cycles per CPU second of the server: what the server costs, whatever else the machine
    /// is doing at the time.
    fn per_server_cpu_second(&self) -> Option<f64> {
        self.server_cpu
            .filter(|cpu| *cpu > 0.0)
            .map(|cpu| self.cycles as f64 / cpu)
    }

    fn per_second(&self) -> f64 {
        self.cycles as f64 / self.elapsed.as_secs_f64()
    }

    fn print(&self) {
        println!(
            "RESULT target={} clients={} cycles={} seconds={:.3} cycles_per_s={:.0} \
             requests_per_s={:.0} cycle_p50_ms={:.3} cycle_p99_ms={:.3} \
             create_p50_ms={:.3} create_p99_ms={:.3} create_samples={} \
             server_cpu_s={} driver_cpu_s={} cycles_per_server_cpu_s={} load_before={} \
             load_after={}",
            self.name,
            self.clients,
            self.cycles,
            self.elapsed.as_secs_f64(),
            self.per_second(),
            self.per_second() * 3.0,
            ms(self.cycle_p50),
            ms(self.cycle_p99),
            ms(self.create_p50),
            ms(self.create_p99),
            self.samples,
            optional(self.server_cpu, 2),
            optional(self.driver_cpu, 2),
            optional(self.per_server_cpu_second(), 0),
            optional(self.load.0, 2),
            optional(self.load.1, 2),
        );
    }
}

fn optional(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.decimals$}"))
}

/// Linux's USER_HZ, the unit of the times in `/proc/PID/stat`.
const CLOCK_TICKS: f64 = 100.0;

/// User plus system CPU seconds of a process, all its threads included (Linux only).
fn cpu_seconds(pid: u32) -> Option<f64> {
    stat_cpu_seconds(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

fn cpu_seconds_self() -> Option<f64> {
    stat_cpu_seconds(&std::fs::read_to_string("/proc/self/stat").ok()?)
}

fn stat_cpu_seconds(stat: &str) -> Option<f64> {
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / CLOCK_TICKS)
}

fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The value at quantile `q` of sorted samples (nearest rank).
fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

struct Measured {
    elapsed: Duration,
    p50: Duration,
    p99: Duration,
}

#[derive(Clone)]
struct Target {
    /// `host:port`.
    authority: String,
    region: String,
}

impl Target {
    fn new(url: &str, region: &str) -> Result<Self, String> {
        let authority = url
            .strip_prefix("http://")
            .ok_or_else(|| format!("{url}: only http:// endpoints are supported"))?
            .trim_end_matches('/')
            .to_owned();
        Ok(Target {
            authority,
            region: region.to_owned(),
        })
    }

    /// A client of this target, not yet connected.
    fn conn(&self) -> Conn {
        Conn {
            target: self.clone(),
            sender: None,
        }
    }

    fn authorization(&self, service: &str) -> String {
        format!(
            "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261126/{}/{service}/aws4_request, \
             SignedHeaders=host;x-amz-date, Signature=0000",
            self.region
        )
    }

    /// `total` cycles shared by one client per queue, all at once.
    async fn cycles(&self, queues: &[String], total: usize) -> Result<Measured, String> {
        let clients = queues.len();
        let started = Instant::now();
        let tasks: Vec<_> = queues
            .iter()
            .enumerate()
            .map(|(i, queue)| {
                let mut target = self.conn();
                let queue = queue.clone();
                // Client i runs cycles i, i + clients, ...: `total` in all.
                let count = total / clients + usize::from(i < total % clients);
                tokio::spawn(async move {
                    let mut latencies = Vec::with_capacity(count);
                    for _ in 0..count {
                        let start = Instant::now();
                        target.cycle(&queue).await?;
                        latencies.push(start.elapsed());
                    }
                    Ok::<_, String>(latencies)
                })
            })
            .collect();
        let mut latencies = Vec::with_capacity(total);
        for task in tasks {
            latencies.extend(task.await.map_err(|e| e.to_string())??);
        }
        let elapsed = started.elapsed();
        latencies.sort_unstable();
        Ok(Measured {
            elapsed,
            p50: quantile(&latencies, 0.50),
            p99: quantile(&latencies, 0.99),
        })
    }
}

/// One client: a connection to a target, opened again whenever the server closes it.
struct Conn {
    target: Target,
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Conn {
    async fn connect(&mut self) -> Result<&mut SendRequest<Full<Bytes>>, String> {
        let stream = TcpStream::connect(&self.target.authority)
            .await
            .map_err(|e| format!("connect {}: {e}", self.target.authority))?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        let (sender, connection) = http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| format!("handshake: {e}"))?;
        tokio::spawn(async move {
            // Ends when the server closes the connection or the sender is dropped.
            let _ = connection.await;
        });
        Ok(self.sender.insert(sender))
    }

    /// Sends one request, on a new connection if the last one was closed. A request that
    /// never left (its connection closed first) is sent again; nothing else is retried.
    async fn send(
        &mut self,
        service: &str,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Bytes,
    ) -> Result<(StatusCode, String), String> {
        let authorization = self.target.authorization(service);
        for _ in 0..5 {
            let mut request = Request::builder()
                .method(method.clone())
                .uri(path)
                .header("host", &self.target.authority)
                .header("authorization", &authorization)
                .header("x-amz-date", "20261126T000000Z");
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            let request = request
                .body(Full::new(body.clone()))
                .map_err(|e| format!("{path}: {e}"))?;
            let sender = match self.sender.as_mut() {
                Some(sender) if !sender.is_closed() => sender,
                _ => self.connect().await?,
            };
            if sender.ready().await.is_err() {
                self.sender = None;
                continue;
            }
            match sender.send_request(request).await {
                Ok(response) => {
                    let status = response.status();
                    let body = response
                        .into_body()
                        .collect()
                        .await
                        .map_err(|e| format!("{path}: {e}"))?
                        .to_bytes();
                    return Ok((status, String::from_utf8_lossy(&body).into_owned()));
                }
                Err(e) if e.is_canceled() => self.sender = None,
                Err(e) => return Err(format!("{method} {path}: {e}")),
            }
        }
        Err(format!("{method} {path}: the connection kept closing"))
    }

    async fn lambda(
        &mut self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(StatusCode, String), String> {
        match body {
            Some(body) => {
                let json = [("content-type", "application/json")];
                let body = Bytes::from(body.to_string());
                self.send("lambda", method, path, &json, body).await
            }
            None => self.send("lambda", method, path, &[], Bytes::new()).await,
        }
    }

    async fn sqs(&mut self, operation: &str, body: Value) -> Result<(StatusCode, String), String> {
        let target = format!("AmazonSQS.{operation}");
        let headers = [
            ("x-amz-target", target.as_str()),
            ("content-type", "application/x-amz-json-1.0"),
        ];
        let body = Bytes::from(body.to_string());
        self.send("sqs", Method::POST, "/", &headers, body).await
    }

    /// A role (IAM CreateRole, query protocol; an emulator without IAM accepts any role ARN),
    /// the function, and one queue per client. Returns the queue ARNs.
    async fn setup(&mut self, clients: usize) -> Result<Vec<String>, String> {
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let form = format!(
            "Action=CreateRole&Version=2010-05-08&RoleName={ROLE}&AssumeRolePolicyDocument={}",
            form_encode(policy)
        );
        let (status, text) = self
            .send(
                "iam",
                Method::POST,
                "/",
                &[("content-type", "application/x-www-form-urlencoded")],
                Bytes::from(form),
            )
            .await?;
        let role = xml_text(&text, "Arn")
            .filter(|_| status.is_success())
            .unwrap_or_else(|| format!("arn:aws:iam::123456789012:role/{ROLE}"));

        let function = json!({
            "FunctionName": FUNCTION,
            "Runtime": "python3.12",
            "Role": role,
            "Handler": "index.handler",
            "Code": { "ZipFile": ZIP_BASE64 },
        });
        let (status, text) = self
            .lambda(Method::POST, "/2015-03-31/functions", Some(&function))
            .await?;
        if !status.is_success() && status != StatusCode::CONFLICT {
            return Err(format!("CreateFunction answered {status}: {text}"));
        }
        let mut queues = Vec::new();
        for i in 0..clients {
            let name = format!("conform-bench-q-{i}");
            let (status, text) = self
                .sqs("CreateQueue", json!({ "QueueName": name }))
                .await?;
            if !status.is_success() {
                return Err(format!("CreateQueue answered {status}: {text}"));
            }
            let url = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v["QueueUrl"].as_str().map(str::to_owned))
                .ok_or_else(|| format!("CreateQueue gave no QueueUrl: {text}"))?;
            let (status, text) = self
                .sqs(
                    "GetQueueAttributes",
                    json!({ "QueueUrl": url, "AttributeNames": ["QueueArn"] }),
                )
                .await?;
            let arn = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v["Attributes"]["QueueArn"].as_str().map(str::to_owned))
                .filter(|_| status.is_success())
                .ok_or_else(|| format!("GetQueueAttributes answered {status}: {text}"))?;
            queues.push(arn);
        }
        // Leftovers of an earlier run on these queues would turn creates into duplicates.
        for queue in &queues {
            let path = format!("{MAPPINGS}?EventSourceArn={}", form_encode(queue));
            let (_, text) = self.lambda(Method::GET, &path, None).await?;
            let listed: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            for mapping in listed["EventSourceMappings"]
                .as_array()
                .into_iter()
                .flatten()
            {
                if let Some(uuid) = mapping["UUID"].as_str() {
                    self.lambda(Method::DELETE, &format!("{MAPPINGS}{uuid}"), None)
                        .await?;
                }
            }
        }
        Ok(queues)
    }

    /// One create → get → delete cycle on `queue`.
    async fn cycle(&mut self, queue: &str) -> Result<(), String> {
        let body = json!({ "FunctionName": FUNCTION, "EventSourceArn": queue });
        let (status, text) = self.lambda(Method::POST, MAPPINGS, Some(&body)).await?;
        if !status.is_success() {
            return Err(format!("create answered {status}: {text}"));
        }
        let uuid = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v["UUID"].as_str().map(str::to_owned))
            .ok_or_else(|| format!("create gave no UUID: {text}"))?;
        let path = format!("{MAPPINGS}{uuid}");
        let (status, text) = self.lambda(Method::GET, &path, None).await?;
        if status != StatusCode::OK {
            return Err(format!("get answered {status}: {text}"));
        }
        let (status, text) = self.lambda(Method::DELETE, &path, None).await?;
        if !status.is_success() {
            return Err(format!("delete answered {status}: {text}"));
        }
        Ok(())
    }

    /// p50 and p99 of one validated Create, one at a time; each mapping is deleted, untimed.
    async fn create_latency(
        &mut self,
        queue: &str,
        samples: usize,
    ) -> Result<(Duration, Duration), String> {
        let body = json!({
            "FunctionName": FUNCTION,
            "EventSourceArn": queue,
            "Enabled": true,
            "BatchSize": 50,
            "MaximumBatchingWindowInSeconds": 5,
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "ScalingConfig": { "MaximumConcurrency": 10 },
            "FilterCriteria": { "Filters": [{ "Pattern": "{\"body\":{\"kind\":[\"order\"]}}" }] },
        });
        let mut latencies = Vec::with_capacity(samples);
        for _ in 0..samples {
            let start = Instant::now();
            let (status, text) = self.lambda(Method::POST, MAPPINGS, Some(&body)).await?;
            latencies.push(start.elapsed());
            if !status.is_success() {
                return Err(format!("validated create answered {status}: {text}"));
            }
            let uuid = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v["UUID"].as_str().map(str::to_owned))
                .ok_or_else(|| format!("create gave no UUID: {text}"))?;
            self.lambda(Method::DELETE, &format!("{MAPPINGS}{uuid}"), None)
                .await?;
        }
        latencies.sort_unstable();
        Ok((quantile(&latencies, 0.50), quantile(&latencies, 0.99)))
    }
}

fn form_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The text of the first `<tag>...</tag>` in an XML answer.
fn xml_text(xml: &str, tag: &str) -> Option<String> {
    let start = xml.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = start + xml[start..].find(&format!("</{tag}>"))?;
    Some(xml[start..end].to_owned())
}

/// A zip archive with one empty file, `index.py`.
const ZIP_BASE64: &str = "UEsDBBQAAAAAAAAAIVwAAAAAAAAAAAAAAAAIAAAAaW5kZXgucHlQSwECFAMUAAAAAAAAACFcAAAAAAAAAAAAAAAACAAAAAAAAAAAAAAAgAEAAAAAaW5kZXgucHlQSwUGAAAAAAEAAQA2AAAAJgAAAAAA";
