"""The ledger: one SQLite file, its schema and migrations, the journal every write goes through, its copies and
its own checks. Nothing here imports the activities, the commands or the command line (tests/test_layers.py).

    schema      what marks a file as a ledger, and its schema version
    errors      the ledger's errors
    files       where the ledger is; modes, special files, network filesystems, the folder lock
    migrations  the numbered migrations, in order (SCHEMA_VERSION is their number)
    store       open a ledger (probe, migrate) and run journaled commands (Ledger)
    chain       the journal's hash chain
    journal     history, undo and redo
    backup      copies: manual and automatic
    restore     a backup back over the ledger, checked first
    checks      the ledger's own checks (integrity, foreign keys, schema, journal)
"""
