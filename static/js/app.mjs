// Starts GOV.UK Frontend's and MoJ Frontend's components. Loaded as a module file: no inline script.
import { initAll } from "../build/govuk-frontend.min.js";

initAll();

// A "Print this summary" button: hidden without the script (the page says to use the browser's print instead).
for (const button of document.querySelectorAll("[data-rj-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

// Radios' conditional reveals (templates/govuk/fieldset.html): the panel after a radio shows while it is chosen.
// GOV.UK Frontend's own script would also set aria-expanded on the radio, which ARIA 1.2 does not allow there
// (alphagov/govuk-frontend#979). No aria-controls either: GOV.UK Frontend's radios script sets aria-expanded on
// every radio of the form that has one, whenever any radio is clicked. The panel follows its radio in reading order.
for (const radio of document.querySelectorAll("input[type=radio][data-rj-reveal]")) {
  const panel = document.getElementById(radio.dataset.rjReveal);
  if (!panel) continue;
  const sync = () => panel.classList.toggle("govuk-radios__conditional--hidden", !radio.checked);
  for (const other of document.querySelectorAll(`input[type=radio][name="${CSS.escape(radio.name)}"]`)) {
    other.addEventListener("change", sync);
  }
  sync();
}
