"""A local stand-in for sec-api.io's Query API, serving recorded filings.

The pipeline's utilities app talks to sec-api.io in production; scenarios point it at this
server instead, so they run offline, repeatably, and can provoke outages on demand through the
``/_standin/`` control paths (which the real API does not have). See ``__main__`` for the CLI.
"""
