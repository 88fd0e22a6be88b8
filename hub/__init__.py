"""The room's JupyterHub (docs/workshop.md, "A server for the room"): its config, learners' homes and sizing.

A package so that the config, the load test (scripts/hub_load_test.py) and tests/test_hub.py import `hub.sizing` and
`hub.learner_home` from the course's top folder; learner_home.py also runs as a script (the spawner's command).
"""
