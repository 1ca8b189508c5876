"""Services the main screen uses: documents (files) and recovery (unsaved work)."""
