"""The PostgreSQL backend the site runs on: Django's, with a bound on how long a web
request waits for the database (see base.py)."""
