"""Rate limits kept in Redis (RATELIMIT_STORAGE_URI=redis://...), as in production with more
than one process. Needs a Redis server: REDIS_URL (CI starts one with scripts/start-redis.sh)."""

from __future__ import annotations

import os
import secrets

import pytest

from tests.conftest import fresh_app
from worker_app.extensions import limiter

REDIS_URL = os.environ.get("REDIS_URL")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="needs a Redis server: set REDIS_URL "
                                 "(bash scripts/start-redis.sh starts one and prints it)")


def test_the_app_starts_with_a_redis_store_even_before_redis_answers(tmp_path):
    # The redis client is installed, and nothing connects at start-up.
    with fresh_app(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:9/0") as app:
        limiter.init_app(app)
        assert type(limiter.storage).__name__ == "RedisStorage"


@needs_redis
def test_wrong_passwords_are_counted_in_redis(tmp_path):
    import redis

    prefix = f"test-{secrets.token_hex(4)}"
    with fresh_app(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=REDIS_URL,
                   RATELIMIT_KEY_PREFIX=prefix) as app:
        limiter.init_app(app)
        client = app.test_client()
        codes = [client.post("/login", data={"email": "nobody@test.no", "password": "wrong"}).status_code
                 for _ in range(11)]
        assert codes[:10] == [400] * 10 and codes[10] == 429
        store = redis.Redis.from_url(REDIS_URL)
        keys = store.keys(f"*{prefix}*")
        assert keys, "the counter is not in Redis"
        store.delete(*keys)
