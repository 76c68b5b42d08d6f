// Chromium reads the web reference (issue 10, docs/web.md) the way people do:
// home, search as you type in English, Chinese and with a typo, a code page,
// the language switch, "try it" against this very server (HTTP and WebSocket),
// IIS, FTP and WebSocket pages, one whole path with the keyboard only, a phone
// viewport and dark mode. axe-core checks home, a code page and a search
// result (no serious or critical violation); no page may log a console error
// other than the deliberate error statuses "try it" asks for. Screenshots go
// to build/screenshots/ (next to the binary) for people to look at.
//   node tests/browser/reference.mjs path/to/httpstatus
// Exit status: 0 when every check holds, 1 on a failure, 77 when this machine
// cannot run it (no Chromium, no playwright-core, no axe-core): the caller says SKIP.
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { checker, startServer } from "./harness.mjs";

const bin = process.argv[2];
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
if (!bin || !existsSync(bin)) {
  console.error("usage: node tests/browser/reference.mjs path/to/httpstatus");
  process.exit(2);
}
if (!existsSync(chromiumPath)) {
  console.error(`browser test: no Chromium at ${chromiumPath} (apt-get install chromium)`);
  process.exit(77);
}
let chromium, axePath;
try {
  ({ chromium } = await import("playwright-core"));
  axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
} catch (e) {
  console.error("browser test: playwright-core or axe-core is missing (cd tests/browser && npm ci)");
  process.exit(77);
}
const shots = path.join(path.dirname(path.resolve(bin)), "screenshots");
mkdirSync(shots, { recursive: true });

const { proc, port } = await startServer(bin);
const base = `http://127.0.0.1:${port}`;
const checks = checker();
const check = checks.check;

// Console errors of every page, except the error statuses "try it" provokes on purpose.
const consoleErrors = [];
const deliberate = new Set();
function watch(page) {
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const s = /status of (\d{3})/.exec(m.text());
    if (s && deliberate.has(Number(s[1]))) return;
    consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  return page;
}

async function axe(page, what) {
  await page.addScriptTag({ path: axePath });
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = res.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  check(bad.length === 0, `axe: no serious or critical violation on ${what}`,
        bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target).join(" ")}`));
}

async function searchFor(page, query, expectKey) {
  await page.fill("#q", "");
  await page.fill("#q", query);
  const keys = await page.waitForFunction((k) => {
    const got = Array.from(document.querySelectorAll("#hits .k")).map((e) => e.textContent);
    return got.includes(k) ? got : false;
  }, expectKey, { timeout: 5000 }).then((h) => h.jsonValue()).catch(() => null);
  check(keys !== null, `search "${query}" lists ${expectKey} as you type`, keys);
}

async function tryIt(page, expect, deliberateStatus = expect) {
  if (deliberateStatus >= 400) deliberate.add(deliberateStatus);
  const t0 = Date.now();
  await page.click("button.try");
  const got = await page.waitForSelector("output.try-out[data-status]", { timeout: 10000 })
    .then((o) => o.getAttribute("data-status")).catch(() => null);
  const text = await page.textContent("output.try-out");
  check(got === String(expect) && /took|耗时/.test(text),
        `try it on ${new URL(page.url()).pathname} shows the real status ${expect} ` +
        `(${Date.now() - t0} ms)`, { got, text });
}

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
  const page = watch(await ctx.newPage());

  // Home: the map and the namespaces.
  await page.goto(base + "/");
  const cells = await page.$$eval("ul.map a", (as) => as.length);
  check(cells === 500, "home maps 100-599, every cell a link", cells);
  await page.screenshot({ path: path.join(shots, "home.png") });
  await axe(page, "home");

  // Search as you type: English, Chinese, a typo.
  await searchFor(page, "timeout", "408");
  await searchFor(page, "超时", "408");
  await page.screenshot({ path: path.join(shots, "search-zh.png") });
  await searchFor(page, "teepot", "418");
  await page.screenshot({ path: path.join(shots, "search.png") });
  await axe(page, "a search result");

  // Open the code page from the result, then switch language.
  await Promise.all([page.waitForURL("**/codes/418"), page.click("#hits a")]);
  const h1 = await page.textContent("h1");
  check(/418/.test(h1) && /teapot/.test(h1), "the result opens /codes/418", h1);
  await axe(page, "a code page");
  await Promise.all([page.waitForURL("**/codes/418?lang=zh"), page.click('nav.lang a[hreflang="zh"]')]);
  const zh = { lang: await page.getAttribute("html", "lang"), h1: await page.textContent("h1") };
  check(zh.lang === "zh" && /我是茶壶/.test(zh.h1), "language switch keeps the page, in Chinese", zh);
  await page.screenshot({ path: path.join(shots, "code-418-zh.png"), fullPage: true });
  await tryIt(page, 418);

  // Try it with real triggers: a missing page, a wrong method, a Range past the end,
  // a conditional request, an Accept nothing matches, a plain GET on a WebSocket
  // endpoint, a URI and a header section over the server's limits.
  for (const [code, expect] of [[404, 404], [405, 405], [416, 416], [406, 406], [426, 426],
                                [414, 414], [431, 431], [304, 304]]) {
    await page.goto(`${base}/codes/${code}`);
    await tryIt(page, expect);
  }
  await page.screenshot({ path: path.join(shots, "code-304-tried.png"), fullPage: true });

  // IIS, FTP and WebSocket pages; the WebSocket one closes a real socket with its code.
  for (const [url, text] of [["/codes/iis/403.14", "403.14"], ["/codes/ftp/530", "530"],
                             ["/codes/ws/1008", "1008"]]) {
    await page.goto(base + url);
    const t = await page.textContent("h1");
    check(t.includes(text), `${url} shows ${text}`, t);
  }
  await tryIt(page, 1008, 0);
  await page.screenshot({ path: path.join(shots, "ws-1008.png"), fullPage: true });

  // The keyboard only: Tab to the search box, type, arrow to the result, Enter,
  // Tab to "try it", Enter.
  await page.goto(base + "/");
  let focused = "";
  for (let i = 0; i < 6 && focused !== "q"; i++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement.id);
  }
  check(focused === "q", "Tab reaches the search box", focused);
  await page.keyboard.type("gone");
  await page.waitForSelector("#hits a", { timeout: 5000 });
  await page.keyboard.press("ArrowDown");
  const target = await page.evaluate(() => document.activeElement.getAttribute("href"));
  await Promise.all([page.waitForURL("**" + target), page.keyboard.press("Enter")]);
  let onTry = false;
  for (let i = 0; i < 80 && !onTry; i++) {
    await page.keyboard.press("Tab");
    onTry = await page.evaluate(() => document.activeElement.classList.contains("try"));
  }
  check(onTry, `Tab reaches "try it" on ${target}`, onTry);
  const code = Number(/\/codes\/(\d{3})/.exec(target)[1]);
  deliberate.add(code);
  await page.keyboard.press("Enter");
  const kb = await page.waitForSelector("output.try-out[data-status]", { timeout: 10000 })
    .then((o) => o.getAttribute("data-status")).catch(() => null);
  check(kb === String(code), `keyboard only: search "gone" → ${target} → try it → ${code}`, kb);
  await ctx.close();

  // A phone, in dark mode.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: "dark" });
  const p2 = watch(await phone.newPage());
  await p2.goto(base + "/?lang=zh");
  const layout = await p2.evaluate(() => ({
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    bg: getComputedStyle(document.body).backgroundColor,
    columns: getComputedStyle(document.querySelector("ul.map")).gridTemplateColumns.split(" ").length,
  }));
  check(layout.overflow <= 0 && layout.bg === "rgb(18, 18, 18)" && layout.columns === 10,
        "phone + dark: no sideways scroll, dark background, 10-column map", layout);
  await p2.screenshot({ path: path.join(shots, "home-phone-dark-zh.png") });
  await axe(p2, "home, phone, dark, Chinese");
  await p2.goto(base + "/codes/503?lang=zh");
  await p2.screenshot({ path: path.join(shots, "code-503-phone-dark-zh.png"), fullPage: true });
  await axe(p2, "a code page, phone, dark, Chinese");
  await phone.close();

  check(consoleErrors.length === 0, "no console errors", consoleErrors);
} finally {
  await browser.close();
  proc.kill("SIGTERM");
}
const exit = await new Promise((r) => proc.on("exit", (c) => r(c)));
check(exit === 0, "server exits 0 after SIGTERM", exit);
console.log(`screenshots: ${shots}`);
const failures = checks.failures;
console.log(failures ? `reference browser test: ${failures} failed` : "reference browser test: all passed");
process.exit(failures ? 1 : 0);
