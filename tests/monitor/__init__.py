"""Tests of the feed pipeline (app/monitor)."""
