"""Schemathesis hooks for Oxidesk's API contract check: bodies of `POST /api/v1/kb/import`
(`application/x-ndjson`, one JSON article per line) — valid articles, broken lines and blanks."""
import json

import schemathesis
from hypothesis import strategies as st

article = st.fixed_dictionaries(
    {"title": st.text(min_size=0, max_size=40), "body": st.text(min_size=0, max_size=80)},
    optional={"category": st.text(max_size=20), "tags": st.lists(st.text(max_size=10), max_size=3), "audience": st.sampled_from(["public", "agents", "all"])},
)
line = st.one_of(article.map(json.dumps), st.text(max_size=40))
ndjson = st.lists(line, min_size=1, max_size=5).map(lambda lines: "\n".join(lines).encode("utf-8"))

schemathesis.openapi.media_type("application/x-ndjson", ndjson)
