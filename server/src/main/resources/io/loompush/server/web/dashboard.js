// The loompush dashboard: reads /stats once a second and draws its figures
// and the last two minutes of them as small SVG charts. No library, no build.
//
// /stats is for the operator: from the server's own machine, or with the
// publish token, which this page takes from its address (/dashboard#token=…,
// a fragment, never sent to the server nor to its logs) or from the form it
// shows when /stats refuses it, and keeps for the tab (sessionStorage).
//
// What the page last drew is in window.dashboard: {stats, rates, shown},
// shown being each figure's value as drawn (the tests compare it to /stats).

const EVERY_MS = 1000;
const POINTS = 120;
const MIN_SPAN = 20;
const TOKEN_KEY = "loompush.dashboard.token";
const COLORS = ["var(--c1)", "var(--c2)", "var(--c3)", "var(--c4)"];

const readings = [];   // {stats, rates}, oldest first
let previous = null;
let token = takeToken();

window.dashboard = {stats: null, rates: null, shown: {}};

function takeToken() {
  const fromAddress = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromAddress) {
    sessionStorage.setItem(TOKEN_KEY, fromAddress);
    window.history.replaceState(null, "", location.pathname);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

async function read() {
  const headers = token ? {Authorization: `Bearer ${token}`} : {};
  const response = await fetch("/stats", {cache: "no-store", headers});
  if (response.status === 401 || response.status === 403) {
    const reason = (await response.json().catch(() => ({}))).error ?? response.status;
    const error = new Error(`/stats: ${response.status} ${reason}`);
    error.refused = true;
    throw error;
  }
  if (!response.ok) {
    throw new Error(`/stats: ${response.status}`);
  }
  return response.json();
}

function ratesBetween(before, now) {
  if (!before || now.uptimeMillis <= before.uptimeMillis) {
    return {published: null, delivered: null, gcPauses: null, gcPauseMillis: null};
  }
  const seconds = (now.uptimeMillis - before.uptimeMillis) / 1000;
  const per = (a, b) => Math.max(0, (b - a) / seconds);
  return {
    published: per(before.published, now.published),
    delivered: per(before.delivered, now.delivered),
    gcPauses: per(before.gc.pauses, now.gc.pauses),
    gcPauseMillis: per(before.gc.pauseMillis, now.gc.pauseMillis),
  };
}

// ---- drawing ----

function format(value, unit) {
  if (value === null || value === undefined) return "–";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (unit === "bytes") return bytes(value);
  if (unit === "ms") return `${value.toLocaleString("en-US")} ms`;
  const digits = Number.isInteger(value) ? 0 : 1;
  return value.toLocaleString("en-US", {maximumFractionDigits: digits, minimumFractionDigits: digits});
}

function bytes(n) {
  const units = ["B", "KB", "MB", "GB"];
  let i = 0;
  while (Math.abs(n) >= 1024 * 10 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toLocaleString("en-US", {maximumFractionDigits: i ? 1 : 0})} ${units[i]}`;
}

function lookup(name, stats, rates) {
  const [head, ...rest] = name.split(".");
  let value = head === "rate" ? rates : stats[head];
  for (const key of rest) value = value?.[key];
  return value;
}

function showFigures(stats, rates) {
  const shown = {};
  for (const element of document.querySelectorAll("[data-figure]")) {
    const name = element.dataset.figure;
    const value = lookup(name, stats, rates) ?? null;
    shown[name] = value;
    element.textContent = format(value, element.dataset.unit);
    if (name === "redis.connected" && value !== null) {
      element.className = value ? "up" : "down";
      element.textContent = value ? "connected" : "down";
    }
  }
  window.dashboard = {stats, rates, shown};
}

function showNotes(stats) {
  const memory = stats.memory;
  document.getElementById("per-connection-note").textContent = memory.perConnectionHeapBytes === null
      ? "Per-connection figures appear from 1,000 connections on (growth since start, divided by them)."
      : `Per connection: growth since start over ${format(stats.connections)} connections; the kernel's share `
        + "is TCP buffers, socket slabs, file, dentry and epoll item per socket.";
  document.getElementById("collectors").textContent = stats.gc.collectors
      .map(c => `${c.name}: ${format(c.count)} in ${format(c.millis, "ms")}`).join(" · ");
  document.getElementById("redis-note").textContent = stats.redis
      ? "Channels this node is subscribed to in Redis, of those its clients want."
      : "Embedded broker: no Redis configured.";
}

const SVG = "http://www.w3.org/2000/svg";

// A chart of several series over the readings so far (the last POINTS), scaled to the largest value
// shown; until there are MIN_SPAN readings it spans MIN_SPAN seconds, so a new page's lines start at the left.
function chart(id, series, unit) {
  const svg = document.getElementById(id);
  const width = 300;
  const height = 84;
  const top = 10;
  const span = Math.max(MIN_SPAN, ...series.map(s => s.values.length));
  const values = series.flatMap(s => s.values).filter(v => v !== null && v !== undefined);
  const max = Math.max(1, ...values);
  const y = v => height - 2 - ((height - top - 4) * v) / max;
  const x = i => (i * width) / (span - 1);
  const children = [];
  for (const fraction of [0, 0.5, 1]) {
    const line = document.createElementNS(SVG, "line");
    Object.entries({x1: 0, x2: width, y1: y(max * fraction), y2: y(max * fraction), class: "grid"})
        .forEach(([k, v]) => line.setAttribute(k, v));
    children.push(line);
  }
  const label = document.createElementNS(SVG, "text");
  label.setAttribute("x", 2);
  label.setAttribute("y", 8);
  label.textContent = `max ${format(max, unit)} · ${span} s`;
  children.push(label);
  series.forEach((s, n) => {
    const points = s.values
        .map((v, i) => (v === null || v === undefined ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
        .filter(p => p !== null);
    const line = document.createElementNS(SVG, "polyline");
    line.setAttribute("points", points.join(" "));
    line.setAttribute("style", `stroke:${COLORS[n]}`);
    children.push(line);
  });
  svg.replaceChildren(...children);
}

function showCharts() {
  const series = pick => readings.map(h => pick(h) ?? null);
  chart("chart-connections", [
    {values: series(h => h.stats.connections)},
    {values: series(h => h.stats.held)},
    {values: series(h => h.stats.streams.sse)},
    {values: series(h => h.stats.streams.ws)},
  ]);
  chart("chart-messages", [
    {values: series(h => h.rates.published)},
    {values: series(h => h.rates.delivered)},
  ]);
  chart("chart-memory", [
    {values: series(h => h.stats.memory.heapUsedBytes)},
    {values: series(h => h.stats.memory.rssBytes)},
  ], "bytes");
  chart("chart-gc", [{values: series(h => h.rates.gcPauseMillis)}], "ms");
  chart("chart-redis", [{values: series(h => h.stats.redis?.subscribedChannels)}]);
  chart("chart-channels", [
    {values: series(h => h.stats.channels)},
    {values: series(h => h.stats.historyEntries)},
  ]);
}

function status(text, bad) {
  const element = document.getElementById("status");
  element.textContent = text;
  element.className = bad ? "status bad" : "status";
}

// ---- the loop ----

async function tick() {
  try {
    const stats = await read();
    const rates = ratesBetween(previous, stats);
    previous = stats;
    readings.push({stats, rates});
    if (readings.length > POINTS) readings.shift();
    showFigures(stats, rates);
    showNotes(stats);
    showCharts();
    status(`${location.host} · read ${new Date().toLocaleTimeString("en-GB")}`
           + (stats.draining ? " · draining" : ""), stats.draining);
    document.getElementById("uptime").textContent = `up ${Math.round(stats.uptimeMillis / 1000)} s`;
  } catch (error) {
    status(error.message, true);
    if (error.refused) {
      document.getElementById("login").style.display = "block";
    }
  } finally {
    setTimeout(tick, EVERY_MS);
  }
}

window.addEventListener("hashchange", () => {
  token = takeToken();
});

document.getElementById("login").addEventListener("submit", event => {
  event.preventDefault();
  token = new FormData(event.target).get("token");
  sessionStorage.setItem(TOKEN_KEY, token);
  event.target.style.display = "none";
});

tick();
