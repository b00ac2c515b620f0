"""The Streamlit protocol client now lives in ``deploy/st_protocol.py``; this name stays.

``deploy/prepare.py`` (a tool a teacher runs) needs the client, and a deployed
tool must not reach into the benchmarks, so the code moved next to it.  The
benchmarks and browser tests that import ``benchmarks.st_protocol`` get the same
objects from here.
"""

from deploy.st_protocol import *  # noqa: F403
from deploy.st_protocol import ROOT, free_port, start_streamlit  # noqa: F401 - the common names
