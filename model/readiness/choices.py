"""The readings of the accreditation rules where published sources disagree (`frmr rules`
shows both); the default is the first of each. A module of its own, without the rule set:
the settings check a chosen value against these at every start, and the rule set's import
(its dataclasses and json) is 5 ms the first page does not wait for (bench/README.md,
issue 26)."""

# The ПК minimum: 72 hours (709н pages) or 74 (the 2021 letter, model.readiness.rules).
PK_HOURS_CHOICES = (72, 74)
# The window: 12 months or 90 days.
WINDOW_CHOICES = ("12m", "90d")
