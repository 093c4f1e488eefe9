"""The moment the TUI's first module was imported; startup is measured from here."""

import time

START = time.perf_counter()
