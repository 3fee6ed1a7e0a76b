"""Counts the SQL queries of each request, for the benchmark: `Server-Timing: db;desc=N`."""

from django.db import connection


def query_count(get_response):
    def middleware(request):
        count = 0

        def counting(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            # A streamed answer (CSV) runs its main query as it is sent, after this.
            response = get_response(request)
        response["Server-Timing"] = f'db;desc="{count}"'
        return response

    return middleware
