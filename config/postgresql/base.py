"""Django's PostgreSQL backend, with a health check that costs no round trip while the connection is sound.

With CONN_HEALTH_CHECKS Django sends `SELECT 1` before each request's first query: on the plan page
one database round trip in four (bench/results/load_2026-11-27-night.txt). A connection that the
server, a pooler or the network ended while it sat idle between requests has something to read: the
server's termination notice, end of file or a reset. So an idle connection's socket is polled without
waiting, and only one with something to read (or in a transaction, or failed) gets Django's full check,
which replaces it when it fails. A connection that breaks during a request fails as before.
"""

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status == TransactionStatus.IDLE and not has_input(connection.fileno()):
            return True
        return super().is_usable()


def has_input(fd: int) -> bool:
    """Whether the socket has something to read (or hung up), without waiting."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))
