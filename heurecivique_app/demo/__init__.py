"""The Vitré demo: its data set (``data``) and the idempotent loader (``seed``).

Not part of the app's use cases: ``manage.py demo``, the benchmarks and the
tests load it; nothing under ``services/`` imports it.
"""
