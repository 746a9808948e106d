"""Abuse tests: fuzzing, load, faults and leaks against the real server."""
