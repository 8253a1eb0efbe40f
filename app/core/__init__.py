"""What every domain uses and that knows no domain: the database, security primitives, lists and
pages, bulk writes, workflows, unit ownership, tabular files, storage, caching and middleware.
"""
