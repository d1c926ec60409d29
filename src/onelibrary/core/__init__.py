"""The shared core: what every part below the pages needs and that needs no part itself.

Refusal types (`refusals`), the state-table engine (`states`), the request types views
annotate (`requests`), and the version tokens (`versions`). Nothing here imports
another OneLibrary app.
"""
