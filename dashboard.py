"""洛阳市制造业创新中心建设监测平台 — entry point: page config, the shared filter bar, navigation."""

import time

import streamlit as st

from mic_tracker import db
from mic_tracker.i18n import t
from mic_tracker.ui import drill
from mic_tracker.ui.data import status
from mic_tracker.ui.filters import filter_bar
from mic_tracker.ui.frame import choose_language, first_start, header, language_switch
from mic_tracker.ui.pages import pages_for
from mic_tracker.ui.signin import require_user, signed_in, user_box

started = time.perf_counter()  # the benchmark (mic_tracker.bench) reads the script's own time
# First of all: every label drawn below, the page config and navigation titles included,
# is in the language chosen by the switch (or the link's ?lang=).
choose_language()
st.set_page_config(
    page_title=t("洛阳市制造业创新中心监测"), page_icon=":material/factory:", layout="wide"
)

# The server process keeps the file open between reruns (a click seconds later need not
# reopen it); another process asking for it (the CLI) gets it handed over within a tenth of a
# second when idle, or between two operations when busy (mic_tracker.db._Instance).
db.keep_open(30)
scope = signed_in()
# Navigation is set up on every run, before sign-in too (hidden then), so the page a link
# names is still the one shown once the person has signed in.
page = st.navigation(pages_for(scope), position="sidebar" if scope else "hidden")
language_switch()  # before sign-in too: the sign-in form follows the choice
scope = require_user()  # nothing below runs, and no data is read, before sign-in
info = status()  # read with the account by signed_in(): one connection a rerun
if not info["centers"]:
    user_box(scope)
    first_start()
    st.stop()
view = filter_bar()
user_box(scope)
header(view, info, scope)
drill.back_bar()  # after a click on a chart narrowed the filters: what it chose, and the way back
page.run()
st.session_state["_script_seconds"] = time.perf_counter() - started
