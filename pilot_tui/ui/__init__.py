"""The Textual app: it reads and writes through the store, and asks the core for every number."""
