"""Where a quiz submission's time goes: the bench's 500 submissions posted in one
process through Django's test client (every middleware, the view, PostgreSQL, Redis),
profiled with pyinstrument, with the queries and Redis commands of one submission.

    .venv/bin/pip install pyinstrument
    .venv/bin/python bench/quiz_submit_profile.py

Needs what bench/quiz_burst.py needs. Prints a profile; sets no goal (quiz_burst does).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.database import fresh_database  # noqa: E402
from bench.quiz_burst import drop_queued_certificates, prepare  # noqa: E402


def redis_commands(run) -> list[str]:
    """The Redis commands `run()` sends, by name (each is one round trip, or part of a
    pipeline)."""
    from redis.connection import Connection

    sent = []
    original = Connection.send_command

    def counting(self, *args, **kwargs):
        sent.append(str(args[0]))
        return original(self, *args, **kwargs)

    Connection.send_command = counting
    try:
        run()
    finally:
        Connection.send_command = original
    return sent


def main() -> None:
    from pyinstrument import Profiler

    with fresh_database("sa_bench_quiz_profile") as database_url:
        bodies, _bare = prepare(database_url)
        from django.db import connection
        from django.test import Client

        client = Client(HTTP_HOST="127.0.0.1")

        def post(body):
            response = client.post(
                "/q/DEMO/", body, content_type="application/x-www-form-urlencoded"
            )
            assert response.status_code == 302, response.status_code

        for body in bodies[:20]:  # warm: connections, templates, the first queries
            post(body)
        queries = []

        def record(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            commands = redis_commands(lambda: post(bodies[20]))
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for body in bodies[21:]:
            post(body)
        profiler.stop()
        connection.close()
        drop_queued_certificates()

    print(profiler.output_text(unicode=True, color=False, show_all="--all" in sys.argv))
    print(f"queries of one submission: {len(queries)}")
    for query in queries:
        print("  ", query[:150])
    print(f"Redis commands of one submission: {len(commands)}: {', '.join(commands)}")
    seconds = profiler.last_session.duration
    print(f"{len(bodies) - 21} submissions in {seconds:.2f} s: "
          f"{1000 * seconds / (len(bodies) - 21):.2f} ms each")  # fmt: skip


if __name__ == "__main__":
    main()
