"""A task for tests/cluster only: it lasts a few seconds, so that its worker can be killed in the middle.
The cluster's workers import it (their working directory is the repository); production code never
enqueues it."""

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def slow_task(seconds: float, marker: str) -> str:
    with Path(marker).open("a") as attempts:
        attempts.write(f"{os.getpid()}\n")  # one line per attempt
    time.sleep(seconds)
    return "done"
