"""Moved to :mod:`implicit_atlas.graph.sources.cache`; this name stays so existing imports work."""

from .sources.cache import (
    CACHE_FILE_NAME as CACHE_FILE_NAME,
)
from .sources.cache import (
    REFRESH_RESUME_SECONDS as REFRESH_RESUME_SECONDS,
)
from .sources.cache import (
    CachedResponse as CachedResponse,
)
from .sources.cache import (
    ResponseCache as ResponseCache,
)
from .sources.cache import (
    S2Cache as S2Cache,
)
from .sources.cache import (
    default_cache_dir as default_cache_dir,
)
from .sources.cache import (
    request_key as request_key,
)
