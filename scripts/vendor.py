"""Copy the served parts of the npm packages into static/vendor/.

Run by `make setup`. Only what the browser needs is copied: htmx and the OpenMoji colour SVGs.
The CLDR annotations stay in node_modules; the app reads them from there when it needs names.
"""

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"


def main() -> None:
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    (VENDOR / "htmx").mkdir(parents=True)
    shutil.copy2(NODE / "htmx.org" / "dist" / "htmx.min.js", VENDOR / "htmx" / "htmx.min.js")
    shutil.copytree(NODE / "openmoji" / "color" / "svg", VENDOR / "openmoji")
    shutil.copy2(NODE / "openmoji" / "LICENSE.txt", VENDOR / "openmoji" / "LICENSE.txt")
    count = len(list((VENDOR / "openmoji").glob("*.svg")))
    print(f"static/vendor: htmx and {count} OpenMoji pictograms copied")


if __name__ == "__main__":
    main()
