"""Where the atlas's live data comes from: one module per service over one HTTP layer.

- :mod:`.http` — the request path every service shares (cache, rate limiter, retries with
  backoff and ``Retry-After``, budgets, offline detection, key-safe messages);
- :mod:`.cache` — one SQLite response cache per service; :mod:`.ratelimit` — politeness;
- :mod:`.s2` — Semantic Scholar; :mod:`.openalex` — OpenAlex.

A third source (Crossref, OpenCitations) is one more module subclassing
:class:`.http.CachedHttp`.
"""
