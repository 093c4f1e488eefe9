"""The document library: importing files by content, attaching them, replacements, refused
files and packing.
"""
