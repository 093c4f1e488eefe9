"""«Портфолио»: its rows and their edits, the registry's portfolio checks, стаж and the
reporting period.
"""
