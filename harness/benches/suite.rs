//! The harness against a plain HTTP loop, in one run (`cargo bench -p conform-harness --bench
//! suite`). (a) The whole suite (`cases/` and the generated cases, goldens compared) through
//! `runner::run` in verify mode against the embedded reference, with the CLI's default jobs.
//! (b) The requests (a) sent, signatures and fixtures included, replayed with bare reqwest
//! against a fresh embedded reference started the same way: each case's requests in order, as
//! many cases at a time as (a) ran, then the teardown. The difference is what the harness adds
//! (loading, templating, signing, normalising, comparing, reporting).
//!
//! The first run of (a) also generates the cases (cached for the process) and is shown apart;
//! then `ROUNDS` rounds of (a) and (b), alternating, and the median of each. The process's CPU
//! time of each phase is shown too: on a shared machine it varies less than the wall time.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use conform_emulator::Emulator;
use conform_harness::client::{self, SentRequest};
use conform_harness::runner::{self, Mode, Paths, RunOptions, RunSummary, Silent, Status};
use conform_harness::target::{self, TargetOptions, Targets};
use tokio::sync::Semaphore;

const ROUNDS: usize = 5;

fn main() {
    let jobs = std::thread::available_parallelism().map_or(2, |n| n.get());
    let options = RunOptions {
        mode: Mode::Verify,
        target: TargetOptions::default(),
        selection: Default::default(),
        jobs,
        timeout: Duration::from_secs(10),
        paths: Paths::under(&Path::new(env!("CARGO_MANIFEST_DIR")).join("..")),
    };
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    client::keep_sent_requests();

    let (cold, summary, _) = runtime.block_on(harness_run(&options));
    let cases = summary.reports.len();
    let by_status = [
        Status::Pass,
        Status::Diverged,
        Status::Fail,
        Status::Error,
        Status::Unjudged,
        Status::Skipped,
    ]
    .iter()
    .map(|s| format!("{} {}", summary.count(*s), s.label()))
    .collect::<Vec<_>>()
    .join(", ");
    println!(
        "suite: {cases} cases ({by_status}), jobs {jobs}, exit code {}",
        summary.exit_code()
    );
    println!("(a) first run, cases generated: {:.3} s", secs(cold));

    let mut harness = Vec::new();
    let mut plain = Vec::new();
    let (mut harness_cpu, mut plain_cpu) = (Vec::new(), Vec::new());
    let mut sent = 0;
    let mut same_status = 0;
    for round in 1..=ROUNDS {
        let cpu_start = cpu_time();
        let (a, _, requests) = runtime.block_on(harness_run(&options));
        let cpu_between = cpu_time();
        let (b, statuses) = runtime.block_on(plain_loop(&requests, jobs));
        let cpu_end = cpu_time();
        let spent = |from: Option<Duration>, to: Option<Duration>| Some(to? - from?);
        let (a_cpu, b_cpu) = (spent(cpu_start, cpu_between), spent(cpu_between, cpu_end));
        sent = requests.len();
        same_status = requests
            .iter()
            .zip(&statuses)
            .filter(|(r, s)| Some(r.status) == **s)
            .count();
        println!(
            "round {round}: (a) harness {:.3} s, (b) plain loop {:.3} s, {sent} requests{}",
            secs(a),
            secs(b),
            match (a_cpu, b_cpu) {
                (Some(ac), Some(bc)) =>
                    format!("; CPU (a) {:.2} s, (b) {:.2} s", secs(ac), secs(bc)),
                _ => String::new(),
            }
        );
        harness.push(a);
        plain.push(b);
        harness_cpu.extend(a_cpu);
        plain_cpu.extend(b_cpu);
    }
    let a = median(&mut harness);
    let b = median(&mut plain);
    let per_case = |d: Duration| secs(d) * 1000.0 / cases as f64;
    println!("--- median of {ROUNDS} rounds ---");
    println!("cases: {cases}; requests per run: {sent} (the replay got the harness's status for {same_status})");
    println!(
        "(a) harness:    {:.3} s ({:.2} ms per case)",
        secs(a),
        per_case(a)
    );
    println!(
        "(b) plain loop: {:.3} s ({:.2} ms per case)",
        secs(b),
        per_case(b)
    );
    println!(
        "harness overhead per case (a-b)/cases: {:.2} ms",
        per_case(a) - per_case(b)
    );
    println!("ratio a/b: {:.2} (target at most 2)", secs(a) / secs(b));
    if harness_cpu.len() == ROUNDS && plain_cpu.len() == ROUNDS {
        let (ac, bc) = (median(&mut harness_cpu), median(&mut plain_cpu));
        println!(
            "CPU time (all threads, emulator included): (a) {:.2} s, (b) {:.2} s, ratio {:.2}",
            secs(ac),
            secs(bc),
            secs(ac) / secs(bc)
        );
    }
    println!(
        "300 cases at this rate: {:.2} s (target under 3 s on 2 cores)",
        per_case(a) * 300.0 / 1000.0
    );
}

/// (a): the suite through the runner; the wall time, the summary and the requests it sent.
async fn harness_run(options: &RunOptions) -> (Duration, RunSummary, Vec<SentRequest>) {
    client::take_sent();
    let started = Instant::now();
    let summary = runner::run(options, &Silent).await.expect("the suite runs");
    let elapsed = started.elapsed();
    (elapsed, summary, client::take_sent())
}

/// (b): the same requests with bare reqwest against a fresh reference; the wall time and each
/// request's status (`None` for a failed exchange).
async fn plain_loop(requests: &[SentRequest], jobs: usize) -> (Duration, Vec<Option<u16>>) {
    // Started (and timed) the way `Session::start` starts the embedded reference in (a).
    let started = Instant::now();
    let target = target::resolve(&TargetOptions::default(), &Targets::builtin(), &|k| {
        std::env::var(k).ok()
    })
    .expect("the reference resolves");
    let emulator = Emulator::start(target.reference_config())
        .await
        .expect("the reference starts");
    let base = reqwest::Url::parse(&emulator.url()).expect("a URL");
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(8)
        .no_proxy()
        .build()
        .expect("a client");

    // One sequence per case task, in the order the cases began; the rest (teardown) last.
    let mut order = Vec::new();
    let mut groups: HashMap<_, Vec<usize>> = HashMap::new();
    let mut after = Vec::new();
    for (i, request) in requests.iter().enumerate() {
        match request.task {
            Some(task) => groups
                .entry(task)
                .or_insert_with(|| {
                    order.push(task);
                    Vec::new()
                })
                .push(i),
            None => after.push(i),
        }
    }
    let prepared: Arc<Vec<_>> = Arc::new(
        requests
            .iter()
            .map(|r| {
                let mut url = reqwest::Url::parse(&r.url).expect("a logged URL parses");
                url.set_host(base.host_str()).expect("a host");
                url.set_port(base.port()).expect("a port");
                let method = reqwest::Method::from_bytes(r.method.as_bytes()).expect("a method");
                (method, url, r.headers.clone(), r.body.clone())
            })
            .collect(),
    );
    let send = |http: reqwest::Client, prepared: Arc<Vec<_>>, i: usize| async move {
        let (method, url, headers, body): &(
            reqwest::Method,
            reqwest::Url,
            Vec<(String, String)>,
            Vec<u8>,
        ) = &prepared[i];
        let mut builder = http.request(method.clone(), url.clone()).body(body.clone());
        for (name, value) in headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let response = builder.send().await.ok()?;
        let status = response.status().as_u16();
        response.bytes().await.ok()?;
        Some(status)
    };

    let permits = Arc::new(Semaphore::new(jobs));
    let mut tasks = tokio::task::JoinSet::new();
    for task in order {
        let sequence = groups.remove(&task).expect("every task has a group");
        let (http, prepared, permits) = (http.clone(), Arc::clone(&prepared), Arc::clone(&permits));
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.expect("open");
            let mut statuses = Vec::new();
            for i in sequence {
                statuses.push((i, send(http.clone(), Arc::clone(&prepared), i).await));
            }
            statuses
        });
    }
    let mut statuses = vec![None; requests.len()];
    while let Some(done) = tasks.join_next().await {
        for (i, status) in done.expect("a replay task") {
            statuses[i] = status;
        }
    }
    for i in after {
        statuses[i] = send(http.clone(), Arc::clone(&prepared), i).await;
    }
    let elapsed = started.elapsed();
    let _ = emulator.shutdown().await;
    (elapsed, statuses)
}

/// The process's CPU time so far, user and system, all threads (Linux: `/proc/self/stat`,
/// in ticks of 10 ms, so a phase's figure is good to about ±20 ms).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<u64>().ok();
    // utime and stime, fields 14 and 15 of proc(5); USER_HZ is 100 on Linux.
    Some(Duration::from_millis((ticks(11)? + ticks(12)?) * 10))
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}
