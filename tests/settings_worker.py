"""Settings of a real `db_worker` started by a test: the test settings, with the tasks in the
database as in production (tests.settings runs them immediately, in the test's process)."""

from tests.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
