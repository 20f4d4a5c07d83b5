/* factsheet: small progressive enhancements; every page works without them. */
(function () {
  "use strict";
  function enhance() {
    document.querySelectorAll(".fs-cite-text[data-fs-fact]").forEach(function (el) {
      if (el.dataset.fsDone) return;
      el.dataset.fsDone = "1";
      var anchor = "#" + el.dataset.fsFact;
      var url = location.origin + location.pathname + anchor;
      var text = el.textContent;
      if (text.slice(-anchor.length) === anchor) {
        el.textContent = text.slice(0, -anchor.length) + url;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "fs-copy";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy the citation of this fact");
      button.addEventListener("click", function () {
        var done = function () { button.textContent = "Copied"; };
        if (navigator.clipboard) {
          navigator.clipboard.writeText(el.textContent).then(done, function () {});
        }
      });
      el.parentNode.insertBefore(button, el.nextSibling.nextSibling);
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(enhance);  /* Material's instant navigation */
  } else {
    document.addEventListener("DOMContentLoaded", enhance);
  }
})();
