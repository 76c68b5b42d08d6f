// httpstatus web reference: search as you type and "try it". No dependencies.
"use strict";
(function () {
  const lang = document.documentElement.lang === "zh" ? "zh" : "en";
  const langQuery = lang === "zh" ? "?lang=zh" : "";

  // ---- search: /search?q= answers JSON; results appear under the box ----
  const input = document.getElementById("q");
  const hits = document.getElementById("hits");
  let timer = 0, seq = 0;

  function showHits(data) {
    hits.textContent = "";
    if (!data.results.length) {
      const p = document.createElement("p");
      p.textContent = lang === "zh" ? "没有匹配的结果。" : "Nothing matched.";
      hits.appendChild(p);
      return;
    }
    const ul = document.createElement("ul");
    for (const r of data.results) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = r.url + langQuery;
      const k = document.createElement("span");
      k.className = "k";
      k.textContent = r.key;
      a.append(k, " " + (lang === "zh" && r.phrase_zh ? r.phrase_zh : r.phrase));
      const s = document.createElement("small");
      s.textContent = r.summary || "";
      a.appendChild(s);
      li.appendChild(a);
      ul.appendChild(li);
    }
    hits.appendChild(ul);
  }

  async function search() {
    const q = input.value.trim();
    const mine = ++seq;
    if (!q) {
      hits.textContent = "";
      return;
    }
    const res = await fetch("/search?limit=8&lang=" + lang + "&q=" + encodeURIComponent(q), {
      headers: { Accept: "application/json" },
    });
    const data = await res.json();
    if (mine === seq) showHits(data);
  }

  if (input && hits) {
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => search().catch(() => {}), 120);
    });
    // Arrow keys move between the results; Escape closes them.
    input.form.addEventListener("keydown", (e) => {
      const links = Array.from(hits.querySelectorAll("a"));
      const at = links.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && links.length) {
        e.preventDefault();
        links[Math.min(at + 1, links.length - 1)].focus();
      } else if (e.key === "ArrowUp" && at >= 0) {
        e.preventDefault();
        if (at === 0) input.focus();
        else links[at - 1].focus();
      } else if (e.key === "Escape") {
        hits.textContent = "";
        input.focus();
      }
    });
  }

  // ---- language switch: keep the section the reader is at ----
  for (const a of document.querySelectorAll("nav.lang a")) {
    a.addEventListener("click", () => {
      if (location.hash) a.href = a.getAttribute("href") + location.hash;
    });
  }

  // ---- try it: send the request to this server and show what came back ----
  function show(out, lines) {
    const pre = document.createElement("pre");
    pre.tabIndex = 0;
    pre.textContent = lines.join("\n");
    out.textContent = "";
    out.appendChild(pre);
  }

  async function tryHttp(btn, out) {
    let url = btn.dataset.url;
    if (btn.dataset.pad) url += "a".repeat(Number(btn.dataset.pad));
    const headers = {};
    if (btn.dataset.hname) {
      headers[btn.dataset.hname] = btn.dataset.hpad ? "a".repeat(Number(btn.dataset.hpad))
        : btn.dataset.hvalue;
    }
    const t0 = performance.now();
    const res = await fetch(url, {
      method: btn.dataset.method || "GET", headers, cache: "no-store", credentials: "omit",
    });
    const ms = performance.now() - t0;
    const lines = [btn.dataset.method + " " + (url.length > 80 ? url.slice(0, 77) + "..." : url),
      "", "HTTP " + res.status + " " + res.statusText];
    res.headers.forEach((v, k) => lines.push(k + ": " + v));
    if (res.redirected) lines.push("", "(redirected to " + res.url + ")");
    lines.push("", (lang === "zh" ? "耗时 " : "took ") + ms.toFixed(1) + " ms");
    show(out, lines);
    out.dataset.status = String(res.status);
  }

  function tryWs(btn, out) {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const t0 = performance.now();
    const ws = new WebSocket(scheme + location.host + btn.dataset.ws);
    ws.addEventListener("close", (e) => {
      const ms = performance.now() - t0;
      show(out, ["WebSocket " + btn.dataset.ws, "", "close code " + e.code,
        "reason \"" + e.reason + "\"", "clean: " + e.wasClean, "",
        (lang === "zh" ? "耗时 " : "took ") + ms.toFixed(1) + " ms"]);
      out.dataset.status = String(e.code);
    });
  }

  for (const btn of document.querySelectorAll("button.try")) {
    btn.addEventListener("click", () => {
      const out = btn.parentElement.querySelector("output");
      out.textContent = "…";
      if (btn.dataset.ws) tryWs(btn, out);
      else tryHttp(btn, out).catch((err) => show(out, [String(err)]));
    });
  }
})();
