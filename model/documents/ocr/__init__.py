"""Reading training documents on this machine: their text (a PDF's own, or Tesseract's
reading of a scan) and the fields of an удостоверение о ПК or an НМО certificate."""
