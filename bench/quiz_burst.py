"""A class hands in its quiz at once: 500 submissions from 50 concurrent clients against
gunicorn (2 workers, the project's deploy/gunicorn.conf.py) on PostgreSQL, compared with
the same load on a bare Django view that inserts one row, in the same run.

    .venv/bin/python bench/quiz_burst.py

Goals: 0 errors, exactly 500 attempts stored, p95 <= 300 ms, throughput >= 0.6x bare.

It also measures a floor (bench/urls.py `floor_submit`): the same 500 forms validated,
one rate limit counted, each kept as one row of JSON, and the result redirect. That is
less than any real submission can do, and shows how much of the bare view's throughput
a design that checks the answers before storing them could keep at best.
Needs PostgreSQL (BENCH_POSTGRES_URL) and Redis (BENCH_REDIS_URL, for the cache and
the certificate queue). Creates and drops its own database; uses ports 8252 and 8253.
"""

import http.client
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.database import ROOT, fresh_database  # noqa: E402

SUBMISSIONS = 500
CLIENTS = 50
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
QUIZ_PORT, BARE_PORT = 8252, 8253


def server_env(database_url: str, port: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "CACHE_URL": f"{REDIS}/5",
        "CELERY_BROKER_URL": f"{REDIS}/4",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "DJANGO_LOG_LEVEL": "ERROR",
    }


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "cms.wsgi", "--config", "deploy/gunicorn.conf.py",
         "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/q/DEMO/")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"gunicorn did not start on port {port}")


def warm_up(port: int) -> None:
    """Open the quiz page a few times so both workers have their connections ready."""
    for _ in range(20):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/q/DEMO/")
        connection.getresponse().read()


def burst(port: int, path: str, bodies: list[str], expected_status: int) -> dict:
    """POST every body from CLIENTS threads with keep-alive connections."""
    jobs: queue.Queue = queue.Queue()
    for body in bodies:
        jobs.put(body)
    latencies, errors = [], []
    lock = threading.Lock()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            try:
                body = jobs.get_nowait()
            except queue.Empty:
                return
            started = time.perf_counter()
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == expected_status
                status = response.status
            except OSError as error:
                ok, status = False, repr(error)
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(status)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * len(latencies)) - 1],
        "errors": len(errors),
        "error_sample": errors[:5],
        "throughput": len(bodies) / wall,
        "wall_s": wall,
    }


def prepare(database_url: str) -> tuple[list[str], list[str]]:
    """The demo quiz and session, a table for the bare view, and 500 POST bodies: each
    a student with a fresh one-time token, a name (so passing ones queue a certificate)
    and answers of varying correctness."""
    os.environ.update(server_env(database_url, QUIZ_PORT))
    import django
    import redis

    django.setup()
    from django.db import connection

    from quizzes import demo
    from quizzes.models import QuizSession
    from quizzes.tokens import token_new

    # The rate limits of a run a minute ago count against the same session id.
    redis.Redis.from_url(f"{REDIS}/5").flushdb()
    demo.seed()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_row (id serial PRIMARY KEY, token text)")
        cursor.execute("CREATE TABLE bench_floor_row (id serial PRIMARY KEY, payload jsonb)")
    session = QuizSession.objects.select_related("quiz").get(code="DEMO")
    questions = list(session.quiz.questions.prefetch_related("options"))
    quiz_bodies, bare_bodies = [], []
    for n in range(SUBMISSIONS):
        token = token_new(session)
        fields = [("token", token), ("kelas", f"{7 + n % 3}{'ABC'[n % 3]}"),
                  ("nama", f"Siswa Nomor {n}"), ("jenis_kelamin", "pl"[n % 2]),
                  ("sekolah", "lain")]  # fmt: skip
        for index, question in enumerate(questions):
            right = (n + index) % 4 != 0
            options = [o for o in question.options.all() if o.is_correct == right]
            chosen = options if question.kind == "multiple" else options[:1]
            fields += [(f"q{question.pk}", str(option.pk)) for option in chosen]
        quiz_bodies.append(urllib.parse.urlencode(fields))
        bare_bodies.append(urllib.parse.urlencode([("token", token)]))
    connection.close()
    return quiz_bodies, bare_bodies


def stored(database_url: str) -> tuple[int, int]:
    from django.db import connection

    from quizzes.models import Attempt

    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_row")
        bare_rows = cursor.fetchone()[0]
    return Attempt.objects.count(), bare_rows


def drop_queued_certificates() -> None:
    import redis

    redis.Redis.from_url(f"{REDIS}/4").delete("bench-quiz-burst")


def main() -> None:
    with fresh_database("sa_bench_quiz_burst") as database_url:
        quiz_bodies, bare_bodies = prepare(database_url)
        results = {}
        for name, port, path, bodies, status in (
            ("bare view", BARE_PORT, "/bare/", bare_bodies, 200),
            ("quiz submission", QUIZ_PORT, "/q/DEMO/", quiz_bodies, 302),
            # Last, so that what its writes leave PostgreSQL to do weighs on no other.
            ("floor", BARE_PORT, "/floor/DEMO/", quiz_bodies, 302),
        ):
            server = start_gunicorn(server_env(database_url, port), port)
            try:
                warm_up(port)
                results[name] = burst(port, path, bodies, status)
            finally:
                server.terminate()
                server.wait(timeout=30)
        attempts, bare_rows = stored(database_url)
        drop_queued_certificates()

    print(f"{SUBMISSIONS} submissions, {CLIENTS} concurrent clients, gunicorn 2 workers")
    for name, figures in results.items():
        print(
            f"{name:16} p50 {figures['p50_ms']:6.1f} ms  p95 {figures['p95_ms']:6.1f} ms  "
            f"{figures['throughput']:6.1f} req/s  errors {figures['errors']} "
            f"{figures['error_sample'] or ''}"
        )
    quiz, bare = results["quiz submission"], results["bare view"]
    ratio = quiz["throughput"] / bare["throughput"]
    print(f"attempts stored: {attempts} (bare rows: {bare_rows})")
    print(f"throughput ratio quiz/bare: {ratio:.2f}")
    print(f"throughput ratio floor/bare: {results['floor']['throughput'] / bare['throughput']:.2f}")
    goals = {
        "0 errors": quiz["errors"] == 0,
        f"exactly {SUBMISSIONS} attempts": attempts == SUBMISSIONS,
        "p95 <= 300 ms": quiz["p95_ms"] <= 300,
        "throughput >= 0.6x bare": ratio >= 0.6,
    }
    for goal, met in goals.items():
        print(f"  {'met ' if met else 'MISSED'} {goal}")
    sys.exit(0 if all(goals.values()) else 1)


if __name__ == "__main__":
    main()
