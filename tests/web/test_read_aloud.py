"""Les høyt where the phone has no Norwegian voice: the server reads the page with espeak-ng and
lame, once per text, and keeps the files under a size bound."""

import os
from pathlib import Path

import pytest

from worker_app.services import read_aloud

needs_tools = pytest.mark.skipif(read_aloud.tools() is None, reason="espeak-ng and lame are set up by make")


def is_mp3(data: bytes) -> bool:
    """An ID3 tag or an MPEG audio frame sync at the start."""
    return data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0)


@needs_tools
def test_a_page_is_read_once_and_then_kept(app, client, people, sign_in):
    sign_in(client, people.worker)
    text = "I dag. Gå hjemme-fra i kveld kl. 22:50.\nRing lederen"
    first = client.post("/read-aloud", data={"text": text, "lang": "nb"})
    assert first.status_code == 200
    url = first.get_json()["url"]
    audio = client.get(url)
    assert audio.status_code == 200 and audio.mimetype == "audio/mpeg"
    data = audio.data
    audio.close()
    assert is_mp3(data) and len(data) > 2000
    folder = Path(app.config["READ_ALOUD_DIR"])
    made = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.mp3")}
    again = client.post("/read-aloud", data={"text": "  " + text.replace(" ", "  "), "lang": "nn"})
    assert again.get_json()["url"] == url  # the same words, the same voice: the same file
    assert set(made) == {p.name for p in folder.glob("*.mp3")}


def test_what_is_not_a_page_is_refused(client, people, sign_in):
    sign_in(client, people.worker)
    assert client.post("/read-aloud", data={"text": "   "}).status_code == 400
    assert client.post("/read-aloud", data={"text": "Hei. " * 1000}).status_code == 400
    assert client.get("/read-aloud/../../secret.mp3").status_code == 404
    assert client.get("/read-aloud/" + "a" * 32 + ".mp3").status_code == 404


@needs_tools
def test_a_page_starting_with_a_dash_is_read_not_taken_as_an_option(tmp_path):
    elsewhere = tmp_path / "elsewhere.wav"
    key = read_aloud.audio_for(tmp_path / "cache", f"-w {elsewhere} Hei", "nb", 10 ** 7)
    assert is_mp3((tmp_path / "cache" / f"{key}.mp3").read_bytes())
    assert not elsewhere.exists()  # the words were read, not taken as espeak's options


def test_the_folder_is_kept_under_its_bound_dropping_the_least_recently_played(tmp_path):
    for i in range(10):
        path = tmp_path / f"{i:032x}.mp3"
        path.write_bytes(b"\xff\xf3" + bytes(998))
        os.utime(path, (1000 + i, 1000 + i))
    read_aloud.path_of(tmp_path, f"{0:032x}")  # played just now: kept
    assert read_aloud.prune(tmp_path, 20_000) == 0
    deleted = read_aloud.prune(tmp_path, 5_000)
    left = sorted(p.name for p in tmp_path.glob("*.mp3"))
    assert deleted == 6 and len(left) == 4
    assert f"{0:032x}.mp3" in left and f"{9:032x}.mp3" in left and f"{1:032x}.mp3" not in left
