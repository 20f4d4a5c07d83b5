"""Packaging beyond what pyproject.toml can say: the default templates ship inside the package.

The repository's top-level ``templates/`` is both this site's own templates and the defaults
every other site falls back to (``generator.paths.DEFAULT_TEMPLATES``): in the wheel it is the
data package ``generator._templates``. Everything else is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

TEMPLATES = "generator._templates"

setup(
    # Every package under generator/ (found, not listed, so a new subpackage ships without an
    # edit here), and templates/ as generator/_templates/ with its folders.
    packages=[
        *find_namespace_packages(include=["generator", "generator.*"]),
        TEMPLATES,
        *(f"{TEMPLATES}.{name}" for name in find_namespace_packages(where="templates")),
    ],
    package_dir={TEMPLATES: "templates"},
    # (their files: [tool.setuptools.package-data] in pyproject.toml, which wins over setup.py)
)
