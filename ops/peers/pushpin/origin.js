'use strict';
// The GRIP origin behind Pushpin (ops/peers/pushpin): it holds nothing itself. Every subscription is
// answered at once with instructions, and Pushpin holds the client's connection on those channels:
//   GET /sub/<channel>[/<channel>...]  Grip-Hold: response; the timeout answer, 204, after --timeout seconds
//   GET /sse/<channel>[/<channel>...]  Grip-Hold: stream; text/event-stream, a ":" comment every 15 s
// Messages go through Pushpin's own publish endpoint, never through here.
// Usage: node origin.js --port P [--timeout SECONDS]
const http = require('http');

const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const port = Number(arg('--port', '0'));
const timeout = Number(arg('--timeout', '30'));

const server = http.createServer((req, res) => {
  const [, kind, ...channels] = req.url.split('?')[0].split('/');
  if (req.method !== 'GET' || channels.length === 0 || (kind !== 'sub' && kind !== 'sse')) {
    res.writeHead(404).end();
    return;
  }
  const grip = { 'Grip-Channel': channels.join(', ') };
  if (kind === 'sub') {
    res.writeHead(204, { ...grip, 'Grip-Hold': 'response', 'Grip-Timeout': String(timeout) }).end();
  } else {
    res.writeHead(200, { ...grip, 'Grip-Hold': 'stream', 'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache', 'Grip-Keep-Alive': ':\\n\\n; format=cstring; timeout=15' }).end();
  }
});
// Pushpin's zurl keeps its connections to the origin open: never close one idle under it.
server.keepAliveTimeout = 0;
server.listen(port, '127.0.0.1', () => console.log(`pushpin origin on 127.0.0.1:${port}, hold ${timeout} s`));
