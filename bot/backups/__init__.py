"""Backups: a timestamped SQLite snapshot, N kept; restore into an empty database."""
