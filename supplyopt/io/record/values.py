"""Single values of a results record, each with a type tag so that it comes back as it went in.

- Summary values go to JSON (`summary_to_json` / `summary_from_json`): None, bool, int, float
  (NaN and ±inf as the strings 'nan', 'inf', '-inf'; -0.0 as -0.0), str (JSON escapes lone
  surrogates, so any Python str), date, datetime, pd.Timestamp, numpy scalars, and lists, tuples
  and dicts of plain JSON values.
- Values of object columns that are not plain text go to a Parquet struct column
  (`TAGGED_TYPE`, `tag_values` / `untag_values`): one row per value with its `type` and the field
  that holds it, so that True, 1 and 1.0, 0.0 and -0.0, None, NaN and pd.NA stay distinct, and
  text that UTF-8 cannot hold (a lone surrogate) is kept exactly as 'surrogatepass' bytes.

Anything else raises RecordUnsupported: the record is then not written (the workbook still is).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["TAGGED_TYPE", "RecordInvalid", "RecordUnsupported", "summary_from_json", "summary_to_json", "tag_values", "untag_values"]

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# numpy scalar types kept as themselves (np:<name>); others are refused
NUMPY_SCALARS = {
    np.dtype(n).name: np.dtype(n).type for n in ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64")
}
TAGGED_TYPE = pa.struct([("type", pa.string()), ("text", pa.string()), ("number", pa.float64()), ("integer", pa.int64()), ("bytes", pa.binary())])
_NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


class RecordUnsupported(ValueError):
    """The Results hold something the record cannot store exactly (the workbook is still written)."""


class RecordInvalid(ValueError):
    """The record on disk is damaged, tampered with or not one this supplyopt reads."""


# ---------------------------------------------------------------- summary values (JSON)


def _plain_json(v: Any) -> bool:
    """JSON that reads back equal and of the same types (no tuples, NaN or non-str keys inside)."""
    if v is None or isinstance(v, (bool, int, str)):
        return type(v) in (type(None), bool, int, str)
    if type(v) is float:
        return math.isfinite(v)
    if type(v) is list:
        return all(_plain_json(x) for x in v)
    if type(v) is dict:
        return all(type(k) is str and _plain_json(x) for k, x in v.items())
    return False


def _float_json(v: float) -> float | str:
    if math.isfinite(v):
        return v
    return "nan" if v != v else ("inf" if v > 0 else "-inf")


def _summary_value(key: str, v: Any) -> tuple[str, Any]:
    """(tag, JSON value) of one summary value."""
    t = type(v)
    if v is None:
        return "none", None
    if t is bool or t is int or t is str:
        return t.__name__, v
    if t is float:
        return "float", _float_json(v)
    if isinstance(v, np.generic) and v.dtype.name in NUMPY_SCALARS and t is NUMPY_SCALARS[v.dtype.name]:
        item = v.item()
        return f"np:{v.dtype.name}", _float_json(item) if isinstance(item, float) else item
    if t is pd.Timestamp:
        return "timestamp", v.isoformat()
    if t is dt.datetime:
        return "datetime", v.isoformat()
    if t is dt.date:
        return "date", v.isoformat()
    if t in (list, tuple, dict) and _plain_json(list(v) if t is tuple else v):
        return t.__name__, list(v) if t is tuple else v
    raise RecordUnsupported(f"summary item {key!r} holds a {t.__name__} ({v!r:.60}), which the results record cannot store exactly")


def summary_to_json(summary: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """(values, type tags) for the record's summary.json, in the summary's order."""
    values, tags = {}, {}
    for k, v in summary.items():
        if type(k) is not str:
            raise RecordUnsupported(f"summary key {k!r} is not text")
        tags[k], values[k] = _summary_value(k, v)
    return values, tags


def _float_back(v: Any) -> float:
    if isinstance(v, str) and v in _NONFINITE:
        return _NONFINITE[v]
    if type(v) in (int, float):
        return float(v)
    raise RecordInvalid(f"{v!r} is not a number")


def _summary_back(tag: Any, v: Any) -> Any:
    """One summary value from its tag and JSON value; RecordInvalid when they do not fit."""
    if tag == "none" and v is None:
        return None
    if tag in ("bool", "int", "str") and type(v).__name__ == tag:
        return v
    if tag == "float":
        return _float_back(v)
    if isinstance(tag, str) and tag.startswith("np:") and tag[3:] in NUMPY_SCALARS:
        kind = NUMPY_SCALARS[tag[3:]]
        if issubclass(kind, np.floating):
            return kind(_float_back(v))
        if (issubclass(kind, np.bool_) and type(v) is bool) or (not issubclass(kind, np.bool_) and type(v) is int):
            return kind(v)
    if isinstance(v, str) and tag in ("timestamp", "datetime", "date"):
        try:
            return pd.Timestamp(v) if tag == "timestamp" else (dt.datetime if tag == "datetime" else dt.date).fromisoformat(v)
        except ValueError as exc:
            raise RecordInvalid(f"{v!r} is not a {tag}") from exc
    if tag in ("list", "tuple") and type(v) is list and _plain_json(v):
        return v if tag == "list" else tuple(v)
    if tag == "dict" and type(v) is dict and _plain_json(v):
        return v
    raise RecordInvalid(f"value {v!r:.60} does not fit its type {tag!r}")


def summary_from_json(values: Any, tags: Any) -> dict[str, Any]:
    """The summary back from summary.json's `summary` and `summary_types`."""
    if type(values) is not dict or type(tags) is not dict or list(values) != list(tags):
        raise RecordInvalid("'summary' and 'summary_types' do not match")
    out = {}
    for k, v in values.items():
        try:
            out[k] = _summary_back(tags[k], v)
        except RecordInvalid as exc:
            raise RecordInvalid(f"summary item {k!r}: {exc}") from None
    return out


# ---------------------------------------------------------------- object column values (struct)


def _tag(v: Any) -> tuple[str, str | None, float | None, int | None, bytes | None]:
    """(type, text, number, integer, bytes) of one value of an object column."""
    t = type(v)
    if v is None:
        return "none", None, None, None, None
    if v is pd.NA:
        return "na", None, None, None, None
    if v is pd.NaT:
        return "nat", None, None, None, None
    if t is bool:
        return "bool", None, None, int(v), None
    if t is int:
        return ("int", None, None, v, None) if INT64_MIN <= v <= INT64_MAX else ("bigint", str(v), None, None, None)
    if t is float:
        return "float", None, v, None, None
    if t is str:
        try:
            v.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: Parquet text is UTF-8
            return "str_surrogates", None, None, None, v.encode("utf-8", "surrogatepass")
        return "str", v, None, None, None
    if t is bytes:
        return "bytes", None, None, None, v
    if isinstance(v, np.generic) and v.dtype.name in NUMPY_SCALARS and t is NUMPY_SCALARS[v.dtype.name]:
        item = v.item()
        if isinstance(item, float):
            return f"np:{v.dtype.name}", None, item, None, None
        if isinstance(item, bool):
            return f"np:{v.dtype.name}", None, None, int(item), None
        return (f"np:{v.dtype.name}", None, None, item, None) if item <= INT64_MAX else (f"np:{v.dtype.name}", str(item), None, None, None)
    raise RecordUnsupported(f"a {t.__name__} value ({v!r:.60})")


def tag_values(values: list) -> pa.StructArray:
    """An object column's values as a struct array of (type, text, number, integer, bytes)."""
    fields = list(zip(*map(_tag, values))) if values else [(), (), (), (), ()]
    return pa.StructArray.from_arrays([pa.array(list(f), type=TAGGED_TYPE.field(i).type) for i, f in enumerate(fields)], fields=list(TAGGED_TYPE))


def _untag(kind: str | None, text: str | None, number: float | None, integer: int | None, raw: bytes | None) -> Any:
    if kind == "none":
        return None
    if kind == "na":
        return pd.NA
    if kind == "nat":
        return pd.NaT
    if kind == "bool" and integer in (0, 1):
        return bool(integer)
    if kind == "int" and integer is not None:
        return integer
    if kind == "bigint" and text is not None and text.lstrip("-").isdigit():
        return int(text)
    if kind == "float" and number is not None:
        return number
    if kind == "str" and text is not None:
        return text
    if kind == "str_surrogates" and raw is not None:
        return raw.decode("utf-8", "surrogatepass")
    if kind == "bytes" and raw is not None:
        return raw
    if kind is not None and kind.startswith("np:") and kind[3:] in NUMPY_SCALARS:
        scalar = NUMPY_SCALARS[kind[3:]]
        value = number if issubclass(scalar, np.floating) else (int(text) if text is not None and text.isdigit() else integer)
        if value is not None:
            return scalar(value)
    raise RecordInvalid(f"a tagged value of type {kind!r} lacks its value")


def untag_values(arr: pa.ChunkedArray) -> np.ndarray:
    """The object column back from `tag_values`' struct array (RecordInvalid when malformed)."""
    if arr.type != TAGGED_TYPE:
        raise RecordInvalid(f"a tagged column has the Parquet type {arr.type}, not {TAGGED_TYPE}")
    flat = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if flat.null_count:
        raise RecordInvalid("a tagged column has null rows")
    fields = [flat.field(i).to_pylist() for i in range(flat.type.num_fields)]
    out = np.empty(len(flat), dtype=object)
    for i, row in enumerate(zip(*fields)):  # one by one: numpy would unpack a sequence value
        out[i] = _untag(*row)
    return out
