// The project's additions to Django's admin (templates/admin/base_site.html): accessible names for the widgets
// Django's own scripts build after the page has loaded, which its templates cannot label.
//
// - select2 (the autocomplete fields, e.g. an API token's user): its combobox is named by the text of the current
//   choice only, so with nothing chosen it has no name, and the choice's text is given a textbox role with no name
//   either. The combobox is named by the field's label and the choice; the choice's text is plain text inside it.
//   Its search box (in the open list, and the multiple-choice box's inline one) is named by the label too.
// - The "filter" boxes of a two-list selector (filter_horizontal, e.g. a user's groups): their search icon carries
//   an aria-label on a plain span, which ARIA does not allow; given the img role, the label names the box as
//   Django means it to.
//
// And the cue of a table that scrolls sideways in its own region (static/css/admin.css): each edge of the region
// with more beyond it is marked (data-rj-more-left, data-rj-more-right) and fades out, as it scrolls and as the
// window's width changes.
//
// Django's scripts build these on the page's load event (SelectFilter2.js) and when jQuery is ready (select2),
// and again when an inline row is added, so this watches the page and names each as it appears.
"use strict";
{
  const labelFor = (select) => {
    const label = select.id ? document.querySelector(`label[for="${CSS.escape(select.id)}"]`) : null;
    if (!label) return null;
    if (!label.id) label.id = `${select.id}-label`;
    return label;
  };

  const nameSelect2 = (container) => {
    const select = container.previousElementSibling;
    if (!select || select.tagName !== "SELECT") return;
    const label = labelFor(select);
    if (!label) return;
    const combobox = container.querySelector(".select2-selection[role=combobox]");
    const rendered = container.querySelector(".select2-selection__rendered");
    if (combobox) {
      const ids = [label.id, rendered && rendered.id].filter(Boolean).join(" ");
      if (combobox.getAttribute("aria-labelledby") !== ids) combobox.setAttribute("aria-labelledby", ids);
    }
    if (rendered && rendered.getAttribute("role") === "textbox") {
      rendered.removeAttribute("role");
      rendered.removeAttribute("aria-readonly");
    }
    for (const search of container.querySelectorAll(".select2-search__field:not([aria-labelledby])")) {
      search.setAttribute("aria-labelledby", label.id);
    }
  };

  const nameOpenSearch = () => {
    // The single-choice list's search box lives in a dropdown appended to the body while it is open; the
    // combobox that owns it is the one marked expanded.
    const open = document.querySelector(".select2-container--open .select2-selection[aria-expanded=true]");
    const search = document.querySelector(".select2-dropdown .select2-search__field:not([aria-labelledby])");
    if (!open || !search) return;
    const label = labelFor(open.closest(".select2-container").previousElementSibling);
    if (label) search.setAttribute("aria-labelledby", label.id);
  };

  const SCROLLING = [
    ".rj-admin-table-wrap",
    "#changelist-form .results",
    "#change-history.module",
    ".inline-group .tabular fieldset.module",
  ].join(", ");

  const cue = (region) => {
    const more = region.scrollWidth - region.clientWidth;
    const scrolled = Math.abs(region.scrollLeft); // negative from the right in a right-to-left page
    const start = more > 1 && scrolled > 1;
    const end = more > 1 && scrolled < more - 1;
    const rtl = getComputedStyle(region).direction === "rtl";
    region.toggleAttribute("data-rj-more-left", rtl ? end : start);
    region.toggleAttribute("data-rj-more-right", rtl ? start : end);
  };

  const watched = new WeakSet();
  const cueAll = () => {
    for (const region of document.querySelectorAll(SCROLLING)) {
      if (!watched.has(region)) {
        watched.add(region);
        region.addEventListener("scroll", () => cue(region), { passive: true });
      }
      cue(region);
    }
  };

  const nameAll = () => {
    for (const container of document.querySelectorAll("select + .select2-container")) nameSelect2(container);
    nameOpenSearch();
    for (const icon of document.querySelectorAll(".help-tooltip[aria-label]:not([role])")) {
      icon.setAttribute("role", "img");
    }
  };

  const update = () => {
    nameAll();
    cueAll();
  };

  update();
  window.addEventListener("resize", cueAll);
  window.addEventListener("load", cueAll); // after the images and fonts that change the tables' widths
  new MutationObserver(update).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["aria-expanded"],
  });
}
