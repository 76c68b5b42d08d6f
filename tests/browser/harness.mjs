// What the browser tests share: starting `httpstatus serve` on a free port
// (its stderr names the port) and printing one line per check.
import { spawn } from "node:child_process";

// Starts the server at `bin` with one worker and no access log; resolves to
// { proc, port } once it listens, rejects if it exits or is silent for 10 s.
export function startServer(bin) {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, ["serve", "--listen", "127.0.0.1:0", "--workers", "1",
                          "--access-log", "off"], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    const timer = setTimeout(() => reject(new Error("server did not start: " + err)), 10000);
    p.stderr.on("data", (d) => {
      err += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ proc: p, port: Number(m[1]) });
      }
    });
    p.on("exit", (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
}

// Counts failed checks: check(ok, what, got) prints "ok" or "FAIL … got …".
export function checker() {
  const state = { failures: 0 };
  state.check = (ok, what, got) => {
    console.log(`${ok ? "ok  " : "FAIL"} ${what}${ok ? "" : " — got " + JSON.stringify(got)}`);
    if (!ok) state.failures++;
  };
  return state;
}
