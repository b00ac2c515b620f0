"""The house-price lesson: L1 throws out the dog's name, L2 keeps it small.

This module keeps the lesson's names importable from one place; the code lives in

* ``regviz/house_data.py``: the sales, the junk columns, the engineered terms;
* ``regviz/house_fits.py``: the L1/L2 comparison, overfitting, scaling, many seeds;
* ``regviz/house_captions.py``: the sentences the page shows;
* ``regviz/house_numbers.py``: how a lambda, an amount or a share reads in them.
"""

from regviz.house_captions import *  # noqa: F403 - the old import path keeps working
from regviz.house_data import *  # noqa: F403 - the old import path keeps working
from regviz.house_fits import *  # noqa: F403 - the old import path keeps working
from regviz.house_numbers import *  # noqa: F403 - the old import path keeps working
