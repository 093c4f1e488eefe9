"""«Профиль»: the person card, its fields and their edits."""
