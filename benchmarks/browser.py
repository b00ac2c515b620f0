"""What every Chromium-driving script here shares: launch flags, "app idle", a rerun counter.

Debian's Chromium is launched headless with the background-networking flags
(this machine's closed network refuses its outbound connections).
"""

from __future__ import annotations

import time

from ui import reveal

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# A page that draws its chart before its controls (ui/reveal.py) holds its hidden reveal box
# until they are drawn: true (in the page) while it waits for them.
CONTROLS_PENDING = (f"(!!document.querySelector('.st-key-{reveal.BOX}') && !document"
                    ".querySelector('[data-testid=stSidebarUserContent] "
                    "[data-testid=stWidgetLabel]'))")

# While a script runs, Streamlit's status widget reads "Running..." (older releases) or shows
# a "Stop" button (1.67); when idle it is gone.  A page waiting for its controls is not
# settled either.
_SCRIPT_IDLE = f"""() => {{
    const w = document.querySelector('[data-testid=stStatusWidget]');
    return !{CONTROLS_PENDING}
        && (!w || !(w.innerText.includes('Running') || w.innerText.includes('Stop')));
}}"""

# Counts messages the page sends to the server from now on, on sockets already open too.
COUNT_SENT_MESSAGES = """() => {
    window.__wsSent = 0;
    const orig = WebSocket.prototype.send;
    WebSocket.prototype.send = function(...a) {
        window.__wsSent += 1;
        return orig.apply(this, a);
    };
}"""
SENT_MESSAGES = "() => window.__wsSent"


def wait_idle(page, timeout_ms: int = 120_000) -> None:
    """Wait until Streamlit has no script running and the page has settled.

    The status widget can vanish for a moment between a run's stages (seen while a cached
    function starts), so idleness must hold at two checks 700 ms apart.
    """
    page.wait_for_timeout(500)
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        left = max(1_000, int((deadline - time.monotonic()) * 1000))
        page.wait_for_function(_SCRIPT_IDLE, timeout=left)
        page.wait_for_timeout(700)
        if page.evaluate(_SCRIPT_IDLE) or time.monotonic() > deadline:
            return
