"""Files become structured Documents: read, normalise, parse header and outline, segment, chunk.

Nothing here knows about indexes or models; `tracuu.ingest.pipeline.ingest_file` is the entry point.
"""
