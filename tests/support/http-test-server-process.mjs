// The HTTP test server's child process: `node http-test-server-process.mjs`. It listens on
// 127.0.0.1 on a free port, prints {"port": N} as one line on stdout, records every request and
// exits when its stdin closes. Routes, where ID is any token that the test chooses:
//   /ID/reply?status=N&body=TEXT&delay=MS  responds N (default 200) with TEXT (default "ok") after MS
//   /ID/bytes                              responds 200 with the 256 byte values 0-255 in order
//   /ID/redirect                           responds 301 with Location /ID/landed
//   /ID/landed                             responds 200 "landed"
//   /ID/never                              reads the request and never responds
//   /_requests/ID                          returns the JSON list of requests recorded under ID
import http from "node:http";

const MAX_DELAY_MS = 10_000;
const recorded = new Map();
const sockets = new Set();

function record(id, request, body) {
  const list = recorded.get(id) ?? [];
  list.push({ method: request.method, path: request.url, rawHeaders: request.rawHeaders, body: body.toString("base64") });
  recorded.set(id, list);
}

function respond(route, url, response) {
  if (route === "never") return;
  if (route === "bytes") {
    const allBytes = Buffer.alloc(256);
    for (let value = 0; value < 256; value++) allBytes[value] = value;
    response.writeHead(200, { "Content-Type": "application/octet-stream", "X-Probe": "bytes" });
    response.end(allBytes);
    return;
  }
  if (route === "redirect") {
    response.writeHead(301, { Location: url.pathname.replace(/\/redirect$/, "/landed") });
    response.end("moved");
    return;
  }
  if (route === "landed") {
    response.end("landed");
    return;
  }
  if (route === "reply") {
    const status = Number(url.searchParams.get("status") ?? 200);
    const body = url.searchParams.get("body") ?? "ok";
    const delay = Math.min(Number(url.searchParams.get("delay") ?? 0), MAX_DELAY_MS);
    setTimeout(() => {
      response.statusCode = status;
      response.end(body);
    }, delay);
    return;
  }
  response.statusCode = 500;
  response.end(`unknown route "${route}"`);
}

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const url = new URL(request.url, "http://127.0.0.1");
    const [, id = "", route = ""] = url.pathname.split("/");
    if (id === "_requests") {
      response.setHeader("Content-Type", "application/json");
      response.end(JSON.stringify(recorded.get(route) ?? []));
      return;
    }
    record(id, request, Buffer.concat(chunks));
    respond(route, url, response);
  });
});

server.on("connection", (socket) => {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));

process.stdin.on("end", () => {
  for (const socket of sockets) socket.destroy();
  server.close();
  process.exit(0);
});
process.stdin.resume();
