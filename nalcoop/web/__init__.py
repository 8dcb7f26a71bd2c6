"""The read-only web view of the ledger (`nalcoop serve`, the `web` extra): its canned queries, its titles
and the Datasette plugin."""
