"""The shared core: what every part below the pages needs and that needs no part itself.

Refusal types (`refusals`), the state-table engine (`states`), and the version tokens
(`onelibrary.core.versions`). Nothing here imports another OneLibrary app.
"""
