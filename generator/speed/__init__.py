"""Speed: what exists only to make builds and the preview fast.

Processes (forking work to other cores, checking pages as they are written), on-disk
storage of pages between MkDocs' loops, telling changed files from their ``stat``,
the memos' sameness test, and deleting leftovers in the background.
"""
