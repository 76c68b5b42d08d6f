// The npm `ws` package's echo server, for bench/bench_ws.sh: one process,
// no permessage-deflate (as our side runs it), every message sent back as it
// came. Prints "listening PORT" once ready.
//   node bench/ws_echo_server.mjs NODE_MODULES_DIR
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.join(process.argv[2], "noop.js"));
const { WebSocketServer } = require("ws");
const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
wss.on("connection", (ws) => {
  ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
});
wss.on("listening", () => console.log(`listening ${wss.address().port}`));
process.on("SIGTERM", () => process.exit(0));
