"""The Textual app. It only calls the engine; it never computes a figure itself."""
