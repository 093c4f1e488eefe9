"""The operations a worker performs, shared by the `frmr` CLI, the TUI and the daemon."""
