/* factsheet: small progressive enhancements; every page works without them. */
(function () {
  "use strict";
  function nameSearchDialog() {
    /* Material's search overlay is role="dialog" without a name (axe: aria-dialog-name);
       name it after its input ("Search"), in the page's language. */
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (!dialog || dialog.hasAttribute("aria-label") || dialog.hasAttribute("aria-labelledby")) {
      return;
    }
    var input = dialog.querySelector("input[aria-label]");
    dialog.setAttribute("aria-label", input ? input.getAttribute("aria-label") : "Search");
  }
  /* A link to a fact (#id: search results, key figures, source pages) opens the fact's
     details, so that its citations are there when the reader lands on it. */
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    if (!target) return;
    var card = target.closest(".fs-fact");
    var more = card && card.querySelector("details.fs-fact-more");
    /* the details follow the title, so opening them moves nothing above it */
    if (more && !more.open) more.open = true;
  }
  /* Printing shows every card in full; the cards the reader had closed close again. */
  var openedForPrint = [];
  function openAllForPrint() {
    document.querySelectorAll("details").forEach(function (d) {
      if (!d.open) {
        d.open = true;
        openedForPrint.push(d);
      }
    });
  }
  function closeAfterPrint() {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  }
  function addCopyButtons() {
    document.querySelectorAll(".fs-cite-text[data-fs-fact]").forEach(function (el) {
      if (el.dataset.fsDone) return;
      el.dataset.fsDone = "1";
      var anchor = "#" + el.dataset.fsFact;
      /* the page's own address without query (search adds ?h=) or fragment; not
         location.origin + pathname: Firefox gives "null" as the origin of a page opened
         from disk (file://) */
      var url = location.href.replace(/[?#].*$/, "") + anchor;
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
        var done = function () {
          button.textContent = "Copied";
          button.setAttribute("aria-label", "Citation copied");
        };
        if (navigator.clipboard) {
          navigator.clipboard.writeText(el.textContent).then(done, function () {});
        }
      });
      el.parentNode.insertBefore(button, el.nextSibling.nextSibling);
    });
  }
  /* Print shows where each passage is: the link's full address, kept for the print
     stylesheet (page.pdf and some browsers print without a beforeprint event). */
  function keepAddresses() {
    document.querySelectorAll(".fs-passage-link a, .fs-citation-source a").forEach(function (a) {
      a.setAttribute("data-fs-href", a.href);
    });
  }
  function enhance() {
    nameSearchDialog();
    keepAddresses();
    addCopyButtons();
    openTarget();
  }
  window.addEventListener("hashchange", openTarget);
  window.addEventListener("beforeprint", openAllForPrint);
  window.addEventListener("afterprint", closeAfterPrint);
  if (typeof document$ !== "undefined") {
    document$.subscribe(enhance);  /* Material's instant navigation */
  } else {
    document.addEventListener("DOMContentLoaded", enhance);
  }
})();
