"""factsheet: sourced fact sheets from curated YAML.

Data flows one way: YAML files -> model (:mod:`generator.content.loader`) -> checks
(:mod:`generator.checks`) -> Markdown pages (:mod:`generator.render`) -> site
(:mod:`generator.site.build`, through MkDocs).
"""

__version__ = "0.1.0"
