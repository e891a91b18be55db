'use strict';
// Socket.IO 4 as a benchmark peer (ops/bench): one process, Socket.IO's defaults (long-polling and
// WebSocket transports, pings every 25 s), every client joined to the rooms it names, and the publish
// endpoint the simulator uses for Nchan and loompush:
//   client  GET /socket.io/?EIO=4&transport=polling|websocket&channels=<c1>,<shared>...
//           joins one room per channel when its namespace connects ("40")
//   publish POST /publish/<channel>, body = the payload  ->  io.to(channel).emit("m", payload), 200
// With --redis URL, the Redis adapter (@socket.io/redis-adapter) carries every emit through Redis, as a
// second Socket.IO process would need; without it, the in-memory adapter.
// Usage: node server.js --port P [--redis redis://127.0.0.1:6379]
const http = require('http');
const { Server } = require('socket.io');

const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const port = Number(arg('--port', '0'));
const redisUrl = arg('--redis', null);
const MAX_PAYLOAD = 1 << 20;

const httpServer = http.createServer((req, res) => {
  const match = /^\/publish\/([^/?]+)$/.exec(req.url);
  if (req.method !== 'POST' || !match) {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_PAYLOAD) {
      res.writeHead(413, { Connection: 'close' }).end();
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    io.to(decodeURIComponent(match[1])).emit('m', Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, { 'Content-Length': '0' }).end();
  });
});
// Socket.IO answers its own path and leaves every other request to the handler above.
const io = new Server(httpServer, { serveClient: false });

io.on('connection', (socket) => {
  const channels = String(socket.handshake.query.channels || '').split(',').filter(Boolean);
  socket.join(channels);
});

async function start() {
  if (redisUrl) {
    const { createClient } = require('redis');
    const { createAdapter } = require('@socket.io/redis-adapter');
    const pub = createClient({ url: redisUrl });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub));
  }
  httpServer.listen(port, '127.0.0.1', () =>
    console.log(`socket.io ${require('socket.io/package.json').version} on 127.0.0.1:${port}, `
      + `adapter ${redisUrl ? 'redis ' + redisUrl : 'in-memory'}`));
}

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
start().catch((e) => {
  console.error(e);
  process.exit(1);
});
