//! The runner: a session against one target (embedded reference started, fixtures on demand,
//! teardown at the end), each case's steps sent, normalised and compared with its golden (or
//! recorded as a pending one), cases in parallel, and Ctrl-C still tearing down.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use conform_emulator::{Emulator, RunningEmulator};
use serde_json::{json, Map, Value};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::case::{self, Case, Expect, Request, Selection, Step};
use crate::client::{Client, Endpoints, Fault, HttpRequest, HttpResponse, RawParts};
use crate::compare::{self, Difference};
use crate::fixtures::{lock, FixtureError, FixtureOptions, Fixtures, Resource};
use crate::normalize::{error_info, Body, Normalizer};
use crate::snapshot::{self, Snapshot};
use crate::target::{self, Target, TargetOptions, Targets};
use crate::template::{Scope, Var};

/// Verify against goldens, or record pending ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Verify,
    Record,
}

/// Where cases and goldens live.
#[derive(Debug, Clone)]
pub struct Paths {
    pub cases: PathBuf,
    pub snapshots: PathBuf,
}

impl Paths {
    /// `cases/` and `snapshots/` under `root`.
    pub fn under(root: &Path) -> Self {
        Self {
            cases: root.join("cases"),
            snapshots: root.join("snapshots"),
        }
    }

    /// `CONFORM_ROOT`, else the nearest folder up from here with both `cases/` and
    /// `snapshots/`, else the workspace this crate was built in.
    pub fn discover() -> Result<Self, String> {
        Self::discover_from(
            std::env::var_os("CONFORM_ROOT"),
            std::env::current_dir().ok(),
        )
    }

    /// [`Paths::discover`] with `CONFORM_ROOT`'s value and the working directory given.
    fn discover_from(root: Option<OsString>, cwd: Option<PathBuf>) -> Result<Self, String> {
        // `CONFORM_ROOT=` (empty) is unset, as tools read an empty variable: not a root of "".
        if let Some(root) = root.filter(|r| !r.is_empty()) {
            let root = PathBuf::from(root);
            if !root.is_dir() {
                return Err(format!("CONFORM_ROOT={}: no such folder", root.display()));
            }
            // Without snapshots/ every case would fail for want of a golden: say so once.
            let missing: Vec<&str> = ["cases/", "snapshots/"]
                .into_iter()
                .filter(|dir| !root.join(dir).is_dir())
                .collect();
            if !missing.is_empty() {
                return Err(format!(
                    "CONFORM_ROOT={}: no {} folder in it; a root holds both cases/ and snapshots/",
                    root.display(),
                    missing.join(" and no ")
                ));
            }
            return Ok(Self::under(&root));
        }
        let has_both = |dir: &Path| dir.join("cases").is_dir() && dir.join("snapshots").is_dir();
        if let Some(cwd) = cwd {
            if let Some(dir) = cwd.ancestors().find(|d| has_both(d)) {
                return Ok(Self::under(dir));
            }
        }
        let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        if has_both(&built) {
            return Ok(Self::under(&built));
        }
        Err("cannot find the cases/ and snapshots/ folders: run inside the project, or set CONFORM_ROOT".into())
    }
}

/// What `conform run` and `conform record` ask for.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub mode: Mode,
    pub target: TargetOptions,
    pub selection: Selection,
    pub jobs: usize,
    /// Per request.
    pub timeout: Duration,
    pub paths: Paths,
}

/// Seconds each request may take unless `--timeout` says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

impl RunOptions {
    /// The options a repro line needs to reach the same target the same way.
    pub fn rerun(&self) -> String {
        let mut options = Vec::new();
        match (&self.target.name, &self.target.endpoint) {
            (Some(name), _) => options.push(format!("--target {name}")),
            (None, Some(_)) => {}
            (None, None) => options.push("--target reference".to_owned()),
        }
        if let Some(endpoint) = &self.target.endpoint {
            options.push(format!(
                "--endpoint {}",
                crate::client::shell_word(endpoint)
            ));
        }
        if self.timeout != DEFAULT_TIMEOUT {
            options.push(format!("--timeout {}", self.timeout.as_secs_f64()));
        }
        options.join(" ")
    }
}

/// How one case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Matches the golden.
    Pass,
    /// Matches the target's accepted divergence.
    Diverged,
    /// A pending snapshot was written (record).
    Pending,
    /// Differs, broke a hard expectation, or a fault cut the exchange short.
    Fail,
    /// Has an accepted divergence yet matches the golden again.
    Resolved,
    /// A fixture the target cannot make (`fixtures_unavailable`).
    Skipped,
    /// The case could not be set up: a fixture the target failed to make. Counts as
    /// non-conformant.
    Error,
    /// The harness could not judge the case for its own sake, not the target's: its golden or
    /// accepted divergence cannot be read (not JSON, cut short, a bad header, no `reason`), a
    /// pending snapshot could not be written, or the harness failed. The run exits 2.
    Unjudged,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Diverged => "diverged",
            Status::Pending => "pending",
            Status::Fail => "fail",
            Status::Resolved => "resolved",
            Status::Skipped => "skipped",
            Status::Error => "error",
            Status::Unjudged => "unjudged",
        }
    }

    /// Counts as conformant: a match, or an accepted divergence.
    pub fn conformant(self) -> bool {
        matches!(self, Status::Pass | Status::Diverged)
    }

    pub fn is_problem(self) -> bool {
        matches!(
            self,
            Status::Fail | Status::Resolved | Status::Error | Status::Pending | Status::Unjudged
        )
    }
}

/// One case's result.
#[derive(Debug, Clone)]
pub struct CaseReport {
    pub id: String,
    pub operation: String,
    pub tags: Vec<String>,
    pub file: String,
    pub status: Status,
    /// Why, one line each (faults, broken expectations, missing goldens).
    pub reasons: Vec<String>,
    pub diffs: Vec<Difference>,
    /// The snapshot the diffs are against.
    pub compared_with: Option<PathBuf>,
    /// The pending snapshot written (record).
    pub written: Option<PathBuf>,
    /// The accepted divergence's reason, when it matched.
    pub divergence: Option<String>,
    /// Whether every step got AWS's HTTP status and error code (`compare::outcome_differs`),
    /// whatever the members and messages; `None` without a comparison with a golden.
    pub same_outcome: Option<bool>,
    /// One curl line per request sent, for a problem (what the reports show).
    pub repro: Vec<String>,
    pub duration: Duration,
}

impl CaseReport {
    fn new(case: &Case) -> Self {
        Self {
            id: case.id.clone(),
            operation: case.operation.to_owned(),
            tags: case.tags.clone(),
            file: case.file.clone(),
            status: Status::Pass,
            reasons: Vec::new(),
            diffs: Vec::new(),
            compared_with: None,
            written: None,
            divergence: None,
            same_outcome: None,
            repro: Vec::new(),
            duration: Duration::ZERO,
        }
    }
}

/// A whole run.
#[derive(Debug, Clone)]
pub struct RunSummary {
    pub target: String,
    /// The options that reproduce the run's target in a repro line (see `RunOptions::rerun`).
    pub rerun: String,
    pub endpoint: String,
    pub mode: Mode,
    /// How many cases were selected (more than `reports` after an interrupt).
    pub selected: usize,
    pub reports: Vec<CaseReport>,
    /// Whether any request got an HTTP answer.
    pub reached: bool,
    pub interrupted: bool,
    pub teardown_problems: Vec<String>,
    pub elapsed: Duration,
}

/// Exit codes: 0 conformant, 1 not, 2 no request reached the endpoint or a case could not be
/// judged (setup and usage errors are `Err` before the run), 130 interrupted.
pub const EXIT_INTERRUPTED: u8 = 130;

impl RunSummary {
    pub fn count(&self, status: Status) -> usize {
        self.reports.iter().filter(|r| r.status == status).count()
    }

    /// Nothing reached the endpoint although cases ran.
    pub fn unreachable(&self) -> bool {
        !self.reached && self.reports.iter().any(|r| r.status != Status::Skipped)
    }

    /// An error of the harness's own (its files), which says nothing about the target.
    pub fn unjudged(&self) -> bool {
        self.count(Status::Unjudged) > 0
    }

    pub fn exit_code(&self) -> u8 {
        if self.interrupted {
            EXIT_INTERRUPTED
        } else if self.unreachable() || self.unjudged() {
            2
        } else if self.reports.iter().any(|r| r.status.is_problem()) {
            1
        } else {
            0
        }
    }
}

/// Told about the run as it goes (the console's progress bar).
pub trait Progress {
    fn started(&self, _total: usize, _target: &Target) {}
    fn finished(&self, _report: &CaseReport) {}
}

/// No progress output.
pub struct Silent;
impl Progress for Silent {}

/// Loads, selects and runs the cases, then tears down. `Err` is a usage or setup error.
pub async fn run(options: &RunOptions, progress: &dyn Progress) -> anyhow::Result<RunSummary> {
    let started = Instant::now();
    let cases = case::load_dir(&options.paths.cases)?;
    let cases = options.selection.apply(cases).map_err(anyhow::Error::msg)?;
    let target = target::resolve(&options.target, &Targets::builtin(), &|k| {
        std::env::var(k).ok()
    })
    .map_err(anyhow::Error::msg)?;
    let session = Arc::new(
        Session::start(
            target,
            options.mode,
            options.paths.snapshots.clone(),
            options.timeout,
        )
        .await?,
    );
    progress.started(cases.len(), session.target());
    let selected = cases.len();
    let mut reports = Vec::new();
    let interrupted = tokio::select! {
        () = run_cases(&session, cases, options.jobs.max(1), progress, &mut reports) => false,
        _ = tokio::signal::ctrl_c() => true,
    };
    let teardown_problems = session.finish().await;
    reports.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(RunSummary {
        target: session.target().name.clone(),
        rerun: options.rerun(),
        endpoint: session.endpoint(),
        mode: options.mode,
        selected,
        reports,
        reached: session.reached(),
        interrupted,
        teardown_problems,
        elapsed: started.elapsed(),
    })
}

/// Runs the cases, `jobs` at a time, pushing each report as it comes.
async fn run_cases(
    session: &Arc<Session>,
    cases: Vec<Case>,
    jobs: usize,
    progress: &dyn Progress,
    reports: &mut Vec<CaseReport>,
) {
    let permits = Arc::new(Semaphore::new(jobs));
    let mut set = JoinSet::new();
    let mut ids = std::collections::HashMap::new();
    for case in cases {
        let session = Arc::clone(session);
        let permits = Arc::clone(&permits);
        let stub = CaseReport::new(&case);
        let handle = set.spawn(async move {
            let _permit = permits
                .acquire_owned()
                .await
                .expect("the semaphore stays open");
            session.run_case(&case).await
        });
        ids.insert(handle.id(), stub);
    }
    while let Some(joined) = set.join_next_with_id().await {
        let report = match joined {
            Ok((_, report)) => report,
            Err(error) => {
                // A panic in one case leaves that case unjudged; the others go on.
                let mut report = ids.remove(&error.id()).expect("every task is known");
                report.status = Status::Unjudged;
                report
                    .reasons
                    .push(format!("the harness failed on this case: {error}"));
                report
            }
        };
        progress.finished(&report);
        reports.push(report);
    }
}

/// One run against one target.
pub struct Session {
    target: Target,
    mode: Mode,
    snapshots: PathBuf,
    client: Client,
    fixtures: Fixtures,
    emulator: Mutex<Option<RunningEmulator>>,
}

impl Session {
    /// Starts the embedded reference if the target is it, and resets the target if asked.
    pub async fn start(
        mut target: Target,
        mode: Mode,
        snapshots: PathBuf,
        timeout: Duration,
    ) -> anyhow::Result<Self> {
        let mut emulator = None;
        if target.embedded() {
            let running = Emulator::start(target.reference_config())
                .await
                .context("cannot start the embedded reference emulator")?;
            target.endpoints = Some(Endpoints::single(running.url()));
            emulator = Some(running);
        }
        let endpoints = target.endpoints.clone().expect("resolved or started above");
        // The client speaks plain HTTP only (emulators on loopback); say so before any case.
        if let Some(url) = target::SERVICES
            .iter()
            .filter_map(|s| endpoints.for_service(s).ok())
            .find(|url| url.starts_with("https://"))
        {
            bail!(
                "{url}: this build of conform speaks plain HTTP only, so it cannot reach an \
                 https:// endpoint (live AWS included); point it at an http:// endpoint"
            );
        }
        let client = Client::new(
            endpoints,
            target.region.clone(),
            target.credentials.clone(),
            timeout,
        );
        if target.reset {
            reset(&client, &target).await?;
        }
        let prefix = format!(
            "conform-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        let options = FixtureOptions {
            needs_role: target.config.needs_role,
            unavailable: target.config.fixtures_unavailable.clone(),
            account: target
                .config
                .account
                .clone()
                .unwrap_or_else(|| "123456789012".into()),
        };
        let fixtures = Fixtures::new(client.clone(), prefix, options);
        Ok(Self {
            target,
            mode,
            snapshots,
            client,
            fixtures,
            emulator: Mutex::new(emulator),
        })
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    pub fn endpoint(&self) -> String {
        let mut shown = self.target.describe();
        if self.target.endpoint_source == "embedded" {
            if let Ok(url) = self.client.endpoints().for_service("lambda") {
                shown = format!("{url} (embedded)");
            }
        }
        shown
    }

    pub fn reached(&self) -> bool {
        self.client.reached()
    }

    /// A snapshot's path as people read it: `snapshots/<id>.snap`.
    fn shown(&self, path: &Path) -> String {
        let base = self.snapshots.parent().unwrap_or(&self.snapshots);
        path.strip_prefix(base)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// Deletes what the run made and stops the embedded reference; returns what could not be
    /// deleted.
    pub async fn finish(&self) -> Vec<String> {
        let problems = self.fixtures.teardown().await;
        let emulator = lock(&self.emulator).take();
        if let Some(emulator) = emulator {
            let _ = emulator.shutdown().await;
        }
        problems
    }

    /// Runs one case to its report. Never panics on a target's behaviour.
    pub async fn run_case(&self, case: &Case) -> CaseReport {
        let started = Instant::now();
        let mut report = CaseReport::new(case);
        let mut sent = Vec::new();
        self.run_case_into(case, &mut report, &mut sent).await;
        // Only the reports of problems show repro lines; a passing case skips making them.
        if report.status.is_problem() {
            report.repro = sent.iter().map(|r| self.client.curl(r)).collect();
        }
        report.duration = started.elapsed();
        report
    }

    /// `sent` gets each request as it goes out.
    async fn run_case_into(
        &self,
        case: &Case,
        report: &mut CaseReport,
        sent: &mut Vec<HttpRequest>,
    ) {
        let mut resources = Vec::new();
        for fixture in &case.fixtures {
            match self.fixtures.get(fixture, &case.id).await {
                Ok(resource) => resources.push(resource),
                Err(FixtureError::Unavailable(why)) => {
                    report.status = Status::Skipped;
                    report.reasons.push(why);
                    return;
                }
                Err(FixtureError::Failed(why)) => {
                    report.status = Status::Error;
                    report.reasons.push(why);
                    return;
                }
            }
        }
        let mut scope = CaseScope {
            session: self,
            case,
            resources,
            captures: Map::new(),
        };
        // Each with its request at the same index of `sent`.
        let mut runs: Vec<(&Step, HttpResponse, Body)> = Vec::new();
        let mut broken = false;
        // A step that could not be sent because the target's earlier answer lacked a member
        // to capture: that is the target's behaviour, part of what a divergence may accept.
        let mut unsent: Option<(&Step, String)> = None;
        let mut capture_missing = false;
        for step in &case.steps {
            let request = match self.build_request(step, &scope) {
                Ok(request) => request,
                Err(why) => {
                    report.reasons.push(format!("step `{}`: {why}", step.name));
                    if capture_missing {
                        unsent = Some((step, why));
                    } else {
                        broken = true;
                    }
                    break;
                }
            };
            sent.push(request);
            let request = sent.last().expect("just pushed");
            let response = match self.exchange(step, request).await {
                Ok((response, note)) => {
                    report.reasons.extend(note);
                    response
                }
                Err(fault) => {
                    report
                        .reasons
                        .push(format!("step `{}`: {fault}", step.name));
                    broken = true;
                    break;
                }
            };
            let body = Body::parse(&response.body);
            if let Body::Text(text) = &body {
                report.reasons.push(format!(
                    "step `{}`: the body is not JSON ({} bytes{}): {}",
                    step.name,
                    response.body.len(),
                    crate::normalize::content_type(&response.headers)
                        .map(|t| format!(", {t}"))
                        .unwrap_or_default(),
                    one_line(text, 120)
                ));
            }
            for (key, path) in &step.capture {
                match body.json().and_then(|b| path.get(b)) {
                    Some(value) => {
                        scope.captures.insert(key.clone(), value.clone());
                    }
                    None => {
                        capture_missing = true;
                        report.reasons.push(format!(
                            "step `{}`: the response has no `{path}` to capture as `{key}`",
                            step.name
                        ));
                    }
                }
            }
            self.track_mappings(step, &response, &body);
            if let Some(expect) = &step.expect {
                for broken in check_expect(expect, &response, &body, &scope) {
                    report
                        .reasons
                        .push(format!("step `{}`: {broken}", step.name));
                }
            }
            if self.target.is_truth()
                && (200..300).contains(&response.status)
                && step.operation.name == "CreateEventSourceMapping"
            {
                if let Some(shared) = case.fixtures.iter().find(|f| {
                    f.label.is_none() && matches!(f.kind.service(), "sqs" | "kinesis" | "dynamodb")
                }) {
                    report.reasons.push(format!(
                        "step `{}` created a mapping on the shared `{shared}`, which other cases use too; \
                         give the case its own (`{shared}:own`)",
                        step.name
                    ));
                }
            }
            runs.push((step, response, body));
        }
        if broken {
            report.status = Status::Fail;
            return;
        }

        let mut normalizer = Normalizer::with_names(self.fixtures.names(), self.fixtures.prefix());
        let actual = if case.steps.len() == 1 {
            normalizer.parsed_response(&runs[0].1, &runs[0].2)
        } else {
            let mut steps: Vec<Value> = runs
                .iter()
                .map(|(step, response, body)| {
                    let mut value = normalizer.parsed_response(response, body);
                    value["step"] = Value::String(step.name.clone());
                    value
                })
                .collect();
            if let Some((step, why)) = &unsent {
                steps.push(json!({ "step": step.name, "not_sent": why }));
            }
            Value::Array(steps)
        };
        let actual = if case.steps.len() == 1 {
            actual
        } else {
            json!({ "steps": actual })
        };
        // The requests go only into a recorded snapshot's metadata; verify never reads them.
        let recording = self.mode == Mode::Record;
        let requests: Vec<Value> = runs
            .iter()
            .zip(sent.iter())
            .filter(|_| recording)
            .map(|((step, ..), request)| {
                let body = match Body::parse(&request.body) {
                    Body::Empty => Value::Null,
                    Body::Json(v) => normalizer.value(&v, None),
                    Body::Text(t) => Value::String(normalizer.text(&t)),
                };
                crate::normalize::sorted(json!({
                    "step": step.name,
                    "operation": step.operation.name,
                    "method": request.method,
                    "path": normalizer.path(&request.path_and_query()),
                    "body": body,
                }))
            })
            .collect();
        self.judge(case, report, actual, requests);
    }

    /// Compares with the golden (verify) or writes a pending snapshot (record).
    fn judge(&self, case: &Case, report: &mut CaseReport, actual: Value, requests: Vec<Value>) {
        let target = &self.target.name;
        let golden_path = snapshot::golden_path(&self.snapshots, &case.id);
        let divergence_path = snapshot::divergence_path(&self.snapshots, &case.id, target);
        // Only the golden's body is compared; a divergence's reason is in its header. A file
        // that cannot be read leaves nothing to judge by (and nothing to record beside).
        let unreadable = |e: String| format!("{e}; fix it, or delete it and record it again");
        let golden = match Snapshot::read_body(&golden_path) {
            Ok(g) => g,
            Err(e) => return unjudged(report, unreadable(e)),
        };
        let divergence = if self.target.is_truth() {
            None
        } else {
            match Snapshot::read_divergence(&divergence_path) {
                Ok(d) => d,
                Err(e) => return unjudged(report, unreadable(e)),
            }
        };
        // Notes so far (broken expectations, faults in the body, failed waits) fail a truth
        // target outright; on another target they are part of what a divergence may accept.
        let noted = !report.reasons.is_empty();
        let golden_diffs = golden.as_ref().map(|g| compare::diff(g, &actual));
        let matches_golden = golden_diffs.as_ref().is_some_and(Vec::is_empty) && !noted;
        let matches_divergence = divergence
            .as_ref()
            .is_some_and(|d| compare::same(&d.body, &actual));
        report.compared_with = golden.as_ref().map(|_| golden_path.clone());
        report.same_outcome = golden_diffs
            .as_ref()
            .map(|diffs| !compare::outcome_differs(diffs));
        report.diffs = golden_diffs.unwrap_or_default();
        note_content_type(report);

        if matches_golden && divergence.is_some() {
            report.status = Status::Resolved;
            report.reasons.push(format!(
                "divergence resolved: {target} matches the golden again; delete {}",
                self.shown(&divergence_path)
            ));
            return;
        }
        report.status = Status::Fail;
        if matches_divergence {
            report.status = Status::Diverged;
            report.diffs.clear();
            report.reasons.clear();
            report.divergence = divergence
                .as_ref()
                .and_then(|d| d.reason().map(str::to_owned));
        } else if matches_golden {
            report.status = Status::Pass;
        }
        let pending = snapshot::pending_path(if self.target.is_truth() {
            &golden_path
        } else {
            &divergence_path
        });
        if report.status.conformant() {
            if self.mode == Mode::Record {
                // A pending file from an earlier recording is stale now.
                let _ = std::fs::remove_file(&pending);
            }
            return;
        }
        report.status = Status::Fail;
        if golden.is_none() && !(self.mode == Mode::Record && self.target.is_truth()) {
            let how = if self.target.is_truth() {
                format!("record it with `conform record --case {}` and review it with `cargo insta review`", case.id)
            } else {
                "record the reference first".to_owned()
            };
            report
                .reasons
                .push(format!("no golden {}: {how}", self.shown(&golden_path)));
        } else if divergence.is_some() {
            report.reasons.push(format!(
                "it also differs from the accepted divergence {}",
                self.shown(&divergence_path)
            ));
        }
        let recordable = if self.target.is_truth() {
            !noted
        } else {
            golden.is_some()
        };
        if self.mode == Mode::Record && recordable {
            let reason = (!self.target.is_truth()).then(|| {
                divergence
                    .as_ref()
                    .and_then(|d| d.reason().map(str::to_owned))
                    .unwrap_or_else(|| {
                        // A first draft for the reviewer to rewrite: the notes, else the diff.
                        let why = if report.reasons.is_empty() {
                            compare::summary(&report.diffs)
                        } else {
                            report.reasons.join("; ")
                        };
                        one_line(&why, 300)
                    })
            });
            let snapshot = self.snapshot(case, actual, requests, reason);
            match snapshot.write(&pending) {
                Ok(()) => {
                    report.status = Status::Pending;
                    report.written = Some(pending);
                }
                Err(e) => unjudged(report, e),
            }
        }
    }

    fn snapshot(
        &self,
        case: &Case,
        body: Value,
        requests: Vec<Value>,
        reason: Option<String>,
    ) -> Snapshot {
        let provenance = if self.target.config.live {
            "aws"
        } else {
            self.target.name.as_str()
        };
        let recorded = time::OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .ok()
            .and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .unwrap_or_default();
        let mut info = Map::new();
        info.insert("case".into(), case.id.clone().into());
        info.insert("operation".into(), case.operation.into());
        info.insert("target".into(), self.target.name.clone().into());
        info.insert("provenance".into(), provenance.into());
        info.insert("recorded".into(), recorded.into());
        if let Some(verified) = &case.aws_verified {
            info.insert("aws_verified".into(), verified.clone().into());
        }
        if let Some(reason) = reason {
            info.insert("reason".into(), reason.into());
        }
        info.insert("requests".into(), Value::Array(requests));
        let expression = case
            .steps
            .iter()
            .map(|s| s.operation.name)
            .collect::<Vec<_>>()
            .join(" → ");
        Snapshot {
            source: case.file.clone(),
            description: case.doc.clone(),
            expression,
            info,
            body,
        }
    }

    fn build_request(&self, step: &Step, scope: &CaseScope<'_>) -> Result<HttpRequest, String> {
        match &step.request {
            Request::Params(template) => {
                let params = template.render(scope)?;
                self.client.operation_request(step.operation, &params)
            }
            Request::Raw(raw) => {
                let path = raw.path.render_string(scope)?;
                let query = raw
                    .query
                    .as_ref()
                    .map(|q| q.render_string(scope))
                    .transpose()?;
                let headers = raw
                    .headers
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), v.render_string(scope)?)))
                    .collect::<Result<Vec<_>, String>>()?;
                let body = raw
                    .body
                    .as_ref()
                    .map(|b| b.render_string(scope))
                    .transpose()?;
                self.client.raw_request(RawParts {
                    query: query.as_deref(),
                    headers,
                    body,
                    sign: raw.sign,
                    ..RawParts::new(&raw.service, &raw.method, &path)
                })
            }
        }
    }

    /// Sends the step's request, again and again while its `wait` condition does not hold.
    /// The note says when the wait gave up.
    async fn exchange(
        &self,
        step: &Step,
        request: &HttpRequest,
    ) -> Result<(HttpResponse, Option<String>), Fault> {
        let Some(wait) = &step.wait else {
            return Ok((self.client.send(request).await?, None));
        };
        // No deadline is one too far off for an `Instant` to hold.
        let deadline = Instant::now().checked_add(Duration::from_millis(wait.timeout_ms));
        loop {
            let response = self.client.send(request).await?;
            let body = Body::parse(&response.body);
            if wait
                .until
                .holds(response.status, body.json().unwrap_or(&Value::Null))
            {
                return Ok((response, None));
            }
            let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            if left == Some(Duration::ZERO) {
                let note = format!(
                    "step `{}`: waited {} ms and `{}` still did not hold",
                    step.name, wait.timeout_ms, wait.until
                );
                return Ok((response, Some(note)));
            }
            // The last pause ends at the deadline, for one more try there, never past it.
            let interval = Duration::from_millis(wait.interval_ms);
            tokio::time::sleep(left.map_or(interval, |left| left.min(interval))).await;
        }
    }

    /// Keeps track of the mappings cases create and delete, so teardown removes the rest.
    fn track_mappings(&self, step: &Step, response: &HttpResponse, body: &Body) {
        if !(200..300).contains(&response.status) {
            return;
        }
        let Some(uuid) = body
            .json()
            .and_then(|b| b.get("UUID"))
            .and_then(Value::as_str)
        else {
            return;
        };
        match step.operation.name {
            "CreateEventSourceMapping" => self.fixtures.track_mapping(uuid),
            "DeleteEventSourceMapping" => self.fixtures.untrack_mapping(uuid),
            _ => {}
        }
    }

    /// The account ARNs carry: configured, else read from a fixture's ARN.
    fn account(&self, resources: &[Resource]) -> Result<String, String> {
        if let Some(account) = &self.target.config.account {
            return Ok(account.clone());
        }
        resources
            .iter()
            .chain(self.fixtures.made().iter())
            .filter_map(|r| r.attr("arn"))
            .find_map(|arn| arn.split(':').nth(4).filter(|a| a.len() == 12).map(str::to_owned))
            .ok_or_else(|| {
                format!(
                    "the account of target `{}` is unknown: set `account` in targets.toml, or list a fixture",
                    self.target.name
                )
            })
    }
}

async fn reset(client: &Client, target: &Target) -> anyhow::Result<()> {
    let Some(reset) = &target.config.reset else {
        return Ok(());
    };
    let (method, path) = target::parse_reset(reset).map_err(anyhow::Error::msg)?;
    let request = client
        .raw_request(RawParts {
            sign: false,
            ..RawParts::new("lambda", &method, &path)
        })
        .map_err(anyhow::Error::msg)?;
    let response = client
        .send(&request)
        .await
        .map_err(|f| anyhow::anyhow!("cannot reset {}: {f}", target.name))?;
    if !(200..300).contains(&response.status) {
        bail!(
            "cannot reset {}: {method} {path} answered {}",
            target.name,
            response.status
        );
    }
    Ok(())
}

fn unjudged(report: &mut CaseReport, why: String) {
    report.status = Status::Unjudged;
    report.reasons.push(why);
}

/// Says so in words when the content type is what differs.
fn note_content_type(report: &mut CaseReport) {
    let notes: Vec<String> = report
        .diffs
        .iter()
        .filter(|d| d.path.ends_with("[\"content-type\"]"))
        .map(|d| {
            let show = |v: &Option<Value>| v.as_ref().map_or("none".to_owned(), |v| v.to_string());
            format!(
                "wrong content type: expected {}, got {}",
                show(&d.expected),
                show(&d.actual)
            )
        })
        .collect();
    report.reasons.extend(notes);
}

fn check_expect(
    expect: &Expect,
    response: &HttpResponse,
    body: &Body,
    scope: &CaseScope<'_>,
) -> Vec<String> {
    let mut broken = Vec::new();
    if let Some(status) = expect.status {
        if status != response.status {
            broken.push(format!("expected status {status}, got {}", response.status));
        }
    }
    let info = error_info(&response.headers, body.json());
    if let Some(code) = &expect.error {
        if info.code.as_deref() != Some(code.as_str()) {
            broken.push(format!(
                "expected error {code}, got {}",
                info.code.as_deref().unwrap_or("no error code")
            ));
        }
    }
    if let Some(message) = &expect.message {
        match message.render_string(scope) {
            Ok(want) if info.message.as_deref() != Some(want.as_str()) => broken.push(format!(
                "expected message {want:?}, got {}",
                info.message.map_or("none".to_owned(), |m| format!("{m:?}"))
            )),
            Ok(_) => {}
            Err(e) => broken.push(format!("expect.message: {e}")),
        }
    }
    if let Some(members) = &expect.body {
        match members.render(scope) {
            Ok(Value::Object(want)) => {
                for (key, value) in want {
                    let got = body.json().and_then(|b| b.get(&key));
                    if !got.is_some_and(|g| compare::same(&value, g)) {
                        broken.push(format!(
                            "expected body member {key} = {value}, got {}",
                            got.map_or("nothing".to_owned(), Value::to_string)
                        ));
                    }
                }
            }
            Ok(_) => {}
            Err(e) => broken.push(format!("expect.body: {e}")),
        }
    }
    broken
}

fn one_line(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &flat[..i]),
        None => flat,
    }
}

/// The values a case's templates see.
struct CaseScope<'a> {
    session: &'a Session,
    case: &'a Case,
    resources: Vec<Resource>,
    captures: Map<String, Value>,
}

impl Scope for CaseScope<'_> {
    fn lookup(&self, var: &Var) -> Result<Value, String> {
        match var {
            Var::Account => self.session.account(&self.resources).map(Value::String),
            Var::Region => Ok(Value::String(self.session.client.region().to_owned())),
            Var::Run => Ok(Value::String(self.session.fixtures.prefix().to_owned())),
            Var::Row(key) => self
                .case
                .row
                .get(key)
                .cloned()
                .ok_or_else(|| format!("{var}: the row has no `{key}`")),
            Var::Capture(key) => self.captures.get(key).cloned().ok_or_else(|| {
                format!("{var} is not set: the step that captures it got no such member")
            }),
            Var::Fixture { fixture, attr } => self
                .resources
                .iter()
                .find(|r| &r.fixture == fixture)
                .and_then(|r| r.attr(attr))
                .map(|v| Value::String(v.to_owned()))
                .ok_or_else(|| format!("{var}: fixture `{fixture}` has no `{attr}`")),
        }
    }
}

/// The cases `conform list` shows.
pub fn list(paths: &Paths, selection: &Selection) -> anyhow::Result<Vec<Case>> {
    let cases = case::load_dir(&paths.cases)?;
    selection.apply(cases).map_err(anyhow::Error::msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repro line reaches the run's target the same way: its name, or the endpoint given
    /// (quoted only when a shell would split it), and a timeout other than the default.
    #[test]
    fn rerun_names_what_reaches_the_target() {
        let options = |name: Option<&str>, endpoint: Option<&str>, timeout: Duration| RunOptions {
            mode: Mode::Verify,
            target: TargetOptions {
                name: name.map(str::to_owned),
                endpoint: endpoint.map(str::to_owned),
                ..Default::default()
            },
            selection: Default::default(),
            jobs: 1,
            timeout,
            paths: Paths::under(Path::new(".")),
        };
        let cases = [
            (None, None, DEFAULT_TIMEOUT, "--target reference"),
            (Some("moto"), None, DEFAULT_TIMEOUT, "--target moto"),
            (
                None,
                Some("http://127.0.0.1:4566"),
                Duration::from_millis(2500),
                "--endpoint http://127.0.0.1:4566 --timeout 2.5",
            ),
            (
                Some("moto"),
                Some("http://127.0.0.1:1/a b?x=1&y=2"),
                DEFAULT_TIMEOUT,
                "--target moto --endpoint 'http://127.0.0.1:1/a b?x=1&y=2'",
            ),
        ];
        for (name, endpoint, timeout, expected) in cases {
            assert_eq!(options(name, endpoint, timeout).rerun(), expected);
        }
    }

    /// A `CONFORM_ROOT` must hold both folders: without `snapshots/` every case would fail for
    /// want of a golden. An empty one is unset, not the working directory.
    #[test]
    fn discover_refuses_a_root_without_both_folders() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let root = dir.path();
        let refused = |root: &Path| {
            Paths::discover_from(Some(root.as_os_str().to_owned()), None).expect_err("refused")
        };
        assert_eq!(
            refused(root),
            format!(
                "CONFORM_ROOT={}: no cases/ and no snapshots/ folder in it; a root holds both cases/ and snapshots/",
                root.display()
            )
        );
        std::fs::create_dir(root.join("cases")).expect("cases/");
        assert_eq!(
            refused(root),
            format!(
                "CONFORM_ROOT={}: no snapshots/ folder in it; a root holds both cases/ and snapshots/",
                root.display()
            )
        );
        let nowhere = root.join("nowhere");
        assert_eq!(
            refused(&nowhere),
            format!("CONFORM_ROOT={}: no such folder", nowhere.display())
        );
        std::fs::create_dir(root.join("snapshots")).expect("snapshots/");
        let paths = Paths::discover_from(Some(root.as_os_str().to_owned()), None).expect("a root");
        assert_eq!(paths.snapshots, root.join("snapshots"));
        let below = root.join("cases/sqs");
        std::fs::create_dir(&below).expect("a folder");
        let paths = Paths::discover_from(Some(OsString::new()), Some(below)).expect("found");
        assert_eq!(paths.cases, root.join("cases"));
        assert_eq!(paths.snapshots, root.join("snapshots"));
    }
}
