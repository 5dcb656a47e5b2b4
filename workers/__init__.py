"""The pipeline's apps: dispatcher, ingest, utilities and validator, each `python -m workers.<name>`."""
