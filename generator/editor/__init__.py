"""Editor commands: add-source, new (scaffolding), cite, confirm, and YAML editing."""
