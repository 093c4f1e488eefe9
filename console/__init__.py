"""What every command line of frmr shares (frmr, frmr-daemon, frmr-tui, frmr-registry): click
in Russian. A layer under the faces, so each may import it without importing another face."""
