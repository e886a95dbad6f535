"""The Qt widgets of cxdesk: main window, wizard, dialogs, item models."""
