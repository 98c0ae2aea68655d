// Starts the NHS.UK frontend's components (header menu, error summaries, …).
import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";

initAll();
