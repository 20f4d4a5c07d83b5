"""Render: the site's Markdown pages from the views, through the Jinja2 templates.

Nothing here imports MkDocs or YAML: the pages are plain Markdown and files, so another
engine could build the same site.
"""
