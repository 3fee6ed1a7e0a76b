"""Work that outlives a request: jobs run by worker processes (`manage.py db_worker`),
on Django's tasks API (django-tasks now, django.tasks from Django 6) with its database
backend. docs/architecture.md ("Background jobs") says how to write one.

- engine.py: `@job`, a task with a time limit, a transaction, attempts and `progress()`
- schedule.py: `scheduled(job, every=... | at=...)`, and the tick that enqueues each slot once
- worker.py: the worker loop: claims jobs, logs them, retries them, recovers lost ones
- models.py: the slots the scheduler ran, each job's progress, the admin's `Job`

It imports no other layer: the core and the apps import it to declare their jobs."""
