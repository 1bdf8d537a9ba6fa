"""Production settings plus one hello-world view (`/bench/hello/`), the yardstick of
bench/load.py: every page is measured as a ratio to it, served by the same gunicorn in the
same run. Never used outside the benchmark."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
