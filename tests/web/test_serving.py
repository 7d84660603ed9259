"""What an old phone on a slow connection gets: compressed pages, cached files, 304s."""

import re


def test_pages_are_compressed(client):
    response = client.get("/help", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert int(response.headers["Content-Length"]) < 3000


def test_static_urls_carry_a_content_hash_and_are_cached_for_a_year(client):
    page = client.get("/help").text
    css = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page).group(1)
    with client.get(css) as response:
        assert response.status_code == 200
        response.get_data()
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=31536000" in response.headers["Cache-Control"]
    assert re.search(r'src="/static/vendor/htmx/htmx\.min\.js\?v=[0-9a-f]{12}"', page)


def test_static_files_are_compressed_too(client):
    for offered, used in (("br", "br"), ("gzip, deflate", "gzip")):
        with client.get("/static/css/app.css", headers={"Accept-Encoding": offered}) as response:
            assert response.headers["Content-Encoding"] == used
            assert len(response.get_data()) < 6000  # the whole body, as a server reads it


def test_a_static_file_is_closed_before_its_answer_is(client, monkeypatch):
    """web.buffer_static reads the file and closes it at once: a server that never closes the
    answer (a client gone mid-answer) leaves no file open."""
    import builtins

    opened, real_open = [], builtins.open

    def recording_open(file, *args, **kwargs):
        handle = real_open(file, *args, **kwargs)
        if str(file).endswith("app.css"):
            opened.append(handle)
        return handle

    monkeypatch.setattr(builtins, "open", recording_open)
    response = client.get("/static/css/app.css", buffered=False)  # never closed here
    assert response.status_code == 200 and opened
    assert all(handle.closed for handle in opened)
    response.close()
