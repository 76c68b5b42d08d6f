// Chromium against the WebSocket endpoints of `httpstatus serve`: a page
// opens `new WebSocket(...)` and must see the close code and reason the server
// chose, the permessage-deflate extension Chromium offers, a compressed echo
// of text and binary, the chosen subprotocol, and 1003 for a refused type.
//   node tests/browser/ws.mjs path/to/httpstatus
// Exit status: 0 when every check holds, 1 on a failure, 77 when this machine
// cannot run it (no Chromium, no playwright-core): the caller says SKIP.
import { existsSync } from "node:fs";
import { checker, startServer } from "./harness.mjs";

const bin = process.argv[2];
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
if (!bin || !existsSync(bin)) {
  console.error("usage: node tests/browser/ws.mjs path/to/httpstatus");
  process.exit(2);
}
if (!existsSync(chromiumPath)) {
  console.error(`browser test: no Chromium at ${chromiumPath} (apt-get install chromium)`);
  process.exit(77);
}
let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch (e) {
  console.error("browser test: playwright-core is not installed (cd tests/browser && npm ci)");
  process.exit(77);
}

const { proc, port } = await startServer(bin);
const base = `ws://127.0.0.1:${port}`;
const checks = checker();
const check = checks.check;

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);

  // Close codes and reasons, as the page's CloseEvent reports them.
  for (const [code, reason] of [[1000, "done"], [1011, "internal"], [1013, "later"],
                                [3000, "unauthorized"], [4999, "ünïcode reason"]]) {
    const url = `${base}/websocket/close/${code}?reason=${encodeURIComponent(reason)}`;
    const ev = await page.evaluate((u) => new Promise((resolve) => {
      const ws = new WebSocket(u);
      ws.onclose = (e) => resolve({ code: e.code, reason: e.reason, clean: e.wasClean });
    }), url);
    check(ev.code === code && ev.reason === reason && ev.clean,
          `close ${code} "${reason}" seen by the page`, ev);
  }

  // Compressed echo: Chromium offers permessage-deflate; text and binary.
  const echo = await page.evaluate((u) => new Promise((resolve) => {
    const ws = new WebSocket(u);
    ws.binaryType = "arraybuffer";
    const text = "compress me ".repeat(20000) + "✓";
    const bin = new Uint8Array(70000).map((_, i) => (i * 7) % 251);
    const got = [];
    ws.onopen = () => { ws.send(text); ws.send(bin); ws.send(""); };
    ws.onmessage = (e) => {
      got.push(e.data);
      if (got.length < 3) return;
      const b = new Uint8Array(got[1]);
      resolve({
        extensions: ws.extensions,
        text: got[0] === text,
        binary: b.length === bin.length && b.every((v, i) => v === bin[i]),
        empty: got[2] === "",
      });
      ws.close(1000);
    };
    ws.onerror = () => resolve({ error: true });
  }), `${base}/websocket/echo`);
  check(echo.extensions === "permessage-deflate", "permessage-deflate negotiated", echo);
  check(echo.text && echo.binary && echo.empty, "compressed echo of text, binary and empty", echo);

  // Subprotocols: the client's first that the endpoint offers.
  const proto = await page.evaluate((u) => new Promise((resolve) => {
    const ws = new WebSocket(u, ["superchat", "chat"]);
    ws.onopen = () => { resolve(ws.protocol); ws.close(); };
    ws.onerror = () => resolve("error");
  }), `${base}/websocket/echo?protocols=chat,superchat`);
  check(proto === "superchat", "subprotocol chosen", proto);

  // A refused message type: 1003 with the server's reason.
  const refused = await page.evaluate((u) => new Promise((resolve) => {
    const ws = new WebSocket(u);
    ws.onopen = () => ws.send(new Uint8Array([1, 2, 3]));
    ws.onclose = (e) => resolve({ code: e.code, reason: e.reason });
  }), `${base}/websocket/echo?only=text`);
  check(refused.code === 1003 && /binary/.test(refused.reason), "binary to only=text → 1003",
        refused);

  // A delayed close arrives after the delay, echoing meanwhile.
  const delayed = await page.evaluate((u) => new Promise((resolve) => {
    const t0 = performance.now();
    const ws = new WebSocket(u);
    let echoed = false;
    ws.onopen = () => ws.send("hi");
    ws.onmessage = (e) => { echoed = e.data === "hi"; };
    ws.onclose = (e) => resolve({ code: e.code, echoed, ms: performance.now() - t0 });
  }), `${base}/websocket/close/4000?delay=0.3`);
  check(delayed.code === 4000 && delayed.echoed && delayed.ms >= 250, "delayed close", delayed);
} finally {
  await browser.close();
  proc.kill("SIGTERM");
}
const code = await new Promise((r) => proc.on("exit", (c) => r(c)));
check(code === 0, "server exits 0 after SIGTERM", code);
const failures = checks.failures;
console.log(failures ? `browser test: ${failures} failed` : "browser test: all passed");
process.exit(failures ? 1 : 0);
