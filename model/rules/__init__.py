"""Pure rules: identifiers, text, limits, statuses, dates. They import nothing of ours but each
other, so the registry uses them as the client does.
"""
