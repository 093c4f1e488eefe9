"""Readiness: whether an accreditation will pass, decided from the published rules.

The rules are data (rules.json) with their sources; the evaluator takes plain records and
never touches the store, so the registry's review runs the very same rules.
"""
