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
         from disk (file://); on a fact's own page (data-fs-own), that page's address */
      var url = location.href.replace(/[?#].*$/, "") + (el.dataset.fsOwn ? "" : anchor);
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
  /* Chinese words are indexed in parts (自 | 媒体, joined by U+200B for the search engine),
     and Material highlights only the part that matched first: extend each highlight over
     the rest of the query where the text goes on with it, so 自媒体 is marked whole. */
  function extendMark(mark, query) {
    var have = mark.textContent.replace(/\u200b/g, "");
    var at = query.indexOf(have);
    if (!have || at !== 0 || have.length >= query.length) return;
    var rest = query.slice(have.length);
    var node = mark.nextSibling;
    var taken = 0;
    var matched = 0;
    if (!node || node.nodeType !== 3) return;
    var text = node.nodeValue;
    while (taken < text.length && matched < rest.length) {
      var ch = text.charAt(taken);
      if (ch === "\u200b") { taken += 1; continue; }
      if (ch !== rest.charAt(matched)) return;
      taken += 1;
      matched += 1;
    }
    if (matched < rest.length) return;
    mark.appendChild(document.createTextNode(text.slice(0, taken)));
    node.nodeValue = text.slice(taken);
  }
  function markWholeWords() {
    var input = document.querySelector("input.md-search__input");
    var list = document.querySelector(".md-search-result__list");
    if (!input || !list || list.dataset.fsMarks) return;
    list.dataset.fsMarks = "1";
    var observer = new MutationObserver(function () {
      var query = input.value.replace(/\s+/g, "");
      if (!/[\u3400-\u9fff]/.test(query)) return;
      observer.disconnect();
      list.querySelectorAll("mark").forEach(function (mark) { extendMark(mark, query); });
      observer.observe(list, {childList: true, subtree: true});
    });
    observer.observe(list, {childList: true, subtree: true});
  }
  function enhance() {
    nameSearchDialog();
    markWholeWords();
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
