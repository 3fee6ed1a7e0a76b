"""Link checks: whether the addresses the directory links to (records' websites, sources'
addresses) still answer.

- models.py: one row per address (LinkCheck), updated by each run, and what pages and
  the staff dashboard read from them;
- checker.py: the run itself (`check_links()`), which the job engine schedules weekly and
  `manage.py check_links` runs now. It never runs from a web request, and never edits a
  record or a source: staff decide what to do with a broken link."""
