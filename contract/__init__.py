"""The wire contract between the client and the registry, imported by both."""
