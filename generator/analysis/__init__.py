"""Analysis: from the checked model to the views the pages and downloads show.

Origins of each source, corroboration, differences between sources, coverage of the
archived texts, the corrections history, and the view objects built from all of them.
"""
