// The home-screen icons of the web app manifest, drawn at set-up from an OpenMoji pictogram
// (static/vendor/icons/, git-ignored like the rest of static/vendor). Run by `make setup`
// after scripts/vendor.py.
//
// resvg (through @resvg/resvg-js) draws them: a maintained, standards-following SVG renderer
// that ships as a prebuilt npm package, so the set-up needs no root, no system library and no
// browser, and the same pixels come out on every machine.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Resvg } from "@resvg/resvg-js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const PICTOGRAM = "1F4BC"; // briefcase: going to work
const BACKGROUND = "#ffffff";
const OUT = join(ROOT, "static", "vendor", "icons");

const source = readFileSync(join(ROOT, "node_modules", "openmoji", "color", "svg", `${PICTOGRAM}.svg`), "utf8");
const inner = source.replace(/^[\s\S]*?<svg[^>]*>/, "").replace(/<\/svg>\s*$/, "");

// `share` is how much of the square the pictogram fills. A maskable icon is cropped to a
// circle or squircle by the phone, so its picture stays inside the middle 80 % (the safe zone).
function draw(size, share, background) {
  const side = size * share;
  const at = (size - side) / 2;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">`
    + (background ? `<rect width="${size}" height="${size}" fill="${background}"/>` : "")
    + `<svg x="${at}" y="${at}" width="${side}" height="${side}" viewBox="0 0 72 72">${inner}</svg></svg>`;
  return new Resvg(svg, { fitTo: { mode: "original" } }).render().asPng();
}

mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, "icon-192.png"), draw(192, 1, BACKGROUND));
writeFileSync(join(OUT, "icon-512.png"), draw(512, 1, BACKGROUND));
writeFileSync(join(OUT, "icon-maskable-512.png"), draw(512, 0.7, BACKGROUND));
console.log("static/vendor/icons: 3 home-screen icons drawn");
