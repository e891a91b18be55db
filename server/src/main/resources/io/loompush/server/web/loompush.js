// loompush.js: the browser client of loompush, one ES module with no dependencies.
//
// Every loompush server serves it at /loompush.js; an application may also
// copy this file into its own sources as it is (then pass `server`).
//
//   import {subscribe} from "https://push.example.com/loompush.js";
//
//   const subscription = subscribe(["alice", "news"], {
//     token: () => fetch("/push-token").then(r => r.text()),   // when the server wants tokens
//     remember: "push.cursor",                                  // resume after a page reload
//     onMessage: message => show(message.channel, message.data),
//     onGap: () => resync(),                                    // something may have been missed
//     onState: (state, detail) => console.log(state, detail.transport),
//   });
//   subscription.unsubscribe();
//
// One subscription is one connection at a time, on the first transport of
// `transport` ("auto": WebSocket, then Server-Sent Events, then long-poll)
// that connects. A transport that cannot connect (a proxy that refuses the
// WebSocket upgrade, a connect timeout) hands over to the next one at once;
// when none connects, or an open connection ends, the subscription waits a
// jittered, exponentially growing delay and starts again from the first:
//
//   connecting(ws) ─ fails ─> connecting(sse) ─ fails ─> connecting(poll) ─ fails ─┐
//        │ opens                  │ opens                    │ opens                 │
//        v                        v                          v                       v
//      open ──────────── ends ──────────────────────────────────────────────> waiting (backoff)
//                                                                                    │
//   connecting(ws) <─────────────────────────────────────────────────────────────────┘
//   any state ── unsubscribe() ──> closed
//
// Every transport resumes by cursor: the last cursor the server gave goes
// back as `since` (WebSocket, long-poll and a new EventSource alike), so a
// client that never hears of a gap has every message of its channels, in
// order. An EventSource's own reconnect would send the cursor as
// Last-Event-ID, which the server prefers to `since`; this client closes the
// EventSource at its first error and opens a new one, so that backoff and
// fallback are the same on every transport. Without a cursor to start from,
// the subscription first asks /poll with timeout=0 for the cursor of now, so
// that what is published after subscribe() is never missed.
//
// The protocol: docs/PROTOCOL.md of loompush.

const TRANSPORTS = ["ws", "sse", "poll"];
const CHANNEL = /^[A-Za-z0-9_.:@-]{1,200}$/;

const DEFAULTS = {
  server: null,            // the loompush server's origin; default: where this module was loaded from
  transport: "auto",       // "auto", "ws", "sse", "poll", or an array of them in order of preference
  token: null,             // a subscription token, or a function that returns one (or a promise of one)
  since: null,             // the cursor to start from; default: the remembered one, else now
  remember: null,          // a localStorage key that keeps the cursor across page loads
  max: null,               // the most messages in one answer (server default 100)
  pollTimeout: 30,         // seconds a long-poll is held
  connectTimeout: 10000,   // ms a transport has to connect before the next one is tried
  backoff: {initial: 1000, max: 30000},   // ms: the first delay before starting again, and the cap
  onMessage: () => {},     // (message {channel, id, data | data_b64}, {cursor, transport})
  onGap: () => {},         // ({cursor, transport, channels?, reason?}): messages may have been missed
  onState: () => {},       // (state "connecting" | "open" | "waiting" | "closed", {transport, delay, error}):
                           // error says why the last connection ended or the transport before could not connect
};

/** Subscribes to one channel or an array of channels; returns {unsubscribe(), cursor, transport, state}. */
export function subscribe(channels, options = {}) {
  const names = typeof channels === "string" ? [channels] : [...channels];
  if (names.length === 0) {
    throw new Error("loompush: no channel to subscribe to");
  }
  const o = {...DEFAULTS, ...options, backoff: {...DEFAULTS.backoff, ...options.backoff}};
  const order = o.transport === "auto" ? TRANSPORTS : [o.transport].flat();
  for (const t of order) {
    if (!TRANSPORTS.includes(t)) {
      throw new Error(`loompush: unknown transport ${t}; one of ${TRANSPORTS.join(", ")}`);
    }
  }
  for (const name of names) {
    if (!CHANNEL.test(name)) {
      throw new Error(`loompush: not a channel name: ${name} (1 to 200 of A-Z a-z 0-9 _ . : @ -)`);
    }
  }
  const path = names.join(",");   // the channel alphabet needs no escaping in a path
  const server = (o.server ?? new URL(import.meta.url).origin).replace(/\/+$/, "");

  let cursor = o.since ?? recall();
  let state = null;
  let transport = null;      // the transport of the open connection
  let generation = 0;        // each attempt's number: what a stale connection reports is dropped
  let stop = null;           // closes the connection being made or open
  let timer = null;
  let failures = 0;          // rounds in a row that delivered nothing and were not up for long

  function setState(next, detail = {}) {
    state = next;
    call(o.onState, next, detail);
  }

  function recall() {
    if (!o.remember) return null;
    try {
      const kept = JSON.parse(localStorage.getItem(o.remember));
      return kept && kept.channels === path ? kept.cursor : null;
    } catch {
      return null;
    }
  }

  function moveTo(next) {
    cursor = next;
    if (o.remember) {
      try {
        localStorage.setItem(o.remember, JSON.stringify({channels: path, cursor}));
      } catch {
        // Storage full or denied: the cursor lives on in memory.
      }
    }
  }

  function address(t, token, timeout) {
    const query = new URLSearchParams();
    if (cursor) query.set("since", cursor);
    if (token) query.set("token", token);
    if (o.max) query.set("max", o.max);
    if (timeout !== undefined) query.set("timeout", timeout);
    const base = t === "ws" ? server.replace(/^http/, "ws") : server;
    const q = String(query);
    return `${base}/${t}/${path}${q ? "?" + q : ""}`;
  }

  // A poll answer, also what a WebSocket frame carries.
  function answered(answer, t) {
    if (answer.gap) call(o.onGap, {cursor: answer.cursor, transport: t});
    moveTo(answer.cursor);
    for (const message of answer.messages) {
      if (generation < 0) return;   // unsubscribed from a callback
      call(o.onMessage, message, {cursor: answer.cursor, transport: t});
    }
  }

  // Tries order[index]: opens it with `connection`, whose methods the transport calls as it opens,
  // delivers and ends. `failed`: why the transport before it in this round could not connect.
  async function attempt(index, failed) {
    const t = order[index];
    const mine = ++generation;
    const live = () => mine === generation;
    let opened = 0;          // when it opened (Date.now()), 0 until then
    let done = false;
    setState("connecting", {transport: t, error: failed});
    const connection = {
      opened() {
        if (!live() || done) return false;
        clearTimeout(timer);
        opened = Date.now();
        transport = t;
        setState("open", {transport: t});
        return true;
      },
      delivered() {
        failures = 0;
      },
      ended(error) {
        if (!live() || done) return;
        done = true;
        clearTimeout(timer);
        stop?.();
        stop = null;
        transport = null;
        if (opened && Date.now() - opened >= o.connectTimeout) {
          failures = 0;   // it was up for a while: this is a new outage, not the last one going on
        }
        if (!opened && index + 1 < order.length) {
          attempt(index + 1, error);   // could not connect: the next transport, at once
        } else {
          wait(t, error);
        }
      },
    };
    timer = setTimeout(() => connection.ended(new Error(`${t}: no connection within ${o.connectTimeout} ms`)),
                       o.connectTimeout);
    try {
      const token = typeof o.token === "function" ? await o.token() : o.token;
      if (!live()) return;
      if (!cursor && t !== "poll") await startingCursor(token, live);
      if (!live()) return;
      stop = OPEN[t](token, connection, live);
    } catch (error) {
      connection.ended(error);
    }
  }

  function wait(t, error) {
    const cap = Math.min(o.backoff.max, o.backoff.initial * 2 ** failures);
    const delay = Math.round(cap / 2 + (Math.random() * cap) / 2);
    failures++;
    setState("waiting", {transport: t, delay, error});
    timer = setTimeout(() => attempt(0), delay);
  }

  // The cursor of now, from a poll that answers at once; none when it fails.
  async function startingCursor(token, live) {
    try {
      const answer = await request(address("poll", token, 0), o.connectTimeout);
      if (live() && !cursor) moveTo(answer.cursor);
    } catch {
      // The transport itself will tell whether the server is there.
    }
  }

  // One poll: its answer, or an error that says what went wrong.
  async function request(url, limit, signal) {
    const abort = new AbortController();
    const timeout = setTimeout(() => abort.abort(new Error(`poll: no answer within ${limit} ms`)), limit);
    signal?.addEventListener("abort", () => abort.abort(signal.reason));
    try {
      const response = await fetch(url, {cache: "no-store", signal: abort.signal});
      if (response.status !== 200) {
        const error = new Error(`poll: ${response.status} ${await response.text()}`);
        error.status = response.status;
        throw error;
      }
      return await response.json();
    } finally {
      clearTimeout(timeout);
    }
  }

  // How each transport opens; each returns the function that closes it.
  const OPEN = {
    ws(token, connection, live) {
      const socket = new WebSocket(address("ws", token));
      socket.onopen = () => connection.opened();
      socket.onmessage = event => {
        if (!live()) return;
        connection.delivered();
        answered(JSON.parse(event.data), "ws");
      };
      socket.onclose = event => connection.ended(new Error(`ws: closed ${event.code}`));
      return () => socket.close(1000);
    },

    sse(token, connection, live) {
      const source = new EventSource(address("sse", token));
      source.onopen = () => connection.opened();
      source.onmessage = event => {
        if (!live()) return;
        connection.delivered();
        moveTo(event.lastEventId);
        call(o.onMessage, JSON.parse(event.data), {cursor: event.lastEventId, transport: "sse"});
      };
      source.addEventListener("gap", event => {
        if (!live()) return;
        moveTo(event.lastEventId);
        call(o.onGap, {cursor: event.lastEventId, transport: "sse", channels: JSON.parse(event.data).channels});
      });
      source.onerror = () => connection.ended(new Error("sse: the stream failed or ended"));
      return () => source.close();
    },

    poll(token, connection, live) {
      const abort = new AbortController();
      (async () => {
        // The first poll answers at once, so that connecting is quick to tell; then each is held.
        let timeout = 0;
        while (live()) {
          let answer;
          try {
            answer = await request(address("poll", token, timeout),
                                   timeout * 1000 + o.connectTimeout, abort.signal);
          } catch (error) {
            if (error.status === 400 && cursor) {
              // The server cannot read the cursor (kept from another server or another version):
              // what came after it cannot be told, so that is a gap, and the subscription starts at now.
              moveTo(null);
              call(o.onGap, {cursor: null, transport: "poll", reason: error.message});
            }
            connection.ended(error);
            return;
          }
          if (timeout === 0 && !connection.opened()) return;
          if (!live()) return;
          if (answer.messages.length > 0 || answer.gap) connection.delivered();
          answered(answer, "poll");
          timeout = o.pollTimeout;
        }
      })();
      return () => abort.abort(new Error("poll: closed"));
    },
  };

  function unsubscribe() {
    if (state === "closed") return;
    generation = -1;
    clearTimeout(timer);
    stop?.();
    stop = null;
    transport = null;
    setState("closed", {});
  }

  attempt(0);
  return {
    unsubscribe,
    get cursor() { return cursor; },
    get transport() { return transport; },
    get state() { return state; },
  };
}

// An application's callback that throws must not stop the subscription.
function call(callback, ...args) {
  try {
    callback(...args);
  } catch (error) {
    console.error("loompush: a callback threw", error);
  }
}
