"""The analytics warehouse: raw police and survey records as Parquet, queried with DuckDB.

Plain Python with no Django import: every function is handed what it needs (a DuckDB
connection, a Warehouse root, a lookup), so it can be tested and benchmarked alone and run
against local files or object storage unchanged.
"""
