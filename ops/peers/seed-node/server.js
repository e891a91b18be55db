'use strict';
// The seed's design, rebuilt faithfully as a benchmark peer of loompush:
// the net module, hand-parsed HTTP/1.1, one Redis subscriber, and a
// pendingClients map keyed by client id. A held poll is answered when a Redis
// message for its client (push:<id>) or for everyone (push:broadcast) arrives,
// or with 204 when its timeout passes. No cursor, no history: a message that
// comes while its client is between two polls is lost, as in the seed.
//
//   node server.js --port N --redis redis://127.0.0.1:6379 [--host 127.0.0.1]
const net = require('net');
const { createClient } = require('redis');

function args(argv) {
  const o = { port: 8082, host: '127.0.0.1', redis: 'redis://127.0.0.1:6379', prefix: 'push:' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      console.log('Usage: node server.js --port N --redis redis://HOST:PORT [--host ADDR] [--prefix push:]');
      process.exit(0);
    }
    const m = /^--(port|host|redis|prefix)(?:=(.*))?$/.exec(a);
    if (!m) { console.error('unknown option ' + a); process.exit(2); }
    o[m[1]] = m[2] !== undefined ? m[2] : argv[++i];
  }
  o.port = Number(o.port);
  return o;
}

const opt = args(process.argv.slice(2));
const BROADCAST = 'broadcast';
const MAX_HEAD = 8192;
// clientId -> { socket, timer }
const pendingClients = new Map();

function respond(socket, status, body) {
  const head = status === 200
    ? 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ' + body.length + '\r\n\r\n'
    : status === 204
      ? 'HTTP/1.1 204 No Content\r\n\r\n'
      : 'HTTP/1.1 ' + status + ' Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';
  if (socket.destroyed) return;
  if (status === 200) {
    socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  } else {
    socket.write(head);
  }
  if (status >= 400) socket.end();
}

function release(id) {
  const p = pendingClients.get(id);
  if (!p) return null;
  pendingClients.delete(id);
  clearTimeout(p.timer);
  p.socket.clientId = null;
  return p;
}

function deliver(id, body) {
  const p = release(id);
  if (p) respond(p.socket, 200, body);
}

function hold(socket, id, timeoutSeconds) {
  const old = release(id);
  if (old && old.socket !== socket) respond(old.socket, 204);
  const timer = setTimeout(() => {
    const p = release(id);
    if (p) respond(p.socket, 204);
  }, timeoutSeconds * 1000);
  pendingClients.set(id, { socket, timer });
  socket.clientId = id;
}

function onRequest(socket, line) {
  // GET /poll/<clientId>?timeout=<seconds> HTTP/1.1
  const m = /^GET \/poll\/([^?\s\/]+)(?:\?([^\s]*))? HTTP\/1\.[01]$/.exec(line);
  if (!m) return respond(socket, 404);
  let timeout = 30;
  const t = /(?:^|&)timeout=(\d+)/.exec(m[2] || '');
  if (t) timeout = Math.min(Math.max(Number(t[1]), 1), 120);
  hold(socket, decodeURIComponent(m[1]), timeout);
}

const server = net.createServer((socket) => {
  let buf = '';
  socket.clientId = null;
  socket.setNoDelay(true);
  socket.on('data', (chunk) => {
    buf += chunk.toString('latin1');
    let end;
    while ((end = buf.indexOf('\r\n\r\n')) >= 0) {
      const head = buf.slice(0, end);
      buf = buf.slice(end + 4);
      onRequest(socket, head.slice(0, head.indexOf('\r\n') >= 0 ? head.indexOf('\r\n') : head.length));
    }
    if (buf.length > MAX_HEAD) respond(socket, 431);
  });
  const gone = () => { if (socket.clientId !== null) release(socket.clientId); };
  socket.on('close', gone);
  socket.on('error', gone);
});

async function main() {
  const subscriber = createClient({ url: opt.redis });
  subscriber.on('error', (e) => console.error('redis: ' + e.message));
  await subscriber.connect();
  await subscriber.pSubscribe(opt.prefix + '*', (message, channel) => {
    const id = channel.toString('latin1').slice(opt.prefix.length);
    if (id === BROADCAST) {
      for (const clientId of [...pendingClients.keys()]) deliver(clientId, message);
    } else {
      deliver(id, message);
    }
  }, true);
  server.listen({ port: opt.port, host: opt.host, backlog: 4096 }, () => {
    console.log('seed-node listening on ' + opt.host + ':' + opt.port + ', redis ' + opt.redis);
  });
  const stop = () => {
    server.close();
    for (const id of [...pendingClients.keys()]) { const p = release(id); if (p) respond(p.socket, 204); }
    subscriber.quit().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => { console.error(e); process.exit(1); });
