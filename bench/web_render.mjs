// Chromium's time to render the web reference's home page (bench/bench_web.sh):
// REPS fresh browser contexts (empty cache) load BASE/ and report
// first-contentful-paint and the load event, in ms; prints one JSON line.
//   node bench/web_render.mjs http://127.0.0.1:PORT [REPS]
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../tests/browser/package.json"));
const { chromium } = require("playwright-core");
const [base, reps = "7"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const fcp = [], load = [];
try {
  for (let i = 0; i < Number(reps); i++) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(base + "/", { waitUntil: "load" });
    // the paint entry may come after the load event: wait for it (at most 3 s)
    const t = await page.evaluate(() => new Promise((resolve) => {
      const nav = performance.getEntriesByType("navigation")[0];
      const done = (fcp) => resolve({ fcp, load: nav.loadEventEnd });
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (e.name === "first-contentful-paint") done(e.startTime);
      }).observe({ type: "paint", buffered: true });
      setTimeout(() => done(-1), 3000);
    }));
    fcp.push(t.fcp);
    load.push(t.load);
    await ctx.close();
  }
} finally {
  await browser.close();
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(JSON.stringify({ reps: fcp.length, fcp_ms: median(fcp), load_ms: median(load) }));
