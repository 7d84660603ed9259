"""No sign-in, calendar or invitation token reaches an access log."""

import logging

from worker_app.logs import MaskTokens, mask


def test_tokens_in_paths_are_masked():
    assert mask('"GET /signin/AbC-123_x HTTP/1.1" 200') == '"GET /signin/*** HTTP/1.1" 200'
    assert mask('"POST /signin/AbC-123 HTTP/1.1" 302') == '"POST /signin/*** HTTP/1.1" 302'
    assert mask('"GET /calendar/Zz9.ics HTTP/1.1" 200') == '"GET /calendar/***.ics HTTP/1.1" 200'
    assert mask('"GET /invite/tok?x=1 HTTP/1.1" 200') == '"GET /invite/***?x=1 HTTP/1.1" 200'
    assert mask('"GET /shifts/calendar HTTP/1.1" 200') == '"GET /shifts/calendar HTTP/1.1" 200'


def test_the_dev_servers_access_log_is_masked(app):
    # The werkzeug logger writes the request line as an argument of a format string.
    logger = logging.getLogger("werkzeug")
    assert any(isinstance(f, MaskTokens) for f in logger.filters)
    written: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: written.append(record.getMessage())
    level, disabled = logger.level, logger.disabled
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.disabled = False
    try:
        logger.info('%s - - [%s] "%s" %s %s', "127.0.0.1", "now", "GET /signin/s3cret-token HTTP/1.1",
                    "200", "-")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.disabled = disabled
    assert written and "s3cret-token" not in written[0] and "/signin/***" in written[0]
