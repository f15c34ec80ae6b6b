// The stepping page's modules bundled into one file by esbuild: static/bundle/main.js, with
// static/bundle/main.json naming the module files it was made of and the SHA-256 of their bytes.
// A first load then asks for one script, not some 50 modules over six connections. The app
// names the bundle only while those files are unchanged (app/api/assets.py: AssetTree.bundle);
// otherwise it names the modules themselves, so an edited module is never hidden by a stale
// bundle. `make assets` and the Dockerfile run this: node scripts/bundle.mjs [STATIC_DIR]
// (the project's static/ unless named).

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const staticDir = path.resolve(process.argv[2] ?? path.join(root, "static"));
const out = path.join(staticDir, "bundle");
const ENTRY = "js/main.js";

const result = await build({
  entryPoints: [path.join(staticDir, ENTRY)],
  bundle: true,
  format: "esm",
  target: "es2022",
  outfile: path.join(out, "main.js"),
  metafile: true,
  legalComments: "none",
  logLevel: "warning",
});

// The files it was made of, as paths in static/, sorted; their digest as the app computes it.
const sources = Object.keys(result.metafile.inputs)
  .map((input) => path.relative(staticDir, path.resolve(input)).split(path.sep).join("/"))
  .sort();
const hash = createHash("sha256");
for (const source of sources) {
  hash.update(`${source}\0`);
  hash.update(readFileSync(path.join(staticDir, source)));
  hash.update("\0");
}
mkdirSync(out, { recursive: true });
writeFileSync(
  path.join(out, "main.json"),
  `${JSON.stringify({ entry: ENTRY, sources, sha256: hash.digest("hex") }, null, 2)}\n`,
);
console.log(
  `${path.join(out, "main.js")}: ${ENTRY} and the ${sources.length - 1} modules it imports`,
);
