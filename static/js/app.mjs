// Starts GOV.UK Frontend's and MoJ Frontend's components. Loaded as a module file: no inline script.
import { initAll } from "../build/govuk-frontend.min.js";

initAll();
