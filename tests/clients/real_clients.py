#!/usr/bin/env python3
"""Real AWS clients (boto3 and the AWS CLI) against an endpoint that claims to be AWS Lambda.

It makes the fixtures an event source mapping needs (a function with a version and an alias,
SQS standard and FIFO queues, a Kinesis stream, a DynamoDB table with a stream), then walks the
event-source-mapping family: create, get until Enabled, list by function and by source, update,
a Kinesis mapping read back through the AWS CLI, the errors for a missing StartingPosition and
an unknown UUID, tags, delete, and the get after delete.

Each check prints one line, PASS or FAIL with what was expected and what came back. The last
line is `N passed, M failed`; the exit status is 0 only when nothing failed. A check that needs
a value from an earlier failed check fails with "not run". Everything the run created is deleted
at the end, whatever happened, and nothing else is touched.

    python tests/clients/real_clients.py --endpoint http://127.0.0.1:PORT

Credentials are dummies (AWS_ACCESS_KEY_ID=test unless set); the region is us-east-1.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import traceback
import uuid
import zipfile
from pathlib import Path
from typing import Any, Callable

import boto3
import botocore.config
import botocore.exceptions

REGION = "us-east-1"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MISSING_STARTING_POSITION = (
    "1 validation error detected: Value null at 'startingPosition' failed to satisfy "
    "constraint: Member must not be null."
)
NOT_FOUND_MESSAGE = "The resource you requested does not exist."


class NotRun(Exception):
    """A check could not run because an earlier one did not produce what it needs."""


class Checks:
    """Counts and prints checks: one line each."""

    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0
        self.state: dict[str, Any] = {}

    def ok(self, name: str, detail: str = "") -> None:
        self.passed += 1
        print(f"PASS  {name}" + (f"  [{detail}]" if detail else ""), flush=True)

    def fail(self, name: str, why: str) -> None:
        self.failed += 1
        print(f"FAIL  {name}: {why}", flush=True)

    def expect(self, name: str, expected: Any, actual: Any) -> bool:
        """Passes when ``actual == expected``."""
        if actual == expected:
            self.ok(name, f"got {short(actual)}")
            return True
        self.fail(name, f"expected {short(expected)}, got {short(actual)}")
        return False

    def expect_that(self, name: str, holds: bool, expected: str, actual: Any) -> bool:
        """Passes when ``holds``; ``expected`` says in words what was wanted."""
        if holds:
            self.ok(name, f"got {short(actual)}")
            return True
        self.fail(name, f"expected {expected}, got {short(actual)}")
        return False

    def need(self, *keys: str) -> list[Any]:
        missing = [key for key in keys if self.state.get(key) is None]
        if missing:
            raise NotRun(", ".join(missing))
        return [self.state[key] for key in keys]

    def step(self, name: str, body: Callable[[], None]) -> None:
        """Runs ``body``, which makes calls and asserts with expect(). An exception is one failure."""
        try:
            body()
        except NotRun as missing:
            self.fail(name, f"not run: needs {missing} from an earlier check that failed")
        except AssertionError as error:
            self.fail(name, str(error))
        except Exception as error:  # noqa: BLE001 - any client error is a failed check
            self.fail(name, f"unexpected {describe(error)}")


def short(value: Any, limit: int = 300) -> str:
    text = json.dumps(value, default=str, sort_keys=True) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def describe(error: BaseException) -> str:
    if isinstance(error, botocore.exceptions.ClientError):
        err = error.response.get("Error", {})
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return f"{err.get('Code')} (HTTP {status}): {err.get('Message')!r}"
    return f"{type(error).__name__}: {error}"


def client_error(call: Callable[[], Any]) -> botocore.exceptions.ClientError:
    """Runs ``call`` and returns the ClientError it raised; fails if it raised none."""
    try:
        result = call()
    except botocore.exceptions.ClientError as error:
        return error
    result = {k: v for k, v in (result or {}).items() if k != "ResponseMetadata"}
    raise AssertionError(f"expected an error, but the call succeeded with {short(result)}")


def wait_for(read: Callable[[], Any], done: Callable[[Any], bool], timeout: float, interval: float = 0.2) -> tuple[bool, Any]:
    """Polls ``read`` until ``done(value)`` or ``timeout`` seconds; returns (done, last value)."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if done(value):
            return True, value
        if time.monotonic() >= deadline:
            return False, value
        time.sleep(interval)


def function_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return {'records': len(event.get('Records', []))}\n")
    return buffer.getvalue()


def strip_meta(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


class Run:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.endpoint = args.endpoint
        self.prefix = args.prefix or f"conform-rc-{uuid.uuid4().hex[:8]}"
        self.checks = Checks()
        self.cleanup: list[tuple[str, Callable[[], Any]]] = []
        config = botocore.config.Config(
            region_name=REGION,
            retries={"mode": "standard", "total_max_attempts": 1},
            connect_timeout=5,
            read_timeout=args.request_timeout,
        )
        session = boto3.session.Session(region_name=REGION)
        self.client = {
            name: session.client(name, endpoint_url=self.endpoint, config=config)
            for name in ("lambda", "sqs", "kinesis", "dynamodb", "iam")
        }
        self.aws = args.aws_cli or self.find_aws_cli()

    @staticmethod
    def find_aws_cli() -> str | None:
        beside = Path(sys.executable).parent / "aws"
        if beside.exists():
            return str(beside)
        return shutil.which("aws")

    def cli(self, *arguments: str) -> tuple[int, Any, str]:
        """Runs the AWS CLI; returns (exit status, parsed JSON stdout or raw text, stderr)."""
        if not self.aws:
            raise AssertionError("the AWS CLI (aws) was not found beside this Python nor on PATH")
        command = [
            self.aws, *arguments,
            "--endpoint-url", self.endpoint, "--region", REGION, "--output", "json",
            "--cli-connect-timeout", "5", "--cli-read-timeout", str(self.args.request_timeout),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=os.environ.copy())
        out: Any = done.stdout
        if done.returncode == 0 and done.stdout.strip():
            try:
                out = json.loads(done.stdout)
            except json.JSONDecodeError as error:
                raise AssertionError(f"the AWS CLI printed output that is not JSON ({error}): {done.stdout[:300]!r}")
        return done.returncode, out, done.stderr

    # ---- fixtures ------------------------------------------------------------------------

    def fixtures(self) -> None:
        c, s = self.checks, self.checks.state
        lam, sqs, kinesis, ddb, iam = (self.client[n] for n in ("lambda", "sqs", "kinesis", "dynamodb", "iam"))
        name = self.prefix

        def queues() -> None:
            url = sqs.create_queue(QueueName=f"{name}-q")["QueueUrl"]
            self.cleanup.append(("SQS queue " + url, lambda: sqs.delete_queue(QueueUrl=url)))
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            if c.expect_that("SQS CreateQueue (standard): QueueArn is an SQS ARN", arn.startswith("arn:aws:sqs:") and arn.endswith(f":{name}-q"), f"arn:aws:sqs:...:{name}-q", arn):
                s["queue_arn"] = arn
                s["account"] = arn.split(":")[4]

            fifo_url = sqs.create_queue(QueueName=f"{name}-q.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
            self.cleanup.append(("SQS queue " + fifo_url, lambda: sqs.delete_queue(QueueUrl=fifo_url)))
            attrs = sqs.get_queue_attributes(QueueUrl=fifo_url, AttributeNames=["QueueArn", "FifoQueue"])["Attributes"]
            c.expect("SQS CreateQueue (FIFO): FifoQueue attribute", "true", attrs.get("FifoQueue"))
            s["fifo_queue_arn"] = attrs.get("QueueArn")

        c.step("SQS CreateQueue", queues)

        def role() -> None:
            # moto needs a real role; the reference emulator and others may not speak IAM, and any
            # well-formed role ARN will do for them.
            account = s.get("account") or "123456789012"
            try:
                created = iam.create_role(
                    RoleName=f"{name}-role",
                    AssumeRolePolicyDocument=json.dumps({
                        "Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
                    }),
                )
                s["role_arn"] = created["Role"]["Arn"]
                self.cleanup.append(("IAM role", lambda: iam.delete_role(RoleName=f"{name}-role")))
                detail = "created with IAM CreateRole"
            except Exception as error:  # noqa: BLE001 - IAM is optional on the target
                s["role_arn"] = f"arn:aws:iam::{account}:role/{name}-role"
                detail = f"IAM unavailable ({describe(error)[:80]}); using a made-up ARN"
            c.ok("role for the function", f"{s['role_arn']}; {detail}")

        c.step("role for the function", role)

        def function() -> None:
            (role_arn,) = c.need("role_arn")
            created = lam.create_function(
                FunctionName=name, Runtime="python3.12", Role=role_arn, Handler="index.handler",
                Code={"ZipFile": function_zip()}, Timeout=3,
            )
            self.cleanup.append(("function " + name, lambda: lam.delete_function(FunctionName=name)))
            arn = created.get("FunctionArn", "")
            if c.expect_that("Lambda CreateFunction: FunctionArn", arn.endswith(f":function:{name}"), f"an ARN ending in :function:{name}", arn):
                s["function_arn"] = arn
            # AWS refuses PublishVersion while the function is Pending. LocalStack's functions end
            # Failed here (no runtime download); mappings still work on them.
            wait_for(lambda: lam.get_function(FunctionName=name)["Configuration"].get("State"),
                     lambda state: state != "Pending", self.args.settle_timeout)

        c.step("Lambda CreateFunction", function)

        def version() -> None:
            c.need("function_arn")
            published = lam.publish_version(FunctionName=name)
            if c.expect("Lambda PublishVersion: Version", "1", published.get("Version")):
                s["version_arn"] = published.get("FunctionArn")

        c.step("Lambda PublishVersion", version)

        def alias() -> None:
            c.need("version_arn")
            created = lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
            self.cleanup.append(("alias live", lambda: lam.delete_alias(FunctionName=name, Name="live")))
            arn = created.get("AliasArn", "")
            if c.expect_that("Lambda CreateAlias: AliasArn", arn.endswith(f":function:{name}:live"), f"an ARN ending in :function:{name}:live", arn):
                s["alias_arn"] = arn

        c.step("Lambda CreateAlias", alias)

        def stream() -> None:
            stream_name = f"{name}-stream"
            kinesis.create_stream(StreamName=stream_name, ShardCount=1)
            self.cleanup.append(("Kinesis stream", lambda: kinesis.delete_stream(StreamName=stream_name, EnforceConsumerDeletion=True)))
            ready, summary = wait_for(
                lambda: kinesis.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"],
                lambda d: d.get("StreamStatus") == "ACTIVE", self.args.stream_timeout, 0.5)
            c.expect("Kinesis CreateStream: StreamStatus becomes ACTIVE", "ACTIVE", summary.get("StreamStatus"))
            arn = summary.get("StreamARN", "")
            if c.expect_that("Kinesis CreateStream: StreamARN", arn.endswith(f":stream/{stream_name}"), f"an ARN ending in :stream/{stream_name}", arn):
                s["stream_arn"] = arn

        c.step("Kinesis CreateStream", stream)

        def table() -> None:
            table_name = f"{name}-table"
            created = ddb.create_table(
                TableName=table_name,
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
                StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
            )["TableDescription"]
            self.cleanup.append(("DynamoDB table", lambda: ddb.delete_table(TableName=table_name)))
            arn = created.get("LatestStreamArn", "")
            if c.expect_that("DynamoDB CreateTable: LatestStreamArn", f":table/{table_name}/stream/" in arn, f"a stream ARN of table/{table_name}", arn):
                s["table_stream_arn"] = arn

        c.step("DynamoDB CreateTable", table)

    # ---- event source mappings -----------------------------------------------------------

    def mappings(self) -> None:
        c, s = self.checks, self.checks.state
        lam = self.client["lambda"]
        name = self.prefix
        timeout = self.args.settle_timeout

        def get(uuid_: str) -> dict[str, Any]:
            return lam.get_event_source_mapping(UUID=uuid_)

        def create_sqs() -> None:
            queue_arn, function_arn = c.need("queue_arn", "function_arn")
            created = lam.create_event_source_mapping(FunctionName=name, EventSourceArn=queue_arn)
            got_uuid = created.get("UUID", "")
            if UUID_RE.match(got_uuid or ""):
                s["sqs_uuid"] = got_uuid
                self.cleanup.append(("SQS mapping", lambda: self.delete_mapping(got_uuid)))
            status = created["ResponseMetadata"]["HTTPStatusCode"]
            c.expect("CreateEventSourceMapping (SQS): HTTP status", 202, status)
            c.expect("CreateEventSourceMapping (SQS): State", "Creating", created.get("State"))
            c.expect("CreateEventSourceMapping (SQS): BatchSize defaults to 10", 10, created.get("BatchSize"))
            c.expect("CreateEventSourceMapping (SQS): FunctionArn", function_arn, created.get("FunctionArn"))
            c.expect("CreateEventSourceMapping (SQS): EventSourceArn", queue_arn, created.get("EventSourceArn"))
            c.expect_that("CreateEventSourceMapping (SQS): UUID", bool(UUID_RE.match(got_uuid or "")), "a lower-case UUID", got_uuid)
            account = function_arn.split(":")[4]
            expected_arn = f"arn:aws:lambda:{REGION}:{account}:event-source-mapping:{got_uuid}"
            if c.expect("CreateEventSourceMapping (SQS): EventSourceMappingArn", expected_arn, created.get("EventSourceMappingArn")):
                s["sqs_mapping_arn"] = expected_arn

        c.step("CreateEventSourceMapping (SQS)", create_sqs)

        def enabled() -> None:
            (uuid_,) = c.need("sqs_uuid")
            _, mapping = wait_for(lambda: get(uuid_), lambda m: m.get("State") == "Enabled", timeout)
            c.expect(f"GetEventSourceMapping (SQS): State becomes Enabled within {timeout:g} s", "Enabled", mapping.get("State"))
            c.expect("GetEventSourceMapping (SQS): UUID", uuid_, mapping.get("UUID"))

        c.step("GetEventSourceMapping (SQS) until Enabled", enabled)

        def list_by_function() -> None:
            (uuid_,) = c.need("sqs_uuid")
            listed = lam.list_event_source_mappings(FunctionName=name)["EventSourceMappings"]
            c.expect("ListEventSourceMappings(FunctionName): exactly the SQS mapping", [uuid_], [m.get("UUID") for m in listed])

        c.step("ListEventSourceMappings(FunctionName)", list_by_function)

        def list_by_source() -> None:
            uuid_, queue_arn = c.need("sqs_uuid", "queue_arn")
            listed = lam.list_event_source_mappings(EventSourceArn=queue_arn)["EventSourceMappings"]
            c.expect("ListEventSourceMappings(EventSourceArn): exactly the SQS mapping", [uuid_], [m.get("UUID") for m in listed])

        c.step("ListEventSourceMappings(EventSourceArn)", list_by_source)

        def update() -> None:
            (uuid_,) = c.need("sqs_uuid")
            updated = lam.update_event_source_mapping(UUID=uuid_, BatchSize=5)
            c.expect("UpdateEventSourceMapping (BatchSize 5): HTTP status", 202, updated["ResponseMetadata"]["HTTPStatusCode"])
            c.expect("UpdateEventSourceMapping (BatchSize 5): State", "Updating", updated.get("State"))
            c.expect("UpdateEventSourceMapping (BatchSize 5): BatchSize", 5, updated.get("BatchSize"))
            # AWS refuses to delete or update a mapping in a transitional state; let it settle.
            _, mapping = wait_for(lambda: get(uuid_), lambda m: m.get("State") == "Enabled", timeout)
            c.expect("UpdateEventSourceMapping: State settles to Enabled", "Enabled", mapping.get("State"))

        c.step("UpdateEventSourceMapping", update)

        def create_kinesis() -> None:
            stream_arn, alias_arn = c.need("stream_arn", "alias_arn")
            created = lam.create_event_source_mapping(FunctionName=alias_arn, EventSourceArn=stream_arn, StartingPosition="LATEST")
            got_uuid = created.get("UUID", "")
            if UUID_RE.match(got_uuid or ""):
                s["kinesis_uuid"] = got_uuid
                self.cleanup.append(("Kinesis mapping", lambda: self.delete_mapping(got_uuid)))
            c.expect("CreateEventSourceMapping (Kinesis, LATEST): State", "Creating", created.get("State"))
            c.expect("CreateEventSourceMapping (Kinesis, LATEST): StartingPosition", "LATEST", created.get("StartingPosition"))
            c.expect("CreateEventSourceMapping (Kinesis, LATEST): BatchSize defaults to 100", 100, created.get("BatchSize"))
            c.expect("CreateEventSourceMapping (Kinesis, LATEST): FunctionArn is the alias", alias_arn, created.get("FunctionArn"))

        c.step("CreateEventSourceMapping (Kinesis)", create_kinesis)

        def cli_get() -> None:
            uuid_, stream_arn = c.need("kinesis_uuid", "stream_arn")
            code, out, err = self.cli("lambda", "get-event-source-mapping", "--uuid", uuid_)
            if not c.expect_that("aws lambda get-event-source-mapping: exit status 0", code == 0, "0", code if code == 0 else f"{code}; stderr {err.strip()[:300]!r}"):
                return
            c.expect_that("aws lambda get-event-source-mapping: prints a JSON object", isinstance(out, dict), "a JSON object",
                          f"an object with keys {sorted(out)}" if isinstance(out, dict) else out)
            if isinstance(out, dict):
                c.expect("aws lambda get-event-source-mapping: UUID", uuid_, out.get("UUID"))
                c.expect("aws lambda get-event-source-mapping: EventSourceArn", stream_arn, out.get("EventSourceArn"))
                c.expect("aws lambda get-event-source-mapping: StartingPosition", "LATEST", out.get("StartingPosition"))

        c.step("AWS CLI get-event-source-mapping", cli_get)

        def missing_starting_position() -> None:
            (stream_arn,) = c.need("stream_arn")
            c.need("function_arn")

            def create() -> Any:
                created = lam.create_event_source_mapping(FunctionName=name, EventSourceArn=stream_arn)
                stray = created.get("UUID")  # accepted by mistake: delete it at the end
                if stray:
                    self.cleanup.append(("mapping without StartingPosition", lambda: self.delete_mapping(stray)))
                return created

            error = client_error(create)
            e = error.response["Error"]
            c.expect("Kinesis mapping without StartingPosition: error code", "InvalidParameterValueException", e.get("Code"))
            c.expect("Kinesis mapping without StartingPosition: message", MISSING_STARTING_POSITION, e.get("Message"))
            c.expect("Kinesis mapping without StartingPosition: HTTP status", 400, error.response["ResponseMetadata"]["HTTPStatusCode"])

        c.step("CreateEventSourceMapping (Kinesis) without StartingPosition", missing_starting_position)

        def unknown_uuid() -> None:
            error = client_error(lambda: get(str(uuid.uuid4())))
            e = error.response["Error"]
            c.expect("GetEventSourceMapping (unknown UUID): error code", "ResourceNotFoundException", e.get("Code"))
            c.expect("GetEventSourceMapping (unknown UUID): message", NOT_FOUND_MESSAGE, e.get("Message"))
            c.expect("GetEventSourceMapping (unknown UUID): HTTP status", 404, error.response["ResponseMetadata"]["HTTPStatusCode"])

        c.step("GetEventSourceMapping (unknown UUID)", unknown_uuid)

        def cli_unknown_uuid() -> None:
            code, _, err = self.cli("lambda", "get-event-source-mapping", "--uuid", str(uuid.uuid4()))
            c.expect_that("aws lambda get-event-source-mapping (unknown UUID): fails with ResourceNotFoundException",
                          code != 0 and "ResourceNotFoundException" in err, "a non-zero exit and ResourceNotFoundException on stderr",
                          f"exit {code}; stderr {err.strip()[:300]!r}")

        c.step("AWS CLI get-event-source-mapping (unknown UUID)", cli_unknown_uuid)

        def tags() -> None:
            (arn,) = c.need("sqs_mapping_arn")
            tagged = lam.tag_resource(Resource=arn, Tags={"team": "conform", "stage": "test"})
            c.expect("TagResource: HTTP status", 204, tagged["ResponseMetadata"]["HTTPStatusCode"])
            c.expect("ListTags after TagResource", {"team": "conform", "stage": "test"}, lam.list_tags(Resource=arn).get("Tags"))
            untagged = lam.untag_resource(Resource=arn, TagKeys=["stage"])
            c.expect("UntagResource: HTTP status", 204, untagged["ResponseMetadata"]["HTTPStatusCode"])
            c.expect("ListTags after UntagResource", {"team": "conform"}, lam.list_tags(Resource=arn).get("Tags"))

        c.step("TagResource / ListTags / UntagResource", tags)

        def delete() -> None:
            (uuid_,) = c.need("sqs_uuid")
            deleted = lam.delete_event_source_mapping(UUID=uuid_)
            c.expect("DeleteEventSourceMapping: HTTP status", 202, deleted["ResponseMetadata"]["HTTPStatusCode"])
            c.expect("DeleteEventSourceMapping: State", "Deleting", deleted.get("State"))
            c.expect("DeleteEventSourceMapping: UUID", uuid_, deleted.get("UUID"))

            def read() -> Any:
                try:
                    return get(uuid_).get("State")
                except botocore.exceptions.ClientError as error:
                    return error.response["Error"].get("Code")

            _, last = wait_for(read, lambda v: v == "ResourceNotFoundException", timeout)
            if c.expect(f"GetEventSourceMapping after delete: ResourceNotFoundException within {timeout:g} s", "ResourceNotFoundException", last):
                s["sqs_deleted"] = True

        c.step("DeleteEventSourceMapping", delete)

    def delete_mapping(self, uuid_: str) -> None:
        if uuid_ == self.checks.state.get("sqs_uuid") and self.checks.state.get("sqs_deleted"):
            return
        lam = self.client["lambda"]
        # A mapping in a transitional state cannot be deleted on AWS; give it time to settle.
        try:
            wait_for(lambda: lam.get_event_source_mapping(UUID=uuid_).get("State"),
                     lambda state: state in ("Enabled", "Disabled", "Deleting"), self.args.settle_timeout)
        except botocore.exceptions.ClientError:
            return
        lam.delete_event_source_mapping(UUID=uuid_)

    def teardown(self) -> None:
        for what, undo in reversed(self.cleanup):
            try:
                undo()
            except botocore.exceptions.ClientError as error:
                if error.response.get("Error", {}).get("Code") not in ("ResourceNotFoundException", "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"):
                    print(f"note: cleanup of {what}: {describe(error)}", flush=True)
            except Exception as error:  # noqa: BLE001 - cleanup never fails the run
                print(f"note: cleanup of {what}: {describe(error)}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", default=os.environ.get("CONFORM_ENDPOINT"), help="the endpoint URL (or CONFORM_ENDPOINT)")
    parser.add_argument("--prefix", help="name prefix of everything created (default: conform-rc-<random>)")
    parser.add_argument("--settle-timeout", type=float, default=30, help="seconds to wait for a mapping state to settle")
    parser.add_argument("--stream-timeout", type=float, default=120, help="seconds to wait for the Kinesis stream to be ACTIVE")
    parser.add_argument("--request-timeout", type=int, default=30, help="read timeout of one request, in seconds")
    parser.add_argument("--aws-cli", help="path of the aws command (default: beside this Python, then PATH)")
    parser.add_argument("--fixtures-only", action="store_true", help="make and delete the fixtures only")
    args = parser.parse_args()
    if not args.endpoint:
        parser.error("give --endpoint URL (or set CONFORM_ENDPOINT)")

    # Dummy credentials, and no profile, config or metadata lookups from this machine.
    for key, value in {
        "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true", "AWS_MAX_ATTEMPTS": "1", "AWS_RETRY_MODE": "standard",
    }.items():
        os.environ.setdefault(key, value)
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_LAMBDA"):
        os.environ.pop(key, None)

    run = Run(args)
    print(f"real clients: boto3 {boto3.__version__}, botocore {botocore.__version__}, AWS CLI {run.aws or 'missing'}; "
          f"endpoint {args.endpoint}; prefix {run.prefix}", flush=True)
    try:
        run.fixtures()
        if not args.fixtures_only:
            run.mappings()
    except KeyboardInterrupt:
        run.checks.fail("run", "interrupted")
    except Exception:  # noqa: BLE001 - a bug here must still end with the summary line
        run.checks.fail("run", "the script itself failed:\n" + traceback.format_exc())
    finally:
        run.teardown()
    print(f"{run.checks.passed} passed, {run.checks.failed} failed", flush=True)
    return 0 if run.checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
