"""The packer: images and PDFs in, one PDF within a byte budget out, named for the portal.

Pure functions over bytes, shared by the daemon, the CLI and the TUI. Pillow, img2pdf and
pikepdf are imported inside the functions that use them, so importing this package costs
nothing at CLI or TUI startup.
"""

from __future__ import annotations

from frmr.model.packing.naming import DEFAULT_NAME_TEMPLATE, document_file_name
from frmr.model.packing.packer import PackResult, merge, pack
from frmr.model.packing.progress import PackStep, Progress
from frmr.model.packing.recompress import PackProfile
from frmr.model.packing.sources import PackInput

__all__ = [
    "DEFAULT_NAME_TEMPLATE",
    "PackInput",
    "PackProfile",
    "PackResult",
    "PackStep",
    "Progress",
    "document_file_name",
    "merge",
    "pack",
]
