"""frmr: the personal account of the Federal Register of Medical Workers, in a terminal.

The installed distribution exposes this one import package. In a checkout its
subpackages are symlinks to the top-level folders the design names (model/, contract/,
sync/, console/, daemon/, tui/, registry/, cli/), so the code stays where the design puts
it while every import spells ``frmr.<layer>``.
"""

import sys

# httpx's __init__ imports its own command-line client (click, rich, pygments) whenever those
# are installed, as they are here for the TUI: about 0.08 s of CPU in every process that only
# talks HTTP (`frmr login`, the daemon, the registry's admin commands). A None in sys.modules
# fails that import as if the extras were missing (the import system's documented way to
# block one), and httpx defines a stub `main` instead; frmr never runs httpx's command.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
