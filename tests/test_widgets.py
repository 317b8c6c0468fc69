"""Interactive figures: the static HTML rendering (controls, frames, size limit) and the
live ipywidgets view, and which of them ``_repr_mimebundle_`` returns."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

import numpy as np
import pytest

from nnlib.widgets import InteractiveFigure, choice, interactive, slider

SMALL = dict(figsize=(2.0, 1.5), dpi=40)       # small frames: fast tests


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside <label>s and the JSON data."""

    def __init__(self):
        super().__init__()
        self.tags, self.labels, self.data, self._in = [], {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "label":
            self._in = ("label", attrs.get("for"))
        elif tag == "script" and attrs.get("type") == "application/json":
            self._in = ("data", None)

    def handle_endtag(self, tag):
        if tag in ("label", "script"):
            self._in = None

    def handle_data(self, text):
        if self._in and self._in[0] == "label":
            self.labels[self._in[1]] = self.labels.get(self._in[1], "") + text
        elif self._in and self._in[0] == "data":
            self.data = json.loads(text)

    def find(self, tag, **want):
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in want.items())]


def _parse(html):
    p = _Tags()
    p.feed(html)
    return p


def _line_plot(ax, slope, colour="a"):
    t = np.linspace(-1, 1, 5)
    ax.plot(t, slope * t, color={"a": "C0", "b": "C1", "c": "C2"}[colour])
    ax.set_ylim(-2, 2)


@pytest.fixture(scope="module")
def fig():
    return interactive(_line_plot, alt="a line y = slope t", slope=(-1, 1, 0.5),
                       colour=choice(["a", "b"], label="colour of the line"), **SMALL)


@pytest.fixture(scope="module")
def html(fig):
    """The figure's HTML, rendered once for the module."""
    return fig.to_html()


def test_controls_in_the_html(html):
    page = _parse(html)
    ranges = page.find("input", type="range")
    selects = page.find("select")
    assert len(ranges) == 1 and len(selects) == 1
    assert ranges[0]["min"] == "0" and ranges[0]["max"] == "4" and ranges[0]["value"] == "2"   # default: middle
    assert json.loads(ranges[0]["data-v"]) == ["-1", "-0.5", "0", "0.5", "1"]
    assert len(page.find("option")) == 2
    # Every control has a visible label pointing at it.
    for control in ranges + selects:
        assert control["id"] in page.labels
    assert page.labels[ranges[0]["id"]] == "slope"                          # the argument's name
    assert page.labels[selects[0]["id"]] == "colour of the line"            # an explicit label
    img = page.find("img")
    assert len(img) == 1 and img[0]["alt"] == "a line y = slope t"


def test_frames(fig, html):
    data = _parse(html).data
    assert fig.n_frames == 5 * 2
    assert data["dims"] == [5, 2] and len(data["index"]) == 10
    # A plot that depends on both controls: every setting its own frame.
    assert len(set(data["index"])) == len(data["frames"]) == 10
    # Frames in the order of itertools.product over (slope, colour).
    frames = fig.frames()
    assert [next(frames)[0] for _ in range(3)] == [
        {"slope": -1.0, "colour": "a"}, {"slope": -1.0, "colour": "b"}, {"slope": -0.5, "colour": "a"}]
    for i, values in ((0, dict(slope=-1.0, colour="a")), (9, dict(slope=1.0, colour="b"))):
        assert base64.b64decode(data["frames"][data["index"][i]]) == fig.render(**values)
    # The image shown first is the default setting's frame (slope 0, colour "b": index 2 * 2 + 1).
    src = _parse(html).find("img")[0]["src"]
    assert src == "data:image/png;base64," + data["frames"][data["index"][5]]


def test_identical_frames_are_stored_once():
    # The plot ignores ``unused``: 3 distinct pictures, 3 x 2 settings.
    fig = interactive(lambda ax, slope, unused: _line_plot(ax, slope), alt="ignores a control",
                      slope=[-1, 0, 1], unused=(0, 1, 1), **SMALL)
    data = _parse(fig.to_html()).data
    assert fig.n_frames == 6 and len(data["index"]) == 6
    assert len(data["frames"]) == 3
    assert data["index"] == [0, 0, 1, 1, 2, 2]


def test_max_bytes_is_enforced():
    def make(max_bytes):
        return interactive(_line_plot, alt="a line", slope=[0, 1], max_bytes=max_bytes, **SMALL)

    size = len(make(10**7).to_html())
    with pytest.raises(ValueError, match=r"MB for 2 frames, over max_bytes="):
        make(size - 1).to_html()
    assert len(make(size).to_html()) == size


def test_mimebundle_both(fig, html, monkeypatch):
    monkeypatch.delenv("NNLIB_WIDGETS", raising=False)
    bundle = fig._repr_mimebundle_()
    assert bundle["text/plain"] == "<interactive figure: a line y = slope t>"
    assert bundle["text/html"] == html                       # deterministic: rendered again, identical
    # The default frame as a PNG too, for renderers without HTML (the PDF edition).
    png = base64.b64decode(bundle["image/png"])
    assert png == fig.render(**{n: c.default for n, c in fig.controls.items()})
    assert 'src="data:image/png;base64,' + bundle["image/png"] + '"' in html
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"]


def test_mimebundle_static_and_live(fig, monkeypatch):
    monkeypatch.setenv("NNLIB_WIDGETS", "static")
    static = fig._repr_mimebundle_()
    assert "text/html" in static and "application/vnd.jupyter.widget-view+json" not in static
    monkeypatch.setenv("NNLIB_WIDGETS", "live")
    live = fig._repr_mimebundle_()
    assert "text/html" not in live and "application/vnd.jupyter.widget-view+json" in live
    assert "image/png" in static and "image/png" not in live


def test_live_widget_redraws(fig):
    import ipywidgets as w

    box = fig.widget()
    controls, image = box.children
    sliders = [c for c in controls.children if isinstance(c, w.SelectionSlider)]
    drops = [c for c in controls.children if isinstance(c, w.Dropdown)]
    assert len(sliders) == 1 and len(drops) == 1
    assert sliders[0].description == "slope" and sliders[0].value == 0.0 and drops[0].value == "b"
    assert image.value == fig.render(slope=0.0, colour="b")
    sliders[0].value = 1.0
    assert image.value == fig.render(slope=1.0, colour="b")
    drops[0].value = "a"
    assert image.value == fig.render(slope=1.0, colour="a")


def test_ncols_gives_several_axes():
    seen = []

    def plot(axes, k):
        seen.append(len(axes))
        for ax in axes:
            ax.plot([0, 1], [0, k])

    fig = interactive(plot, alt="two panels", ncols=2, k=[1, 2], **SMALL)
    assert isinstance(fig, InteractiveFigure)
    fig.render(k=1)
    assert seen == [2]


def test_slider_and_choice_values():
    s = slider((0, 1, 0.25))
    assert s.values == [0.0, 0.25, 0.5, 0.75, 1.0] and s.default == 0.5 and s.kind == "slider"
    assert slider((0, 0.3, 0.1)).values == [0.0, 0.1, 0.2, 0.3]          # no 0.30000000000000004
    assert slider([1, 2, 4, 8], default=4).default == 4
    assert slider(np.array([0.5, 1.5])).values == [0.5, 1.5]
    assert slider((-1, 1, 0.5), label="w", default=-0.5).label == "w"
    c = choice(["relu", "tanh", "sigmoid"])
    assert c.values == ["relu", "tanh", "sigmoid"] and c.default == "tanh" and c.kind == "choice"
    assert choice(("a", "b"), default="a").default == "a"


def test_default_values_are_the_initial_frame():
    fig = interactive(_line_plot, alt="a line", slope=slider((-1, 1, 1), default=1), **SMALL)
    page = _parse(fig.to_html())
    assert page.find("input", type="range")[0]["value"] == "2"
    png = base64.b64decode(page.find("img")[0]["src"].split(",", 1)[1])
    assert png == fig.render(slope=1.0)
    assert hashlib.sha1(png).hexdigest() != hashlib.sha1(fig.render(slope=-1.0)).hexdigest()


def test_html_is_self_contained(html):
    assert not re.search(r"(src|href)=\"https?:", html)                     # no CDN, works offline
    uid = _parse(html).find("div", **{"class": "nn-interactive"})[0]["id"]
    assert html.count(uid) >= 3                                              # script bound to its own figure
