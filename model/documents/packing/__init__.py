"""The packer: images and PDFs in, one PDF within a byte budget out, named for the portal.

Pure functions over bytes, shared by the daemon, the CLI and the TUI. Pillow, img2pdf and
pikepdf are imported inside the functions that use them, so importing this package costs
nothing at CLI or TUI startup.
"""

from __future__ import annotations

from frmr.model.documents.packing.naming import DEFAULT_NAME_TEMPLATE, document_file_name
from frmr.model.documents.packing.packer import PackResult, merge, pack
from frmr.model.documents.packing.progress import PackStep, Progress
from frmr.model.documents.packing.recompress import PackProfile
from frmr.model.documents.packing.sources import PackInput

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
