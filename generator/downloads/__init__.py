"""Downloads: the machine-readable files (facts.json, facts.csv, CSL-JSON, Atom feeds)."""
