"""The course's tools, run from the repository's top folder as `python -m scripts.NAME` (the Makefile does).

Not part of the course_utils package: they know where things are in a clone (scripts/repo_paths.py).
"""
