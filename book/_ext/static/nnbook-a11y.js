/* A display equation wider than the text column scrolls sideways (the theme gives
   `div.math mjx-container` overflow: auto). A reader without a mouse can scroll it
   only if it can take focus (axe-core: scrollable-region-focusable), so each one that
   overflows, and only those, joins the tab order; checked again when the window is
   resized (a phone turned, a window narrowed). */
(function () {
  function mark() {
    document.querySelectorAll("div.math > mjx-container").forEach(function (m) {
      var over = m.scrollWidth > m.clientWidth + 1;
      if (over && !m.hasAttribute("tabindex")) {
        m.setAttribute("tabindex", "0");
        m.setAttribute("data-nn-scroll", "");
      } else if (!over && m.hasAttribute("data-nn-scroll")) {
        m.removeAttribute("tabindex");
        m.removeAttribute("data-nn-scroll");
      }
    });
  }
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(mark, 150);
  });
  window.addEventListener("load", function () {
    var mj = window.MathJax;
    if (mj && mj.startup && mj.startup.promise) { mj.startup.promise.then(mark); } else { mark(); }
  });
})();
