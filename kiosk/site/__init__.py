"""Where this installation keeps its files, and site-level records.

Below every service layer and above the pure engine: it touches the file
system but knows nothing of Qt, databases or HTTP.
"""
