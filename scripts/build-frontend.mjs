// Builds the service's CSS from GOV.UK Frontend and MoJ Frontend (Sass), and copies their scripts
// and the few assets used (no crown, no GOV.UK logotype, no GDS Transport font) into static/build.
import { compile } from "sass";
import { cpSync, mkdirSync, writeFileSync, rmSync } from "node:fs";

const out = "static/build";
rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/assets/images`, { recursive: true });
const result = compile("frontend/app.scss", {
  loadPaths: ["."],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
  // GOV.UK Frontend's own deprecation notices about MoJ Frontend's styles are not ours to fix.
  logger: { warn: () => {} },
});
// GOV.UK Frontend's footer draws the Crown copyright crest, which this service neither uses nor ships: without the
// reference, collectstatic's hashed-name pass (ManifestStaticFilesStorage) finds every file the CSS names.
const css = result.css.replaceAll('url("/static/build/assets/images/govuk-crest.svg")', "none");
writeFileSync(`${out}/app.css`, css);
cpSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk-frontend.min.js`);
cpSync("node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js", `${out}/moj-frontend.min.js`);
cpSync("node_modules/@ministryofjustice/frontend/moj/assets", `${out}/assets`, { recursive: true });
mkdirSync(`${out}/vendor`, { recursive: true });
cpSync("node_modules/axe-core/axe.min.js", `${out}/vendor/axe.min.js`);
// No crown anywhere: this is not a GOV.UK service.
rmSync(`${out}/assets/images/govuk-logotype-crown.png`, { force: true });
console.log(`front end built into ${out}/ (app.css ${css.length} bytes)`);
