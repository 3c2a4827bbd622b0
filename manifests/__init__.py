"""Platform app manifests, shipped as package data (Slack YAML, Teams package)."""
