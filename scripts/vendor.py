"""Copy the served parts of the npm packages into static/vendor/.

Run by `make setup`. Only what the browser needs is copied: htmx, the OpenMoji colour SVGs and
the Workbox modules the service worker loads (their ready-built files, loaded in this order).
The CLDR annotations stay in node_modules; the app reads them from there when it needs names.
"""

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"
# workbox-core first: each of the others attaches itself to the `workbox` object it made.
WORKBOX = ("workbox-core", "workbox-routing", "workbox-strategies", "workbox-expiration",
           "workbox-background-sync", "workbox-range-requests")


def main() -> None:
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    (VENDOR / "htmx").mkdir(parents=True)
    shutil.copy2(NODE / "htmx.org" / "dist" / "htmx.min.js", VENDOR / "htmx" / "htmx.min.js")
    shutil.copytree(NODE / "openmoji" / "color" / "svg", VENDOR / "openmoji")
    shutil.copy2(NODE / "openmoji" / "LICENSE.txt", VENDOR / "openmoji" / "LICENSE.txt")
    (VENDOR / "workbox").mkdir()
    for name in WORKBOX:
        shutil.copy2(NODE / name / "build" / f"{name}.prod.js", VENDOR / "workbox" / f"{name}.js")
    shutil.copy2(NODE / "workbox-core" / "LICENSE", VENDOR / "workbox" / "LICENSE.txt")
    count = len(list((VENDOR / "openmoji").glob("*.svg")))
    print(f"static/vendor: htmx, Workbox and {count} OpenMoji pictograms copied")


if __name__ == "__main__":
    main()
