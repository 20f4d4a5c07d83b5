"""Site: the pages built into HTML by MkDocs, checked and swapped into place.

The MkDocs plugin, the build with its atomic swap, the sanitiser, the search index, and
the preview (``factsheet serve``).
"""
