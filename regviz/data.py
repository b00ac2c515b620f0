"""Load a student's CSV file and turn a table into a numeric design matrix.

Students upload whatever their spreadsheet program wrote: semicolons and
decimal commas from a German Excel, Latin-1 accents, a byte-order mark, "N/A"
for gaps, "$1,234" for prices.  The work is done in four modules, one step each:

- :mod:`regviz.decoding`: bytes to text (size limit, encodings, binary files refused);
- :mod:`regviz.reading`: text to a table (separator, decimal mark, header, ragged rows);
- :mod:`regviz.cells`: text cells to numbers (missing markers, currency, thousands, %);
- :mod:`regviz.features` and :mod:`regviz.design`: columns to a finite float64 X and y.

This module gathers their public names, so ``from regviz.data import read_table``
keeps working.  Every failure is a :class:`DataError` whose message names the
line, row or column and says what to change; every silent decision is a note.
"""

from __future__ import annotations

from regviz.decoding import MAX_FILE_BYTES, utf16_without_bom
from regviz.design import Design, default_target, design_matrix, too_few_rows_message
from regviz.errors import DataError
from regviz.features import MAX_ABS_VALUE, MAX_LEVELS
from regviz.reading import WHITESPACE, read_table

__all__ = [
    "MAX_ABS_VALUE",
    "MAX_FILE_BYTES",
    "MAX_LEVELS",
    "WHITESPACE",
    "DataError",
    "Design",
    "default_target",
    "design_matrix",
    "read_table",
    "too_few_rows_message",
    "utf16_without_bom",
]
