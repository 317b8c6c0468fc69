"""Interactive figures that work both live and in the static HTML book.

:func:`interactive` turns a plotting function and its controls into one object with
two renderings, returned together by ``_repr_mimebundle_``:

* a live ipywidgets control (sliders and drop-downs above an image) that redraws as
  it moves, which JupyterLab shows (its widget renderer ranks above HTML);
* a ``text/html`` fallback: every combination of control values rendered in advance
  as a PNG frame, with a small self-contained HTML/JavaScript control that swaps
  frames. It needs no kernel, no require.js and no CDN, so it works offline; the
  HTML book is configured to show it;
* an ``image/png``: the frame at the controls' defaults, for renderers that take no
  HTML (the PDF edition prints it, with a note that the HTML book has it live).

Frames are drawn with matplotlib's Agg canvas directly (no pyplot), saved as
palette PNGs, and identical frames are stored once.
"""

from __future__ import annotations

import base64
import hashlib
import html
import inspect
import io
import itertools
import json
import numbers
import os

import numpy as np

from ._checks import positive_number

__all__ = ["slider", "choice", "interactive", "InteractiveFigure"]


class _Control:
    def __init__(self, values, label, default, kind):
        self.values, self.label, self.default, self.kind = values, label, default, kind


def slider(values, label=None, default=None):
    """A slider over ``values``: a ``(start, stop, step)`` tuple (``stop`` included) or a list of numbers.

    ``label`` is the visible label (defaults to the argument's name); ``default``
    the starting value (defaults to the middle one).
    """
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"slider values must be a (start, stop, step) tuple or a list of numbers, got {values!r}")
    if isinstance(values, tuple) and len(values) == 3 and all(
            isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values):
        start, stop, step = (float(v) for v in values)
        if not all(np.isfinite([start, stop, step])):
            raise ValueError(f"a slider range (start, stop, step) must be finite numbers, got {values!r}")
        if step <= 0 or stop < start:
            raise ValueError(f"a slider range (start, stop, step) needs step > 0 and stop >= start, got {values!r}")
        count = int(round((stop - start) / step)) + 1
        vals = [round(start + i * step, 10) for i in range(count)]
    else:
        vals = list(values)
        if not vals or not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in vals):
            raise ValueError(f"slider values must be a (start, stop, step) tuple or a non-empty list of numbers, got {values!r}")
        if not all(np.isfinite(float(v)) for v in vals):
            raise ValueError(f"slider values must be finite numbers, got {values!r}")
        vals = [v.item() if hasattr(v, "item") else v for v in vals]
    return _Control(vals, label, _default(vals, default), "slider")


def choice(options, label=None, default=None):
    """A drop-down over ``options`` (strings)."""
    if isinstance(options, (str, bytes)) or not hasattr(options, "__iter__"):
        raise TypeError(f"choice options must be a list of strings, got {options!r}")
    opts = list(options)
    if not opts or not all(isinstance(o, str) for o in opts):
        raise ValueError(f"choice options must be a non-empty list of strings, got {options!r}")
    return _Control(opts, label, _default(opts, default), "choice")


def _default(vals, default):
    if default is None:
        return vals[len(vals) // 2]
    for v in vals:
        if v == default or (isinstance(v, float) and isinstance(default, numbers.Real) and abs(v - default) < 1e-9):
            return v
    raise ValueError(f"default {default!r} is not one of the control's values {vals!r}")


def _as_control(name, spec):
    if isinstance(spec, _Control):
        control = spec
    elif isinstance(spec, (list, tuple)) and spec and all(isinstance(o, str) for o in spec):
        control = choice(spec)
    else:
        try:
            control = slider(spec)
        except (TypeError, ValueError) as err:
            raise type(err)(f"control {name}: {err}") from None
    if control.label is None:
        control.label = name
    return control


class InteractiveFigure:
    """A figure with controls; see :func:`interactive`."""

    def __init__(self, plot, controls, alt, figsize, dpi, ncols, max_bytes):
        self.plot, self.controls, self.alt = plot, controls, alt
        self.figsize, self.dpi, self.ncols, self.max_bytes = figsize, dpi, ncols, max_bytes
        self.n_frames = int(np.prod([len(c.values) for c in controls.values()]))

    # -- drawing -------------------------------------------------------------
    def render(self, **values):
        """The PNG bytes of the figure at the given control values."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from .plots import book_style

        with book_style():
            fig = Figure(figsize=self.figsize, dpi=self.dpi)
            canvas = FigureCanvasAgg(fig)
            axes = fig.subplots(1, self.ncols)
            self.plot(axes, **values)
            fig.tight_layout()
            # The pixels straight from the canvas: the same image as savefig's PNG,
            # without encoding it only to decode it again (a fifth of a frame's time).
            canvas.draw()
            rgb = np.asarray(canvas.buffer_rgba())[..., :3]
        return _palette_png(rgb)

    def frames(self):
        """Every frame, in the order of ``itertools.product`` over the controls' values."""
        names = list(self.controls)
        for combo in itertools.product(*(self.controls[n].values for n in names)):
            yield dict(zip(names, combo)), self.render(**dict(zip(names, combo)))

    # -- the static rendering --------------------------------------------------
    def to_html(self):
        """The self-contained HTML/JavaScript rendering (precomputed frames)."""
        return self._static()[0]

    def _static(self):
        """The HTML rendering, and (base64) the frame it opens on: both from one pass over
        the frames."""
        names = list(self.controls)
        unique, index, seen = [], [], {}
        for _, png in self.frames():
            key = hashlib.sha1(png).hexdigest()
            if key not in seen:
                seen[key] = len(unique)
                unique.append(base64.b64encode(png).decode("ascii"))
            index.append(seen[key])
        uid = "nnfig-" + hashlib.sha1("".join(unique).encode() + self.alt.encode()).hexdigest()[:10]
        dims = [len(self.controls[n].values) for n in names]
        start = [self.controls[n].values.index(self.controls[n].default) for n in names]
        flat = int(np.ravel_multi_index(start, dims)) if dims else 0
        rows = []
        for i, n in enumerate(names):
            c = self.controls[n]
            cid = f"{uid}-{i}"
            label = f'<label for="{cid}">{html.escape(str(c.label))}</label>'
            if c.kind == "slider":
                shown = [_fmt(v) for v in c.values]
                widget = (f'<input type="range" id="{cid}" data-k="{i}" min="0" max="{len(c.values) - 1}" '
                          f'step="1" value="{start[i]}" aria-valuetext="{shown[start[i]]}" '
                          f"data-v='{html.escape(json.dumps(shown))}'>"
                          f'<output for="{cid}">{shown[start[i]]}</output>')
            else:
                opts = "".join(
                    f'<option value="{j}"{" selected" if j == start[i] else ""}>{html.escape(o)}</option>'
                    for j, o in enumerate(c.values))
                widget = f'<select id="{cid}" data-k="{i}">{opts}</select>'
            rows.append(f'<div class="nn-control">{label}{widget}</div>')
        data = json.dumps({"frames": unique, "index": index, "dims": dims})
        out = (
            f'<div class="nn-interactive" id="{uid}">'
            f'<div class="nn-controls">{"".join(rows)}</div>'
            f'<img class="nn-frame" alt="{html.escape(self.alt)}" '
            f'src="data:image/png;base64,{unique[index[flat]]}">'
            f'<script type="application/json" class="nn-data">{data}</script>'
            f"<script>{_JS.replace('UID', uid)}</script></div>"
        )
        if len(out) > self.max_bytes:
            raise ValueError(
                f"the interactive figure is {len(out) / 1e6:.2f} MB for {self.n_frames} frames, over "
                f"max_bytes={self.max_bytes}: use fewer control values, a smaller figsize or dpi"
            )
        return out, unique[index[flat]]

    # -- the live rendering ----------------------------------------------------
    def widget(self):
        """The live ipywidgets control (sliders and drop-downs above an image)."""
        import ipywidgets as w

        names = list(self.controls)
        inputs = {}
        for n in names:
            c = self.controls[n]
            style = {"description_width": "initial"}
            # Each control at least 24rem wide (or the whole row, if narrower): a long label
            # no longer squeezes its slider to a few pixels; controls wrap, two to a row
            # in a wide notebook.
            layout = w.Layout(flex="1 1 24rem", min_width="min(24rem, 100%)", max_width="36rem")
            if c.kind == "slider":
                inputs[n] = w.SelectionSlider(options=[(_fmt(v), v) for v in c.values], value=c.default,
                                              description=str(c.label), style=style, layout=layout,
                                              continuous_update=True)
            else:
                inputs[n] = w.Dropdown(options=c.values, value=c.default, description=str(c.label),
                                       style=style, layout=layout)
        # Shown at the frame's own size (as in the HTML book), not stretched to the cell.
        image = w.Image(format="png", layout=w.Layout(width=f"{round(self.figsize[0] * self.dpi)}px",
                                                      max_width="100%"))

        def redraw(_change=None):
            image.value = self.render(**{n: inputs[n].value for n in names})

        for box in inputs.values():
            box.observe(redraw, names="value")
        redraw()
        return w.VBox([w.HBox(list(inputs.values()), layout=w.Layout(flex_flow="row wrap")), image])

    def _repr_mimebundle_(self, include=None, exclude=None):
        mode = os.environ.get("NNLIB_WIDGETS", "both")
        bundle = {"text/plain": f"<interactive figure: {self.alt}>"}
        if mode in ("both", "static"):
            bundle["text/html"], bundle["image/png"] = self._static()
        if mode in ("both", "live"):
            try:
                live = self.widget()._repr_mimebundle_()
            except ImportError:
                live = {}
            live.pop("text/plain", None)       # keep the figure's own description
            bundle.update(live)
        return bundle


def interactive(plot, *, alt, figsize=(6.4, 3.6), dpi=90, ncols=1, max_bytes=1_500_000, **controls):
    """An interactive figure: ``plot(ax, **values)`` drawn at every control setting.

    Parameters
    ----------
    plot : callable
        ``plot(ax, **values)`` draws into ``ax`` (an array of ``ncols`` axes when
        ``ncols > 1``) for one setting of the controls.
    alt : str
        What the figure shows, for readers who cannot see it (the image's alt text).
    figsize, dpi, ncols
        The size of each frame, and how many axes side by side.
    max_bytes : int
        Refuse (ValueError) to make an HTML rendering larger than this.
    **controls
        One per keyword argument of ``plot``: :func:`slider`, :func:`choice`, a
        ``(start, stop, step)`` tuple, a list of numbers, or a list of strings.

    Examples
    --------
    >>> fig = interactive(lambda ax, b: ax.axvline(b), alt="a vertical line at b", b=(-1, 1, 0.5))
    >>> fig.n_frames
    5
    """
    if not callable(plot):
        raise TypeError(f"plot must be a function plot(ax, **values), got {type(plot).__name__}")
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError("alt must be a non-empty description of the figure (its alt text)")
    if not controls:
        raise ValueError("interactive needs at least one control, e.g. w=(-2, 2, 0.5)")
    _check_plot_signature(plot, controls)
    ctrls = {name: _as_control(name, spec) for name, spec in controls.items()}
    if not (isinstance(ncols, numbers.Integral) and ncols >= 1):
        raise ValueError(f"ncols must be a positive integer, got {ncols!r}")
    if (isinstance(figsize, (str, bytes)) or not hasattr(figsize, "__len__") or len(figsize) != 2
            or not all(isinstance(v, numbers.Real) and not isinstance(v, bool) and np.isfinite(v) and v > 0
                       for v in figsize)):
        raise ValueError(f"figsize must be a pair (width, height) of positive numbers (inches), got {figsize!r}")
    positive_number(dpi, "dpi")
    positive_number(max_bytes, "max_bytes", integer=True)
    return InteractiveFigure(plot, ctrls, alt, tuple(figsize), dpi, int(ncols), max_bytes)


def _check_plot_signature(plot, controls):
    """Every control must name a parameter of ``plot``, and every parameter after the axes
    without a default must have a control."""
    try:
        params = list(inspect.signature(plot).parameters.values())
    except (TypeError, ValueError):  # pragma: no cover - builtins without a signature
        return
    if not params:
        raise TypeError("plot must take the axes as its first argument: plot(ax, **values)")
    rest = params[1:]
    if any(p.kind is p.VAR_KEYWORD for p in rest):
        return
    names = [p.name for p in rest if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    unknown = [c for c in controls if c not in names]
    if unknown:
        raise TypeError(
            f"plot has no parameter named {unknown[0]!r} for that control "
            f"(its parameters after the axes: {', '.join(names) or 'none'})"
        )
    missing = [p.name for p in rest
               if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
               and p.name not in controls]
    if missing:
        raise TypeError(f"plot's parameter {missing[0]!r} has no control and no default value")


def _fmt(v):
    if isinstance(v, str):
        return v
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.4g}"


def _palette_png(png):
    """Re-encode a PNG (bytes, or an RGB array of pixels) with a 64-colour palette: about
    half the size, and the same look for line plots and shaded regions."""
    from PIL import Image

    if isinstance(png, np.ndarray):
        img = Image.fromarray(np.ascontiguousarray(png, dtype=np.uint8), "RGB")
    else:
        img = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    img.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        out, format="PNG", optimize=True)
    return out.getvalue()


_JS = r"""
(function () {
  var root = document.getElementById("UID");
  var data = JSON.parse(root.querySelector("script.nn-data").textContent);
  var img = root.querySelector("img.nn-frame");
  var inputs = root.querySelectorAll("[data-k]");
  function update() {
    var flat = 0;
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i], k = +el.getAttribute("data-k"), v = +el.value;
      flat = flat * data.dims[k] + v;
      if (el.type === "range") {
        var shown = JSON.parse(el.getAttribute("data-v"))[v];
        el.setAttribute("aria-valuetext", shown);
        el.nextElementSibling.textContent = shown;
      }
    }
    img.src = "data:image/png;base64," + data.frames[data.index[flat]];
  }
  for (var i = 0; i < inputs.length; i++) {
    inputs[i].addEventListener("input", update);
    inputs[i].addEventListener("change", update);
  }
})();
"""
