"""Test servers for the e2e tests: the ECR emulator and moto_server, each on a free port.

API (everything else in this file is private):

    start_emulator(testcase=None, *args, seed=None) -> Server
        Starts $ECR_EMULATOR_BIN (default <repo>/build/emulator/ecr-emulator) with --port 0 and a
        --port-file, waits until it answers, and returns a Server. `args` are extra flags
        (e.g. "--no-verify-signature"); `seed` is a snapshot dict or a path. With a unittest
        `testcase`, a missing binary is a clear test failure and the server is stopped by
        addCleanup; without one, call server.stop() yourself.
    start_moto(testcase=None) -> Server        moto_server on a free port (ECR via moto).
    Server.endpoint                           "http://127.0.0.1:PORT"
    Server.stop()                             terminate (then kill) the process; idempotent
    Server.admin(method, path, body=None)     emulator admin call, e.g.
                                              admin("POST", "/_emulator/tag", {...}) -> parsed JSON
    aws_env(endpoint=None, secret=None) -> dict   environment for the aws CLI / boto3 with the
                                              emulator's test keys (ACCESS_KEY / SECRET_KEY below)
    boto3_client(endpoint, **kw)              boto3 ECR client for the endpoint with the test keys
    aws_cli(endpoint, *args, secret=None) -> CompletedProcess   run /usr/bin/aws (CLI v2) with
                                              --endpoint-url; fails the caller clearly if missing
    aws_cli_current(endpoint, *args, env=None, testcase=None) -> CompletedProcess   run the `aws`
                                              on PATH (the pip-installed CLI v1, whose model has
                                              the newest ECR operations, e.g. update-image-storage-
                                              class; Debian's /usr/bin/aws 2.9.19 lacks them); fails
                                              the caller clearly when that `aws` does not know them
"""
import json
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
REGION = "us-east-1"
AWS_CLI_V2 = "/usr/bin/aws"

_SOURCE = pathlib.Path(os.environ.get("REGSWEEP_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))


class ServerError(RuntimeError):
    pass


class Server:
    def __init__(self, proc, port, workdir):
        self.proc = proc
        self.port = port
        self.endpoint = f"http://127.0.0.1:{port}"
        self._workdir = workdir

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        if self._workdir:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def admin(self, method, path, body=None):
        data = None if body is None else (body if isinstance(body, (bytes, str)) else json.dumps(body))
        if isinstance(data, str):
            data = data.encode()
        req = urllib.request.Request(self.endpoint + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as e:
            raise ServerError(f"admin {method} {path}: HTTP {e.code}: {e.read().decode(errors='replace')}") from None


def _fail(testcase, message):
    if testcase is not None:
        testcase.fail(message)
    raise ServerError(message)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def emulator_binary():
    return os.environ.get("ECR_EMULATOR_BIN", str(_SOURCE / "build" / "emulator" / "ecr-emulator"))


def start_emulator(testcase=None, *args, seed=None, timeout=30):
    binary = emulator_binary()
    if not os.access(binary, os.X_OK):
        _fail(testcase, f"ecr-emulator binary not found at {binary}; build it (cmake --build <build> "
                        f"--target ecr-emulator) or set ECR_EMULATOR_BIN")
    workdir = tempfile.mkdtemp(prefix="ecr-emulator-")
    port_file = os.path.join(workdir, "port")
    cmd = [binary, "--port", "0", "--port-file", port_file, *args]
    if seed is not None:
        seed_path = seed
        if not isinstance(seed, (str, pathlib.Path)):
            seed_path = os.path.join(workdir, "seed.json")
            with open(seed_path, "w") as f:
                json.dump(seed, f)
        cmd += ["--seed", str(seed_path)]
    log_path = os.path.join(workdir, "log")
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    server = Server(proc, 0, workdir)
    if testcase is not None:
        testcase.addCleanup(server.stop)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            with open(log_path) as log:
                output = log.read()
            server.stop()
            _fail(testcase, f"ecr-emulator exited with {proc.returncode}: {output}")
        if os.path.exists(port_file):
            with open(port_file) as f:
                port = int(f.read().strip())
            server.port, server.endpoint = port, f"http://127.0.0.1:{port}"
            try:
                server.admin("GET", "/_emulator/health")
                return server
            except (OSError, ServerError):
                pass
        time.sleep(0.02)
    server.stop()
    _fail(testcase, f"ecr-emulator did not become ready within {timeout} s")


def start_moto(testcase=None, timeout=30):
    moto = shutil.which("moto_server")
    if moto is None:
        _fail(testcase, "moto_server not found on PATH; pip install 'moto[server]'")
    port = _free_port()
    proc = subprocess.Popen([moto, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    server = Server(proc, port, None)
    if testcase is not None:
        testcase.addCleanup(server.stop)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            _fail(testcase, f"moto_server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.05)
    server.stop()
    _fail(testcase, f"moto_server did not start within {timeout} s")


def aws_env(endpoint=None, secret=None):
    env = dict(os.environ)
    env.update({"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": secret or SECRET_KEY,
                "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION, "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_PAGER": "", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"})
    env.pop("AWS_PROFILE", None)
    env.pop("AWS_SESSION_TOKEN", None)
    if endpoint:
        env["AWS_ENDPOINT_URL"] = endpoint  # honoured only by newer SDKs; tests pass it explicitly too
    return env


def boto3_client(endpoint, secret=None, **kwargs):
    import boto3
    return boto3.client("ecr", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=secret or SECRET_KEY, **kwargs)


def aws_cli(endpoint, *args, secret=None, testcase=None, check=False):
    if not os.access(AWS_CLI_V2, os.X_OK):
        _fail(testcase, f"AWS CLI v2 not found at {AWS_CLI_V2}; install it with `apt-get install awscli`")
    cmd = [AWS_CLI_V2, "--endpoint-url", endpoint, "--output", "json", *args]
    return subprocess.run(cmd, env=aws_env(secret=secret), capture_output=True, text=True, timeout=120,
                          check=check)


_current_cli = {}


def _current_aws(testcase):
    """The `aws` on PATH, once checked to know `ecr update-image-storage-class`."""
    if "path" not in _current_cli:
        path = shutil.which("aws")
        problem = None
        if path is None:
            problem = "no `aws` on PATH; pip install awscli (the CLI v1 with the current ECR model)"
        else:
            probe = subprocess.run([path, "ecr", "update-image-storage-class"], env=aws_env(),
                                   capture_output=True, text=True, timeout=120)
            if "--target-storage-class" not in probe.stderr:
                problem = (f"{path} does not know `ecr update-image-storage-class` (too old a model; "
                           f"Debian's /usr/bin/aws 2.9.19 is); put the pip-installed AWS CLI first on "
                           f"PATH (pip install awscli): {probe.stderr.strip()[:300]}")
        _current_cli["path"], _current_cli["problem"] = path, problem
    if _current_cli["problem"]:
        _fail(testcase, _current_cli["problem"])
    return _current_cli["path"]


def aws_cli_current(endpoint, *args, env=None, testcase=None):
    cmd = [_current_aws(testcase), "--endpoint-url", endpoint, "--region", REGION, "--output", "json", *args]
    return subprocess.run(cmd, env=env or aws_env(), capture_output=True, text=True, timeout=120)
