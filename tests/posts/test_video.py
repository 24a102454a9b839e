"""Videos on posts: uploads recognised by content, links turned into private players."""

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bedside.core.errors import Invalid
from bedside.posts.video import check_video, embed_url, video_format

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
WEBM = (
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
    b"\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02" + b"\x00" * 64
)
MATROSKA = WEBM.replace(b"\x84webm", b"\x88matroska")
QUICKTIME = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\x00" * 64


def test_mp4_and_webm_are_recognised_by_their_first_bytes():
    assert video_format(MP4) == "mp4"
    assert video_format(WEBM) == "webm"


@pytest.mark.parametrize(
    "header",
    [MATROSKA, QUICKTIME, b"<html><body>not a video</body></html>", b"GIF89a" + b"\x00" * 40, b""],
)
def test_other_containers_and_files_are_not_videos(header):
    assert video_format(header) is None


def test_a_checked_video_gets_a_random_name_with_the_extension_of_its_content():
    upload = io.BytesIO(WEBM)
    upload.read(5)
    checked = check_video(upload, size=len(WEBM))
    assert checked.name.endswith(".webm")
    assert len(checked.name) == len("0" * 32 + ".webm")
    assert checked.file.read() == WEBM  # rewound for saving


def test_a_file_named_like_a_video_but_holding_something_else_is_refused():
    with pytest.raises(Invalid) as error:
        check_video(io.BytesIO(b"MZ\x90\x00 an executable" * 4), size=60)
    assert error.value.field == "video"


def test_a_video_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.MAX_VIDEO_BYTES = 1000
    with pytest.raises(Invalid, match="up to 0 MB") as error:
        check_video(io.BytesIO(MP4), size=1001)
    assert error.value.field == "video"


@pytest.mark.parametrize(
    ("link", "player"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s&list=x", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("http://m.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://vimeo.com/76979871/8272103f6e", "https://player.vimeo.com/video/76979871?dnt=1&h=8272103f6e"),
        ("https://vimeo.com/channels/staffpicks/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://player.vimeo.com/video/76979871?dnt=1", "https://player.vimeo.com/video/76979871?dnt=1"),
    ],
)  # fmt: skip
def test_youtube_and_vimeo_links_become_privacy_enhanced_players(link, player):
    assert embed_url(link) == player


@pytest.mark.parametrize(
    "link",
    [
        "https://example.org/watch?v=dQw4w9WgXcQ",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload%3D",
        "javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ",
        "ftp://youtu.be/dQw4w9WgXcQ",
        "https://user:pw@youtu.be/dQw4w9WgXcQ",
        "https://vimeo.com/about",
        "https://player.vimeo.com/video/123?h=<script>",
        "https://www.youtube.com/playlist?list=PL123",
    ],
)
def test_other_links_are_refused(link):
    with pytest.raises(Invalid) as error:
        embed_url(link)
    assert error.value.field == "video_embed_url"


@given(st.text(max_size=200))
def test_whatever_is_pasted_only_a_known_player_comes_out(link):
    try:
        player = embed_url(link)
    except Invalid:
        return
    assert player.startswith(
        ("https://www.youtube-nocookie.com/embed/", "https://player.vimeo.com/video/")
    )
    assert all(ch.isalnum() or ch in "-_:/.?=&" for ch in player)


@given(
    st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        min_size=11,
        max_size=11,
    )
)
def test_every_youtube_id_round_trips(video_id):
    expected = f"https://www.youtube-nocookie.com/embed/{video_id}"
    assert embed_url(f"https://www.youtube.com/watch?v={video_id}") == expected
    assert embed_url(f"https://youtu.be/{video_id}") == expected
    assert embed_url(expected) == expected
