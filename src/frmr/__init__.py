"""frmr: the personal account of the Federal Register of Medical Workers, in a terminal.

The installed distribution exposes this one import package. In a checkout its
subpackages are symlinks to the top-level folders the design names (model/, contract/,
sync/, console/, daemon/, tui/, registry/, cli/), so the code stays where the design puts
it while every import spells ``frmr.<layer>``.
"""
