"""`make cluster`: the production topology of deploy/compose.yaml, started on this machine from Debian
and PyPI packages, under var/cluster/ (deploy/README.md).

    python deploy/cluster/cluster.py start [--fresh]   # idempotent: starts what is not running
    python deploy/cluster/cluster.py stop [--purge]    # stops everything (--purge: and deletes its data)
    python deploy/cluster/cluster.py status | env | manage <manage.py arguments>

What runs (ports shift by CLUSTER_PORT_OFFSET, the folder is CLUSTER_DIR):

    nginx          https://127.0.0.1:8443 (both app servers), :8441 (app 1 only), :8442 (app 2 only)
    app1, app2     gunicorn cms.wsgi, production settings, on 127.0.0.1:8101 and :8102
    worker1, 2     manage.py db_worker (django-tasks-db), worker ids worker-1 and worker-2
    scheduler      manage.py scheduler
    PostgreSQL     primary on 5433, streaming replica (pg_basebackup -R) on 5434; the machine's own
                   server (5432) is left alone. As root, its clusters run as the `postgres` user in
                   /var/tmp/mairie-de-demain/<hash>/ (PostgreSQL refuses root; var/ is owner-only).
    Redis          redis-server on 6380 (cache, sessions, page-cache versions, scheduler claims)
    S3             moto_server on 9100, bucket mairie-media (public media)

Every process but PostgreSQL (pg_ctl) has a pid file in CLUSTER_DIR/run/ and its own process group;
`stop` sends SIGTERM to the group, then SIGKILL after 10 s. Logs are in CLUSTER_DIR/log/.
Tunables passed to the app processes: CLUSTER_PAGE_CACHE_SECONDS, CLUSTER_REPLICA_MAX_LAG_SECONDS,
CLUSTER_REPLICA_CHECK_SECONDS, CLUSTER_REPLICA_PIN_SECONDS, CLUSTER_TASK_RUNNING_TIMEOUT_SECONDS,
CLUSTER_LOG_LEVEL, CLUSTER_GUNICORN_WORKERS.
"""

import argparse
import contextlib
import glob
import hashlib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
CLUSTER_DIR = Path(os.environ.get("CLUSTER_DIR") or ROOT / "var" / "cluster").resolve()
OFFSET = int(os.environ.get("CLUSTER_PORT_OFFSET") or 0)
PORTS = {name: port + OFFSET for name, port in {
    "front": 8443, "one": 8441, "two": 8442, "app1": 8101, "app2": 8102,
    "primary": 5433, "replica": 5434, "redis": 6380, "s3": 9100}.items()}
BUCKET = "mairie-media"
DATABASE = "mairie"
TUNABLES = {"PAGE_CACHE_SECONDS": "5", "REPLICA_MAX_LAG_SECONDS": "10", "REPLICA_CHECK_SECONDS": "2",
            "REPLICA_PIN_SECONDS": "15", "TASK_RUNNING_TIMEOUT_SECONDS": "1800", "LOG_LEVEL": "WARNING",
            "GUNICORN_WORKERS": "2"}
AS_ROOT = os.geteuid() == 0

RUN, LOG, NGINX = CLUSTER_DIR / "run", CLUSTER_DIR / "log", CLUSTER_DIR / "nginx"
PG_BASE = (Path("/var/tmp/mairie-de-demain") / hashlib.sha256(str(CLUSTER_DIR).encode()).hexdigest()[:12]
           if AS_ROOT else CLUSTER_DIR / "pg")


class ClusterError(Exception):
    pass


def say(message):
    print(f"cluster: {message}", flush=True)


# --- what the app processes see -------------------------------------------------------------------


def tunable(name):
    return os.environ.get(f"CLUSTER_{name}") or TUNABLES[name]


def app_env() -> dict[str, str]:
    """The environment of the app servers, workers and scheduler: production settings, every engine."""
    origins = [f"https://{host}:{PORTS[name]}" for name in ("front", "one", "two")
               for host in ("127.0.0.1", "localhost", "paris19.localhost", "paris20.localhost")]
    env = {key: value for key, value in os.environ.items() if key in ("PATH", "LANG", "LC_ALL", "HOME", "TZ")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": (CLUSTER_DIR / "secret_key").read_text().strip(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,.localhost",
        "CSRF_TRUSTED_ORIGINS": ",".join(origins),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PORTS['primary']}/{DATABASE}?connect_timeout=3",
        "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{PORTS['replica']}/{DATABASE}?connect_timeout=2",
        "REDIS_URL": f"redis://127.0.0.1:{PORTS['redis']}/0",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{PORTS['s3']}",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "cluster",  # moto accepts any key; a real store gets real ones
        "AWS_SECRET_ACCESS_KEY": "cluster",  # noqa: S105
        "S3_TIMEOUT_SECONDS": "3",
        "PRIVATE_MEDIA_ACCEL_PREFIX": "/_private/",
        # Its own static files: the suite's processes read var/static while the cluster is started.
        "STATIC_ROOT": str(CLUSTER_DIR / "static"),
        "MEDIA_ROOT": str(CLUSTER_DIR / "media"),
        "PRIVATE_MEDIA_ROOT": str(CLUSTER_DIR / "private"),
        "WAGTAILADMIN_BASE_URL": f"https://127.0.0.1:{PORTS['front']}",
        "SECURE_HSTS_SECONDS": "0",  # a self-signed certificate on 127.0.0.1: pin nothing in a browser
        "RATELIMIT_PROXY_COUNT": "1",  # nginx adds X-Forwarded-For
        "TASKS_BACKEND": "database",
        "SEARCH_BACKEND": "database",  # Elasticsearch cannot run here (deploy/README.md)
        # The topology's demo and test accounts log in with a password alone; a real deployment keeps the
        # staff's second factor on (the default, docs/decisions/0010-allauth.md).
        "MFA_REQUIRED_FOR_STAFF": "false",
        "PYTHONUNBUFFERED": "1",
    })
    env.update({name: tunable(name) for name in TUNABLES if name != "GUNICORN_WORKERS"})
    return env


# --- processes with pid files ---------------------------------------------------------------------


def pid_of(name) -> int | None:
    path = RUN / f"{name}.pid"
    try:
        pid = int(path.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None  # a zombie, or a dead one reaped, is not running


def spawn(name, argv, env=None, cwd=ROOT):
    """Start `argv` in its own process group, logging to log/<name>.log, unless it already runs."""
    if pid_of(name):
        return False
    with open(LOG / f"{name}.log", "ab") as log:
        process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    (RUN / f"{name}.pid").write_text(str(process.pid))
    say(f"{name} started (pid {process.pid})")
    return True


def stop_process(name, sig=signal.SIGTERM, wait=10.0):
    pid = pid_of(name)
    if pid:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.1)
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)
        say(f"{name} stopped")
    (RUN / f"{name}.pid").unlink(missing_ok=True)


def _alive(pid) -> bool:
    try:
        waited, _status = os.waitpid(pid, os.WNOHANG)  # our own child: reap it
        if waited:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:  # a zombie is not alive
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def wait_for_port(port, what, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise ClusterError(f"{what} does not answer on port {port} after {timeout:.0f} s (see {LOG})")


# --- PostgreSQL: primary and streaming replica ----------------------------------------------------


def pg_bin(tool) -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    if not found:
        raise ClusterError("no PostgreSQL binaries in /usr/lib/postgresql/*/bin: apt-get install postgresql")
    return str(Path(found[-1]) / tool)


def as_postgres(argv, **kwargs):
    """Run a PostgreSQL tool as the `postgres` user when we are root (PostgreSQL refuses root)."""
    if AS_ROOT:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kwargs)


def pg_running(data) -> bool:
    if not (data / "PG_VERSION").exists():
        return False
    try:
        as_postgres([pg_bin("pg_ctl"), "status", "-D", str(data)])
    except subprocess.CalledProcessError:
        return False
    return True


def pg_start(data, port, name):
    if pg_running(data):
        return
    as_postgres([pg_bin("pg_ctl"), "start", "-w", "-t", "60", "-D", str(data), "-l", str(PG_BASE / f"{name}.log"),
                 "-o", f"-p {port} -k {PG_BASE}"])
    say(f"PostgreSQL {name} started on port {port}")


def pg_stop(data, name, mode="fast"):
    if pg_running(data):
        as_postgres([pg_bin("pg_ctl"), "stop", "-w", "-m", mode, "-D", str(data)])
        say(f"PostgreSQL {name} stopped")


def prepare_pg_base():
    PG_BASE.mkdir(parents=True, exist_ok=True)
    if AS_ROOT:
        postgres = pwd.getpwnam("postgres")
        os.chown(PG_BASE, postgres.pw_uid, postgres.pw_gid)
    PG_BASE.chmod(0o700)


def start_primary():
    data = PG_BASE / "primary"
    if not (data / "PG_VERSION").exists():
        prepare_pg_base()
        as_postgres([pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                     "--locale=C.UTF-8"])
        with open(data / "postgresql.conf", "a") as conf:
            # Streaming replication as in production; fsync off for speed on a throw-away machine only.
            conf.write("\n# make cluster\nlisten_addresses = '127.0.0.1'\nwal_level = replica\n"
                       "max_wal_senders = 5\nhot_standby = on\nfsync = off\nsynchronous_commit = off\n"
                       "full_page_writes = off\nshared_buffers = 64MB\n")
        with open(data / "pg_hba.conf", "a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        say("PostgreSQL primary initialised")
    pg_start(data, PORTS["primary"], "primary")
    psql = [pg_bin("psql"), "-h", "127.0.0.1", "-p", str(PORTS["primary"]), "-U", "postgres", "-tAc"]
    exists = as_postgres([*psql, f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"]).stdout.strip()
    if not exists:
        as_postgres([*psql, f"CREATE DATABASE {DATABASE}"])


def start_replica():
    data = PG_BASE / "replica"
    if not (data / "PG_VERSION").exists():
        as_postgres([pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(PORTS["primary"]), "-U", "postgres",
                     "-D", str(data), "-R", "-X", "stream", "-c", "fast"])
        say("PostgreSQL replica made with pg_basebackup -R")
    pg_start(data, PORTS["replica"], "replica")


# --- the other services ---------------------------------------------------------------------------


def make_certificate():
    key, crt = NGINX / "tls.key", NGINX / "tls.crt"
    if crt.exists():
        return
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "365",
                    "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(crt),
                    "-addext", "subjectAltName=DNS:localhost,DNS:*.localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    key.chmod(0o600)


def write_nginx_conf():
    user = pwd.getpwuid(os.geteuid()).pw_name
    values = {
        "RUN": RUN, "LOG": LOG, "NGINX": NGINX, "STATIC_ROOT": CLUSTER_DIR / "static",
        "PRIVATE_ROOT": CLUSTER_DIR / "private", "APP1_PORT": PORTS["app1"], "APP2_PORT": PORTS["app2"],
        "FRONT_PORT": PORTS["front"], "ONE_PORT": PORTS["one"], "TWO_PORT": PORTS["two"],
        # Workers read the private files, owner-only (0600), hence as their owner: the app's user.
        "USER_LINE": f"user {user};" if AS_ROOT else "",
    }
    for template, target in (("nginx.conf.template", "nginx.conf"), ("locations.conf.template", "locations.conf")):
        text = (HERE / template).read_text()
        for name, value in values.items():
            text = text.replace(f"@{name}@", str(value))
        (NGINX / target).write_text(text)
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (NGINX / "tmp" / folder).mkdir(parents=True, exist_ok=True)


def nginx_bin() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise ClusterError("nginx is missing: apt-get install nginx")
    return found


def make_bucket():
    import boto3
    from botocore.exceptions import ClientError

    s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{PORTS['s3']}", region_name="us-east-1",
                      aws_access_key_id="cluster", aws_secret_access_key="cluster")  # noqa: S106
    try:
        s3.head_bucket(Bucket=BUCKET)
    except ClientError:
        s3.create_bucket(Bucket=BUCKET)
    # Public media: anyone may read an object (as a production bucket of public media is set up).
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*"}]}))


def manage(*args, env=None, check=True, quiet=False):
    return subprocess.run([str(VENV_BIN / "python"), "manage.py", *args], cwd=ROOT, env=env or app_env(),
                          check=check, capture_output=quiet, text=True)


def prepare_database(env):
    """Migrations (every start: a no-op when nothing is new), static files, the demo once."""
    static = subprocess.Popen([str(VENV_BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    manage("migrate", "--noinput", "-v0", env=env)
    if not (CLUSTER_DIR / "seeded").exists():
        manage("seed_demo", "--force", "--port", str(PORTS["front"]), env=env, quiet=True)
        (CLUSTER_DIR / "seeded").touch()
        say("demo content loaded")
    if static.wait() != 0:
        raise ClusterError("collectstatic failed")


def wait_healthy(port, what, timeout=60.0, process=None):
    """/healthz through nginx answers 200 (our own self-signed certificate, checked). With `process`,
    a process that dies while we wait, or never answers, is reported with the end of its log."""
    context = ssl.create_default_context(cafile=NGINX / "tls.crt")
    deadline = time.monotonic() + timeout
    error = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"https://127.0.0.1:{port}/healthz", context=context, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError as exc:
            error = exc
        if process and not pid_of(process):
            raise ClusterError(f"{what} exited before it was healthy ({error}):\n{log_tail(process)}")
        time.sleep(0.2)
    tail = f":\n{log_tail(process)}" if process else f"; see {LOG}"
    raise ClusterError(f"{what} is not healthy after {timeout:.0f} s ({error}){tail}")


def log_tail(name, lines=30) -> str:
    try:
        return "\n".join((LOG / f"{name}.log").read_text(errors="replace").splitlines()[-lines:])
    except OSError as exc:
        return f"(no log: {exc})"


# --- commands ------------------------------------------------------------------------------------


def command_of(name) -> list[str]:
    """The command line of each process that has a pid file."""
    python = str(VENV_BIN / "python")
    if name == "redis":
        return ["redis-server", "--bind", "127.0.0.1", "--port", str(PORTS["redis"]), "--save", "",
                "--appendonly", "no", "--dir", str(CLUSTER_DIR)]
    if name == "s3":
        return [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(PORTS["s3"])]
    if name in ("app1", "app2"):
        return [str(VENV_BIN / "gunicorn"), "cms.wsgi:application", "--bind", f"127.0.0.1:{PORTS[name]}",
                "--workers", tunable("GUNICORN_WORKERS"), "--preload", "--timeout", "30", "--graceful-timeout", "10",
                "--control-socket", str(RUN / f"{name}.ctl"), "--access-logfile", "-", "--error-logfile", "-"]
    if name in ("worker1", "worker2"):
        return [python, "manage.py", "db_worker", "--worker-id", f"worker-{name[-1]}", "--interval", "0.5",
                "--no-reload"]
    if name == "scheduler":
        return [python, "manage.py", "scheduler"]
    if name == "nginx":
        return [nginx_bin(), "-e", str(LOG / "nginx-error.log"), "-p", str(NGINX), "-c", str(NGINX / "nginx.conf")]
    raise ValueError(name)


def start_service(name):
    """Start one process again if it is not running (the tests restart what they killed)."""
    env = None if name in ("redis", "s3", "nginx") else app_env()
    started = spawn(name, command_of(name), env=env)
    if name == "s3":
        wait_for_port(PORTS["s3"], "the S3 server (moto)")
        make_bucket()  # moto keeps its buckets in memory
    return started


def start(fresh=False):
    if fresh:
        stop(purge=True)
    for folder in (RUN, LOG, NGINX, CLUSTER_DIR / "media", CLUSTER_DIR / "private"):
        folder.mkdir(parents=True, exist_ok=True)
    CLUSTER_DIR.chmod(0o700)
    (CLUSTER_DIR / "private").chmod(0o700)
    secret = CLUSTER_DIR / "secret_key"
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(50))
        secret.chmod(0o600)
    nginx_bin()
    if not shutil.which("redis-server"):
        raise ClusterError("redis-server is missing: apt-get install redis-server")
    spawn("redis", command_of("redis"))
    spawn("s3", command_of("s3"))
    start_primary()
    start_replica()
    prepare_database(app_env())
    start_service("s3")
    wait_for_port(PORTS["redis"], "Redis")
    for name in ("app1", "app2", "worker1", "worker2", "scheduler"):
        start_service(name)
    make_certificate()
    write_nginx_conf()
    start_service("nginx")
    for name in ("one", "two", "front"):
        wait_healthy(PORTS[name], f"nginx :{PORTS[name]}")
    say(f"ready: https://127.0.0.1:{PORTS['front']}/ (self-signed certificate; demo logins as `make run`)")


def stop(purge=False):
    for name in ("nginx", "scheduler", "worker1", "worker2", "app1", "app2", "s3", "redis"):
        stop_process(name)
    for name in ("replica", "primary"):
        pg_stop(PG_BASE / name, name)
    if purge:
        shutil.rmtree(CLUSTER_DIR, ignore_errors=True)
        shutil.rmtree(PG_BASE, ignore_errors=True)
        say(f"removed {CLUSTER_DIR} and {PG_BASE}")


def status():
    for name in ("nginx", "app1", "app2", "worker1", "worker2", "scheduler", "redis", "s3"):
        pid = pid_of(name)
        print(f"{name:<10} {'running, pid ' + str(pid) if pid else 'stopped'}")
    for name in ("primary", "replica"):
        print(f"{name:<10} {'running' if pg_running(PG_BASE / name) else 'stopped'} (port {PORTS[name]}, {PG_BASE / name})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("start", help="start what is not running").add_argument(
        "--fresh", action="store_true", help="delete the cluster's data first")
    commands.add_parser("stop", help="stop everything").add_argument(
        "--purge", action="store_true", help="and delete the cluster's data")
    commands.add_parser("status", help="what runs")
    commands.add_parser("env", help="print the app processes' environment (shell syntax)")
    commands.add_parser("manage", help="run manage.py with the cluster's environment").add_argument(
        "args", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    try:
        if options.command == "start":
            start(fresh=options.fresh)
        elif options.command == "stop":
            stop(purge=options.purge)
        elif options.command == "status":
            status()
        elif options.command == "env":
            for key, value in sorted(app_env().items()):
                print(f"export {key}='{value}'")
        else:
            return manage(*options.args, check=False).returncode
    except (ClusterError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or ""
        print(f"cluster: {exc}\n{detail}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
