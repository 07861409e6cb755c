#!/usr/bin/env bash
# Writes one SPDX 2.3 SBOM per image of the Node packages it ships (`npm sbom`).
# Both images install the production dependencies of package-lock.json with `npm ci --omit=dev`; the SBOM is
# taken from exactly that tree, installed into a scratch folder. (`npm sbom --omit dev --package-lock-only`
# is not used: it drops production packages that are also reachable from dev dependencies, e.g. debug.)
# Usage: npm run sbom [-- OUT_DIR]   (default .cache/sbom; VERSION sets the image tag, default package.json's)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-${SBOM_DIR:-.cache/sbom}}"
version="${VERSION:-$(node -p 'require("./package.json").version')}"
mkdir -p "$out"
work="$(mktemp -d "${TMPDIR:-/tmp}/pxl-sbom.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp package-lock.json "$work/"
# Without devDependencies in package.json, npm sees the pruned tree as complete rather than as missing packages.
node -e 'const p = require("./package.json"); delete p.devDependencies; process.stdout.write(JSON.stringify(p, null, 2))' > "$work/package.json"
(cd "$work" && npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null)
for image in operator prover; do
  file="$out/pxl-$image.spdx.json"
  (cd "$work" && npm sbom --sbom-format spdx --sbom-type application) > "$file.tmp"
  # The document names the image it describes, so an attached SBOM cannot be mistaken for the other one.
  IMAGE="ghcr.io/logos-dev/pxl-$image:$version" FILE="$file.tmp" node --input-type=module -e '
    import { randomUUID } from "node:crypto";
    import { readFileSync, writeFileSync } from "node:fs";
    const doc = JSON.parse(readFileSync(process.env.FILE, "utf8"));
    doc.name = process.env.IMAGE;
    doc.documentNamespace = "https://github.com/logos-dev/pxl-core/spdx/" + process.env.IMAGE.replace(/[/:]/g, "-") + "-" + randomUUID();
    writeFileSync(process.env.FILE, JSON.stringify(doc, null, 2) + "\n");
  '
  mv "$file.tmp" "$file"
  printf '%s\n' "$file"
done
