"""The main window's tests, by topic, with their shared fixtures."""
