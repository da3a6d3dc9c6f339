"""One result table ⇄ one Parquet table, exactly: same columns in the same order, same dtypes,
same values (NaN, ±inf and -0.0 are IEEE doubles in Parquet too), same index.

Each column is stored one of three ways, named in the table's manifest entry (summary.json):

- `arrow`: the column's own Parquet type: numpy bool, int, uint, float32/64, datetime64 (ms, us,
  ns, with or without a time zone), pandas' nullable Int/UInt/Float/boolean and its string dtypes.
- `floats`: an object column holding only floats and None (None is a Parquet blank, NaN a NaN):
  a Parquet double column.
- `text`: an object column holding only text, with blanks all None or all NaN (`null` says which):
  a Parquet string column.
- `tagged`: any other object column (mixed types, or text UTF-8 cannot hold, such as a lone
  surrogate): a struct column of (type, text, number, integer, bytes), see values.py.

Reading never trusts the Parquet file's own pandas metadata: the dtype comes from the manifest,
the Parquet type must be the one that dtype is written as, and the dtype read back must be the
recorded one; anything else is RecordInvalid (and the workbook is read instead).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from supplyopt.io.record.values import RecordInvalid, RecordUnsupported, tag_values, untag_values

__all__ = ["dtype_token", "frame_from_arrow", "frame_to_arrow"]

INDEX_COLUMN = "__index_level_{}__"  # pyarrow's own name for index levels stored as columns
_NUMPY_KINDS = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64"}
_MASKED = {"Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "Float32", "Float64", "boolean"}
_STRINGS = {"str[pyarrow]", "str[python]", "string[pyarrow]", "string[python]"}
_TIME_UNITS = ("ms", "us", "ns")
_COLUMN_INDEX_DTYPES = ("object", "str[pyarrow]", "str[python]", "int64")  # int64: a table without columns


def dtype_token(dtype: Any) -> str:
    """The dtype as text that names it exactly (str(dtype) does not tell pandas' string dtypes apart)."""
    if isinstance(dtype, pd.StringDtype):
        na = dtype.na_value
        return f"{'str' if isinstance(na, float) and na != na else 'string'}[{dtype.storage}]"
    return str(dtype)


def _dtype_from_token(token: str) -> Any:
    """The dtype named by an allowed token (RecordInvalid for any other text)."""
    if token in _NUMPY_KINDS:
        return np.dtype(token)
    if token in _MASKED:
        return pd.api.types.pandas_dtype(token)
    if token in _STRINGS:
        kind, storage = token[:-1].split("[")
        return pd.StringDtype(storage, na_value=np.nan) if kind == "str" else pd.StringDtype(storage)
    if token.startswith("datetime64["):
        unit, _, tz = token[len("datetime64[") : -1].partition(", ")
        if unit in _TIME_UNITS and token.endswith("]"):
            return pd.DatetimeTZDtype(unit, tz) if tz else np.dtype(f"datetime64[{unit}]")
    raise RecordInvalid(f"dtype {token!r} is not one a results record holds")


def _arrow_type(dtype: Any) -> pa.DataType | None:
    """The Parquet (Arrow) type a column of this dtype is written as; None for strings (either width)."""
    if isinstance(dtype, pd.StringDtype):
        return None
    if isinstance(dtype, pd.DatetimeTZDtype):
        return pa.timestamp(dtype.unit, tz=str(dtype.tz))
    if isinstance(dtype, pd.api.extensions.ExtensionDtype):
        return pa.bool_() if dtype_token(dtype) == "boolean" else pa.from_numpy_dtype(dtype.numpy_dtype)
    return pa.from_numpy_dtype(dtype)


def _time_unit(dtype: Any) -> str:
    return dtype.unit if isinstance(dtype, pd.DatetimeTZDtype) else np.datetime_data(dtype)[0]


def _encode(col: pd.Series, where: str) -> tuple[pa.Array | pa.ChunkedArray, dict[str, Any]]:
    """(Parquet values, manifest entry without the name) of one column."""
    token = dtype_token(col.dtype)
    if token != "object":
        dated = token.startswith("datetime64[")
        if token in _NUMPY_KINDS | _MASKED | _STRINGS or (dated and _time_unit(col.dtype) in _TIME_UNITS):
            # from_pandas=False: NaN stays a NaN double (not a blank); NaT does become a blank
            return pa.chunked_array([pa.array(col, from_pandas=dated)]), {"dtype": token, "storage": "arrow"}
        raise RecordUnsupported(f"{where} has the dtype {token}, which the results record does not store")
    values = col.tolist()
    kinds = set(map(type, values))
    null = None
    if kinds <= {str, type(None)}:
        null = "none"
    elif kinds <= {str, float} and all(v != v for v in values if type(v) is float):
        null = "nan"
    if kinds <= {float, type(None)} and values:  # numbers with None blanks (unlimited capacities)
        return pa.chunked_array([pa.array(values, type=pa.float64(), from_pandas=False)]), {"dtype": token, "storage": "floats"}
    if null is not None:
        try:
            return pa.chunked_array([pa.array([None if type(v) is not str else v for v in values], type=pa.string())]), {
                "dtype": token,
                "storage": "text",
                "null": null,
            }
        except UnicodeEncodeError:  # a lone surrogate: kept exactly as tagged bytes
            pass
    try:
        return pa.chunked_array([tag_values(values)]), {"dtype": token, "storage": "tagged"}
    except RecordUnsupported as exc:
        raise RecordUnsupported(f"{where} holds {exc}, which the results record cannot store exactly") from None


def _decode(arr: pa.ChunkedArray, entry: dict[str, Any]) -> pd.Series:
    """One column back from its Parquet values and manifest entry (RecordInvalid on any mismatch)."""
    token, storage = entry.get("dtype"), entry.get("storage")
    if storage == "tagged" and token == "object":
        return pd.Series(untag_values(arr), dtype=object)
    if storage == "floats" and token == "object":
        if arr.type != pa.float64():
            raise RecordInvalid(f"a column of numbers has the Parquet type {arr.type}")
        values = np.empty(len(arr), dtype=object)
        for i, v in enumerate(arr.to_pylist()):  # one by one: None stays None, NaN stays NaN
            values[i] = v
        return pd.Series(values, dtype=object)
    if storage == "text" and token == "object" and entry.get("null") in ("none", "nan"):
        if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
            raise RecordInvalid(f"a text column has the Parquet type {arr.type}")
        values = arr.to_numpy(zero_copy_only=False).astype(object, copy=False)
        if entry["null"] == "nan" and arr.null_count:
            values[arr.is_null().to_numpy(zero_copy_only=False)] = np.nan
        return pd.Series(values, dtype=object)
    if storage != "arrow" or not isinstance(token, str):
        raise RecordInvalid(f"column storage {storage!r} of dtype {token!r} is not one a results record uses")
    dtype = _dtype_from_token(token)
    expected = _arrow_type(dtype)
    if expected is None:
        if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
            raise RecordInvalid(f"a {token} column has the Parquet type {arr.type}")
    elif arr.type != expected:
        raise RecordInvalid(f"a {token} column has the Parquet type {arr.type}, not {expected}")
    if isinstance(dtype, np.dtype) and dtype.kind in "biuf":
        if arr.null_count:
            raise RecordInvalid(f"a {token} column has blanks")
        series = pd.Series(arr.to_numpy(), dtype=dtype)
    elif isinstance(dtype, pd.api.extensions.ExtensionDtype) and not isinstance(dtype, pd.DatetimeTZDtype):
        series = pd.Series(dtype.__from_arrow__(arr))
    else:
        series = arr.to_pandas(coerce_temporal_nanoseconds=False)
    if dtype_token(series.dtype) != token:
        raise RecordInvalid(f"a {token} column reads back as {dtype_token(series.dtype)}")
    return series.reset_index(drop=True)


def _index_entry(index: pd.Index, n: int) -> tuple[dict[str, Any] | None, list[pd.Series]]:
    """(manifest entry, level columns) of a table's index; (None, []) for the default 0..n-1."""
    names = list(index.names)
    if any(name is not None and type(name) is not str for name in names):
        raise RecordUnsupported(f"index names {names!r} are not text")
    if isinstance(index, pd.RangeIndex):
        if index.start == 0 and index.step == 1 and index.name is None:
            return None, []
        return {"range": [index.start, index.stop, index.step], "name": index.name}, []
    levels = [index.get_level_values(k).to_series(index=pd.RangeIndex(n)) for k in range(index.nlevels)]
    return {"levels": names}, levels


def frame_to_arrow(df: pd.DataFrame, where: str) -> tuple[pa.Table, dict[str, Any]]:
    """(Parquet table, manifest entry: columns, index) of one result table."""
    names = list(df.columns)
    if any(type(c) is not str for c in names) or len(set(names)) != len(names) or any(c.startswith("__index_level_") for c in names):
        raise RecordUnsupported(f"{where}: column names must be distinct text (got {names!r:.120})")
    if df.columns.name is not None and type(df.columns.name) is not str:
        raise RecordUnsupported(f"{where}: the column index's name {df.columns.name!r} is not text")
    if dtype_token(df.columns.dtype) not in _COLUMN_INDEX_DTYPES or (dtype_token(df.columns.dtype) == "int64" and names):
        raise RecordUnsupported(f"{where}: a column index of dtype {dtype_token(df.columns.dtype)}")
    index, levels = _index_entry(df.index, len(df))
    arrays, columns, fields = [], [], []
    for k, level in enumerate(levels):
        arr, entry = _encode(level, f"{where}, index level {k}")
        arrays.append(arr)
        fields.append(INDEX_COLUMN.format(k))
        columns.append({"name": fields[-1], **entry})
    for j, name in enumerate(names):
        arr, entry = _encode(df.iloc[:, j], f"{where}, column {name!r}")
        arrays.append(arr)
        fields.append(name)
        columns.append({"name": name, **entry})
    table = pa.Table.from_arrays(arrays, names=fields) if arrays else pa.table({})
    native = [j for j, c in enumerate(columns[len(levels) :]) if c["storage"] == "arrow"]
    if native:  # pandas' own metadata, for pd.read_parquet (nullable Int64 stays Int64); never read here
        table = table.replace_schema_metadata(pa.Schema.from_pandas(df.iloc[:0, native], preserve_index=False).metadata)
    meta = {"rows": len(df), "columns": columns, "index": index, "columns_name": df.columns.name, "columns_dtype": dtype_token(df.columns.dtype)}
    return table, meta


def frame_from_arrow(table: pa.Table, meta: dict[str, Any]) -> pd.DataFrame:
    """The result table back from its Parquet table and manifest entry (RecordInvalid on mismatch)."""
    columns, index, rows = meta.get("columns"), meta.get("index"), meta.get("rows")
    if type(columns) is not list or not all(type(c) is dict and type(c.get("name")) is str for c in columns) or type(rows) is not int:
        raise RecordInvalid("its table entry lacks 'columns' or 'rows'")
    # a table without columns keeps its rows in the manifest only (a Parquet table of no columns has none)
    if table.column_names != [c["name"] for c in columns] or (columns and table.num_rows != rows) or rows < 0:
        raise RecordInvalid(f"the Parquet file holds columns {table.column_names!r:.120} and {table.num_rows} rows, not the recorded ones")
    n_levels = len(index["levels"]) if type(index) is dict and type(index.get("levels")) is list else 0
    decoded = [_decode(table.column(j), c) for j, c in enumerate(columns)]
    data = {j: s for j, s in enumerate(decoded[n_levels:])}
    df = pd.DataFrame(data, index=pd.RangeIndex(rows)) if data else pd.DataFrame(index=pd.RangeIndex(rows))
    col_dtype = meta.get("columns_dtype")
    col_name = meta.get("columns_name")
    labels = [c["name"] for c in columns[n_levels:]]
    if col_dtype not in _COLUMN_INDEX_DTYPES or (col_dtype == "int64" and labels) or not (col_name is None or type(col_name) is str):
        raise RecordInvalid(f"column index dtype {col_dtype!r} or name {col_name!r} is not one a record uses")
    if col_dtype == "int64":  # a table without columns: pandas gives it a RangeIndex
        df.columns = pd.RangeIndex(0, name=col_name)
    else:
        df.columns = pd.Index(labels, dtype=object if col_dtype == "object" else _dtype_from_token(col_dtype), name=col_name)
    if index is None:
        return df
    if type(index) is dict and type(index.get("range")) is list and len(index["range"]) == 3 and all(type(x) is int for x in index["range"]):
        start, stop, step = index["range"]
        if step == 0 or len(range(start, stop, step)) != rows or not (index.get("name") is None or type(index.get("name")) is str):
            raise RecordInvalid("its range index does not fit the rows")
        df.index = pd.RangeIndex(start, stop, step, name=index.get("name"))
        return df
    names = index.get("levels") if type(index) is dict else None
    if not n_levels or not all(n is None or type(n) is str for n in names):
        raise RecordInvalid("its index entry is malformed")
    levels = decoded[:n_levels]
    df.index = pd.Index(levels[0], name=names[0]) if n_levels == 1 else pd.MultiIndex.from_arrays(levels, names=names)
    return df
