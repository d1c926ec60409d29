"""Django's PostgreSQL backend, with bulk writes cut to fit server-side binding.

OneLibrary runs PostgreSQL with server-side binding and prepared statements (settings:
`server_side_binding`, `prepare_threshold`): a desk scan's statements are planned once
per connection instead of on every scan, which halves their time on the server. With
server-side binding one statement may carry at most 65,535 parameters, and Django does
not cut `bulk_create` and `bulk_update` batches for it as it does for SQLite. This
backend does: a batch holds at most `MAX_PARAMS // fields` rows.
"""

from __future__ import annotations

from django.db.backends.postgresql import base, operations

# Half the protocol's 65,535: bulk_update binds about two parameters per field per row.
MAX_PARAMS = 32_767


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs) -> int:
        if not self.connection.settings_dict["OPTIONS"].get("server_side_binding"):
            return super().bulk_batch_size(fields, objs)
        return max(1, MAX_PARAMS // max(1, len(fields)))


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
