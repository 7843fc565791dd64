"""Batch analysis of a whole corpus across processes or a Dask cluster, into Parquet tables."""
