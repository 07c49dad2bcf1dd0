//! The harness against endpoints that misbehave: each fault is reported per case with its
//! reason, the run completes, and the exit code says what happened. Also: recording and
//! verifying against the reference, divergences, and that verifying writes nothing.

mod common;

use std::time::Duration;

use common::{Fault, FaultServer, Project, CASES};
use conform_harness::report::console::{self, Painter};
use conform_harness::runner::{CaseReport, Mode, RunSummary, Session, Status};
use conform_harness::snapshot::Snapshot;

fn report<'a>(summary: &'a RunSummary, id: &str) -> &'a CaseReport {
    summary
        .reports
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no report for {id}: {summary:#?}"))
}

fn reasons(report: &CaseReport) -> String {
    report.reasons.join("\n")
}

#[tokio::test]
async fn record_then_verify_against_the_reference_writes_nothing() {
    let project = Project::new(CASES);
    let first = project
        .run(&project.options(Mode::Verify, None, None))
        .await;
    assert_eq!(first.exit_code(), 1, "no goldens yet: {first:#?}");
    assert!(reasons(report(&first, "get-unknown")).contains("no golden"));

    project.record_goldens().await;
    let before = project.snapshot_digest();
    let summary = project
        .run(&project.options(Mode::Verify, None, None))
        .await;
    assert_eq!(summary.exit_code(), 0, "{summary:#?}");
    assert_eq!(summary.count(Status::Pass), CASES.len());
    assert_eq!(
        project.snapshot_digest(),
        before,
        "a verify run changed snapshots/"
    );

    // Recording again finds nothing new to propose.
    let again = project
        .run(&project.options(Mode::Record, Some("reference"), None))
        .await;
    assert_eq!(again.exit_code(), 0, "{again:#?}");
    assert_eq!(project.snapshot_digest(), before);
}

#[tokio::test]
async fn a_closed_port_is_an_endpoint_error_within_seconds() {
    let project = Project::new(CASES);
    project.record_goldens().await;
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("an address").port()
    };
    let endpoint = format!("http://127.0.0.1:{port}");
    // A refused connection must end the case at once, not after the per-request timeout: with
    // a timeout far longer than the guard, only a run that never waits finishes inside it.
    let mut options = project.options(Mode::Verify, None, Some(&endpoint));
    options.timeout = Duration::from_secs(3600);
    let summary = tokio::time::timeout(Duration::from_secs(600), project.run(&options))
        .await
        .expect("a refused connection is not waited on");
    assert_eq!(summary.exit_code(), 2, "{summary:#?}");
    assert!(summary.unreachable());
    for r in &summary.reports {
        assert!(reasons(r).contains("connection refused"), "{r:#?}");
    }
}

#[tokio::test]
async fn an_endpoint_answering_200_empty_is_non_conformant_with_diffs() {
    let project = Project::new(CASES);
    project.record_goldens().await;
    let server = FaultServer::start(Fault::AlwaysEmpty).await;
    let before = project.snapshot_digest();
    let summary = project
        .run(&project.options(Mode::Verify, None, Some(&server.url)))
        .await;
    assert_eq!(summary.exit_code(), 1, "{summary:#?}");
    let get = report(&summary, "get-unknown");
    assert_eq!(get.status, Status::Fail);
    let paths: Vec<&str> = get.diffs.iter().map(|d| d.path.as_str()).collect();
    assert!(paths.contains(&"$.status"), "{paths:?}");
    assert!(paths.contains(&"$.error"), "{paths:?}");
    assert!(
        reasons(get).contains("expected status 404, got 200"),
        "{get:#?}"
    );
    // A fixture the endpoint cannot make is that case's failure, named.
    let create = report(&summary, "create-sqs");
    assert!(
        reasons(create).contains("cannot make fixture `function`"),
        "{create:#?}"
    );

    let text = conform_harness::report::console::render(
        &summary,
        conform_harness::report::console::Painter::plain(),
    );
    assert!(
        text.contains("$.status\n      - 404\n      + 200"),
        "{text}"
    );
    // The repro line reaches the same endpoint again, with the run's own timeout.
    assert!(
        text.contains(&format!(
            "conform run --case get-unknown --endpoint {} --timeout {}\n",
            server.url,
            project
                .options(Mode::Verify, None, None)
                .timeout
                .as_secs_f64()
        )),
        "{text}"
    );
    assert!(text.contains("curl -sS -i"), "{text}");
    assert_eq!(project.snapshot_digest(), before);
}

#[tokio::test]
async fn a_reset_mid_response_is_reported_per_case() {
    let project = Project::new(CASES);
    project.record_goldens().await;
    let server = FaultServer::start(Fault::ResetMidResponse).await;
    let summary = project
        .run(&project.options(Mode::Verify, None, Some(&server.url)))
        .await;
    assert_eq!(summary.exit_code(), 1, "{summary:#?}");
    for r in &summary.reports {
        assert_eq!(r.status, Status::Fail, "{r:#?}");
        assert!(
            reasons(r).contains("connection closed mid-response"),
            "{r:#?}"
        );
    }
}

#[tokio::test]
async fn a_hanging_endpoint_times_out_per_request() {
    let project = Project::new(CASES);
    project.record_goldens().await;
    let server = FaultServer::start(Fault::Hang).await;
    let mut options = project.options(Mode::Verify, None, Some(&server.url));
    options.timeout = Duration::from_millis(500);
    // The server never answers: only the per-request timeout can end the run.
    let summary = tokio::time::timeout(Duration::from_secs(600), project.run(&options))
        .await
        .expect("a hanging endpoint is cut off by the per-request timeout");
    assert_eq!(summary.exit_code(), 1, "{summary:#?}");
    for r in &summary.reports {
        assert!(reasons(r).contains("timed out"), "{r:#?}");
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_named() {
    let project = Project::new(CASES);
    project.record_goldens().await;
    let server = FaultServer::start(Fault::NotJson).await;
    let summary = project
        .run(&project.options(Mode::Verify, None, Some(&server.url)))
        .await;
    assert_eq!(summary.exit_code(), 1, "{summary:#?}");
    for r in &summary.reports {
        assert!(reasons(r).contains("the body is not JSON"), "{r:#?}");
        assert!(r.diffs.iter().any(|d| d.path == "$.body_text"), "{r:#?}");
    }
}

#[tokio::test]
async fn divergences_are_recorded_accepted_and_strict() {
    let project = Project::new(CASES);
    project.record_goldens().await;
    let server = FaultServer::start(Fault::WrongContentType).await;
    let verify = project.options(Mode::Verify, None, Some(&server.url));

    let summary = project.run(&verify).await;
    assert_eq!(summary.exit_code(), 1, "{summary:#?}");
    let get = report(&summary, "get-unknown");
    assert!(
        reasons(get)
            .contains(r#"wrong content type: expected "application/json", got "text/plain""#),
        "{get:#?}"
    );

    // Record the target's divergences; accept them; the target is then conformant.
    let recorded = project
        .run(&project.options(Mode::Record, None, Some(&server.url)))
        .await;
    assert_eq!(
        recorded.count(Status::Pending),
        CASES.len(),
        "{recorded:#?}"
    );
    let pending = project.snapshots().join("get-unknown@endpoint.snap.new");
    let text = std::fs::read_to_string(&pending).expect("a divergence snapshot");
    assert!(text.contains("\"reason\":"), "{text}");
    assert_eq!(project.accept_all(), CASES.len());
    let summary = project.run(&verify).await;
    assert_eq!(summary.exit_code(), 0, "{summary:#?}");
    assert_eq!(summary.count(Status::Diverged), CASES.len());
    assert!(report(&summary, "get-unknown").divergence.is_some());

    // The same target name behaving like the golden again: the divergence is resolved.
    let reference = FaultServer::start(Fault::None).await;
    let summary = project
        .run(&project.options(Mode::Verify, None, Some(&reference.url)))
        .await;
    assert_eq!(summary.exit_code(), 1, "{summary:#?}");
    let get = report(&summary, "get-unknown");
    assert_eq!(get.status, Status::Resolved);
    assert!(reasons(get).contains("divergence resolved"), "{get:#?}");
}

#[tokio::test]
async fn a_step_the_target_left_without_its_capture_is_part_of_the_divergence() {
    let steps = (
        "steps.toml",
        r#"
id = "steps"
doc = "A capture from the first answer feeds the second request."
operation = "GetEventSourceMapping"
[[steps]]
name = "first"
request = { UUID = "5c4c2b6e-1d0f-4a8e-9a57-3f0e1b2c3d4e" }
capture = { kind = "Type" }
[[steps]]
name = "second"
raw = { method = "GET", path = "/2015-03-31/event-source-mappings/5c4c2b6e-1d0f-4a8e-9a57-3f0e1b2c3d4e", query = "kind={capture.kind}" }
"#,
    );
    let project = Project::new(&[steps]);
    project.record_goldens().await;
    // 200 with an empty body: nothing to capture, so the second request cannot be built.
    let server = FaultServer::start(Fault::AlwaysEmpty).await;
    let verify = project.options(Mode::Verify, None, Some(&server.url));
    let summary = project.run(&verify).await;
    let r = report(&summary, "steps");
    assert_eq!(r.status, Status::Fail, "{r:#?}");
    assert!(reasons(r).contains("to capture as `kind`"), "{r:#?}");

    let recorded = project
        .run(&project.options(Mode::Record, None, Some(&server.url)))
        .await;
    assert_eq!(recorded.count(Status::Pending), 1, "{recorded:#?}");
    let pending = project.snapshots().join("steps@endpoint.snap.new");
    let text = std::fs::read_to_string(&pending).expect("a divergence snapshot");
    assert!(text.contains("\"not_sent\""), "{text}");
    assert_eq!(project.accept_all(), 1);
    let summary = project.run(&verify).await;
    assert_eq!(summary.exit_code(), 0, "{summary:#?}");
    assert_eq!(report(&summary, "steps").status, Status::Diverged);
}

#[tokio::test]
async fn teardown_deletes_only_what_the_run_made() {
    use conform_harness::client::{Client, Credentials, Endpoints};
    use conform_harness::fixtures::{FixtureOptions, FixtureRef, Fixtures};
    use serde_json::json;

    let reference = conform_emulator::Emulator::start(Default::default())
        .await
        .expect("starts");
    let client = Client::new(
        Endpoints::single(reference.url()),
        "us-east-1".into(),
        Credentials::dummy(),
        Duration::from_secs(5),
    );
    // Someone else's queue, made before the run.
    let theirs = client
        .aws_json_request(
            "sqs",
            "AmazonSQS.CreateQueue",
            &json!({"QueueName": "not-ours"}),
        )
        .expect("a request");
    assert_eq!(client.send(&theirs).await.expect("an answer").status, 200);

    let fixtures = Fixtures::new(
        client.clone(),
        "conform-0badcafe".into(),
        FixtureOptions {
            account: "123456789012".into(),
            ..Default::default()
        },
    );
    let state = reference.state();
    let mut arns = Vec::new();
    for name in [
        "queue",
        "fifo-queue",
        "stream",
        "table",
        "function-alias",
        "queue:own",
    ] {
        let made = fixtures
            .get(&FixtureRef::parse(name).expect("a fixture"), "case")
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        arns.push((
            name,
            made.attr("arn").expect("an arn").to_owned(),
            made.clone(),
        ));
    }
    let queue_arn = &arns[0].1;
    assert!(
        queue_arn.ends_with(":conform-0badcafe-queue"),
        "{queue_arn}"
    );
    assert!(state.queue_by_arn(queue_arn).is_some());
    assert!(arns[1].1.ends_with(".fifo"));
    assert!(state.stream_by_arn(&arns[2].1).is_some());
    assert!(state
        .table_stream_by_arn(arns[3].2.attr("stream_arn").expect("a stream"))
        .is_some());
    assert!(arns[4].1.ends_with(":live"), "{}", arns[4].1);
    // The shared queue is made once; a case's own queue is another.
    let again = fixtures
        .get(&FixtureRef::parse("queue").expect("ok"), "other")
        .await
        .expect("ok");
    assert_eq!(again.attr("arn"), Some(queue_arn.as_str()));
    assert_ne!(arns[5].1, *queue_arn);
    // A labelled fixture's name carries its label, for cases that probe name prefixes.
    assert!(
        arns[5].1.contains(":conform-0badcafe-queue-own-"),
        "{}",
        arns[5].1
    );

    let problems = fixtures.teardown().await;
    assert!(problems.is_empty(), "{problems:?}");
    for (name, arn, _) in &arns[..3] {
        assert!(
            state.queue_by_arn(arn).is_none() && state.stream_by_arn(arn).is_none(),
            "{name} is still there"
        );
    }
    let gone = client
        .raw_request(conform_harness::client::RawParts::new(
            "lambda",
            "GET",
            "/2015-03-31/functions/conform-0badcafe-function",
        ))
        .expect("a request");
    assert_eq!(client.send(&gone).await.expect("an answer").status, 404);
    let still = client
        .aws_json_request(
            "sqs",
            "AmazonSQS.GetQueueUrl",
            &json!({"QueueName": "not-ours"}),
        )
        .expect("a request");
    assert_eq!(
        client.send(&still).await.expect("an answer").status,
        200,
        "teardown deleted someone else's queue"
    );
}

#[tokio::test]
async fn unavailable_fixtures_skip_their_cases() {
    let table_case = (
        "ddb.toml",
        r#"
id = "ddb"
doc = "Needs a DynamoDB stream."
operation = "CreateEventSourceMapping"
fixtures = ["function", "table"]
[request]
FunctionName = "{function.name}"
EventSourceArn = "{table.stream_arn}"
StartingPosition = "AT_TIMESTAMP"
"#,
    );
    let project = Project::new(&[CASES[0], table_case]);
    project.record_goldens().await;
    // The reference, under LocalStack's name and quirks: no DynamoDB fixtures.
    let reference = FaultServer::start(Fault::None).await;
    let summary = project
        .run(&project.options(Mode::Verify, Some("localstack"), Some(&reference.url)))
        .await;
    assert_eq!(summary.exit_code(), 0, "{summary:#?}");
    let ddb = report(&summary, "ddb");
    assert_eq!(ddb.status, Status::Skipped);
    assert!(
        reasons(ddb).contains("fixture `table` is unavailable"),
        "{ddb:#?}"
    );
    assert_eq!(report(&summary, "get-unknown").status, Status::Pass);
}

#[tokio::test]
async fn a_mapping_on_a_shared_source_is_an_authoring_error() {
    let shared = (
        "shared.toml",
        r#"
id = "shared"
doc = "Creates a mapping on the run's shared queue."
operation = "CreateEventSourceMapping"
fixtures = ["function", "queue"]
[request]
FunctionName = "{function.name}"
EventSourceArn = "{queue.arn}"
"#,
    );
    let project = Project::new(&[shared]);
    let summary = project
        .run(&project.options(Mode::Record, Some("reference"), None))
        .await;
    let case = report(&summary, "shared");
    assert_eq!(case.status, Status::Fail, "{case:#?}");
    assert!(
        reasons(case).contains("give the case its own (`queue:own`)"),
        "{case:#?}"
    );
    assert!(
        case.written.is_none(),
        "no golden is proposed for a broken case"
    );
}

#[tokio::test]
async fn reset_is_sent_only_when_asked_and_must_succeed() {
    let project = Project::new(&[CASES[0]]);
    let server = FaultServer::start(Fault::None).await;
    let mut options = project.options(Mode::Verify, Some("moto"), Some(&server.url));
    options.target.reset = true;
    // The reference has no moto-api (an unsigned call is refused): the run stops before any case.
    let error = conform_harness::runner::run(&options, &conform_harness::runner::Silent)
        .await
        .expect_err("a failed reset is a setup error");
    assert!(
        error
            .to_string()
            .contains("cannot reset moto: POST /moto-api/reset answered 403"),
        "{error}"
    );
    let mut options = project.options(Mode::Verify, Some("localstack"), Some(&server.url));
    options.target.reset = true;
    let error = conform_harness::runner::run(&options, &conform_harness::runner::Silent)
        .await
        .expect_err("LocalStack has no reset call");
    assert!(error.to_string().contains("has no reset call"), "{error}");
}

/// A wait's pauses end at its deadline: with an interval of hours (set past anything the loader
/// checks) and a timeout of 100 ms, the step gives up after about 100 ms.
#[tokio::test]
async fn a_wait_never_sleeps_past_its_deadline() {
    use conform_harness::case;
    use conform_harness::target::{self, TargetOptions, Targets};

    let text = r#"
id = "wait"
doc = "A wait that never holds: the mapping does not exist."
operation = "GetEventSourceMapping"
[[steps]]
name = "never"
request = { UUID = "5c4c2b6e-1d0f-4a8e-9a57-3f0e1b2c3d4e" }
wait = { until = "status == 200", timeout_ms = 100, interval_ms = 50 }
"#;
    let mut case = case::parse_case(text, "cases/wait.toml")
        .expect("a case")
        .remove(0);
    case.steps[0].wait.as_mut().expect("a wait").interval_ms = 100_000_000;
    let project = Project::new(&[]);
    let target = target::resolve(&TargetOptions::default(), &Targets::builtin(), &|_| None)
        .expect("the reference");
    let session = Session::start(
        target,
        Mode::Verify,
        project.snapshots(),
        Duration::from_secs(5),
    )
    .await
    .expect("the reference starts");
    let report = tokio::time::timeout(Duration::from_secs(60), session.run_case(&case))
        .await
        .expect("the wait ends at its timeout, not after its interval");
    assert!(session.finish().await.is_empty());
    assert!(
        reasons(&report)
            .contains("step `never`: waited 100 ms and `status == 200` still did not hold"),
        "{report:#?}"
    );
}

/// A golden the harness cannot read is the harness's error (exit 2), not a finding about the
/// target: named at its line and column, with what to do, and nothing recorded beside it.
#[tokio::test]
async fn a_broken_golden_is_an_error_of_the_harness_not_a_finding() {
    let project = Project::new(&[CASES[0]]);
    project.record_goldens().await;
    let golden = project.snapshots().join("get-unknown.snap");
    let text = std::fs::read_to_string(&golden).expect("the golden");
    // Cut short inside the body's last string.
    let cut = &text[..text.rfind("application/json").expect("a content type") + 5];
    std::fs::write(&golden, cut).expect("written");
    let (line, column) = (
        cut.lines().count(),
        cut.lines().last().expect("a line").len(),
    );
    let named = format!(
        "{}:{line}:{column}: body is not JSON: EOF while parsing a string; fix it, or delete it and record it again",
        golden.display()
    );
    let before = project.snapshot_digest();

    for mode in [Mode::Verify, Mode::Record] {
        let summary = project
            .run(&project.options(mode, Some("reference"), None))
            .await;
        assert_eq!(summary.exit_code(), 2, "{mode:?}: {summary:#?}");
        let r = report(&summary, "get-unknown");
        assert_eq!(r.status, Status::Unjudged, "{mode:?}: {r:#?}");
        assert_eq!(reasons(r), named, "{mode:?}");
        assert!(r.written.is_none(), "{mode:?}: {r:#?}");
        let text = console::render(&summary, Painter::plain());
        assert!(
            text.contains(&format!(
                "not judged: 1 case, for the harness's own files (no finding about reference):\n  get-unknown: {named}\n"
            )),
            "{mode:?}: {text}"
        );
        assert!(
            text.contains("\nharness error: 1 case against reference"),
            "{mode:?}: {text}"
        );
        assert!(!text.contains("pending review"), "{mode:?}: {text}");
    }
    assert_eq!(project.snapshot_digest(), before, "nothing was written");
}

/// An accepted divergence that cannot be read, or whose `reason` is missing or not a string,
/// is the harness's error too, named at the file's line and column.
#[tokio::test]
async fn a_broken_divergence_is_an_error_of_the_harness_not_a_finding() {
    let project = Project::new(&[CASES[0]]);
    project.record_goldens().await;
    let server = FaultServer::start(Fault::WrongContentType).await;
    project
        .run(&project.options(Mode::Record, None, Some(&server.url)))
        .await;
    assert_eq!(project.accept_all(), 1);
    let verify = project.options(Mode::Verify, None, Some(&server.url));
    assert_eq!(project.run(&verify).await.exit_code(), 0);

    let path = project.snapshots().join("get-unknown@endpoint.snap");
    let accepted = Snapshot::read(&path).expect("read").expect("a divergence");
    let with_reason = |reason: Option<serde_json::Value>| {
        let mut snapshot = accepted.clone();
        match reason {
            Some(reason) => snapshot.info.insert("reason".into(), reason),
            None => snapshot.info.remove("reason"),
        };
        snapshot.render()
    };
    let rendered = accepted.render();
    let broken_header = rendered.replacen(
        "\nexpression: \"GetEventSourceMapping\"\n",
        "\nexpression: a: b\n",
        1,
    );
    assert_ne!(broken_header, rendered);
    let info_line = rendered
        .lines()
        .position(|l| l.starts_with("info: "))
        .expect("info")
        + 1;
    let reason_column = |text: &str| {
        text.lines()
            .nth(info_line - 1)
            .expect("info")
            .find("\"reason\"")
            .expect("a reason")
            + 1
    };
    let number = with_reason(Some(serde_json::json!(5)));
    let cases = [
        (
            with_reason(None),
            (info_line, 1),
            "has no `reason` in its info",
        ),
        (
            number.clone(),
            (info_line, reason_column(&number)),
            "`reason` must be a string",
        ),
        (
            broken_header,
            (4, 14),
            "header: mapping values are not allowed in this context",
        ),
    ];
    for (text, (line, column), why) in cases {
        std::fs::write(&path, &text).expect("written");
        let summary = project.run(&verify).await;
        assert_eq!(summary.exit_code(), 2, "{why}: {summary:#?}");
        let r = report(&summary, "get-unknown");
        assert_eq!(r.status, Status::Unjudged, "{why}: {r:#?}");
        let named = format!("{}:{line}:{column}: {why}", path.display());
        assert!(reasons(r).starts_with(&named), "{named}\n{r:#?}");
        assert!(
            reasons(r).ends_with("; fix it, or delete it and record it again"),
            "{r:#?}"
        );
    }
}
