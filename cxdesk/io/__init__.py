"""Readers and writers of plan documents: docx, xlsx, pdf and the .cxplan package.

No database access here.
"""
