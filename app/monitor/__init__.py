"""The feed pipeline: fetch, parse, dedupe, ingest, schedule, worker loop."""
