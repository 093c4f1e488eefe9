"""The registry's HTTP routes, one module per part of the contract."""
