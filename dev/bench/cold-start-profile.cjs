// Where a cold start goes: preloaded (node -r) into one instrumented Functions Framework process
// per function by dev/bench/mix.ts, never into a measured one (the timers cost a little).
//
// Times every require() (Module._load) and charges its own time, less the time of the modules it
// loads in turn, to a group: the package a chain of requires entered from Stilla's code or from
// the runtime (so google-gax and protobufjs count as "firebase-admin" when Firestore loads them),
// "stilla" for functions/lib, "runtime" for the Functions Framework and firebase-functions (what
// the baseline loads too). Loads are split at the first request's arrival. At that request's end
// it writes JSON to $STILLA_COLD_PROFILE_OUT:
//   { bootMs, listeningMs, arrivalMs, responseMs, before: {group: ms}, during: {group: ms} }
// with every time in ms since the process started.
'use strict';
const Module = require('node:module');
const http = require('node:http');
const { writeFileSync } = require('node:fs');
const { performance } = require('node:perf_hooks');

const out = process.env.STILLA_COLD_PROFILE_OUT;
const RUNTIME = new Set(['@google-cloud/functions-framework', 'firebase-functions']);
const bootMs = performance.now();
const before = {};
const during = {};
let arrivalMs;
let listeningMs;
let stillaLoaded = false;

/** The package a file belongs to, or "stilla" for Stilla's compiled code. */
function packageOf(filename) {
  const at = filename.lastIndexOf('/node_modules/');
  if (at < 0) return filename.includes('/functions/lib/') ? 'stilla' : 'other';
  const parts = filename.slice(at + '/node_modules/'.length).split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

// Each frame: its group and the time its nested loads took.
const stack = [];
const load = Module._load;
Module._load = function timedLoad(request, parent, isMain) {
  let filename;
  try {
    filename = Module._resolveFilename(request, parent, isMain);
  } catch {
    return load.apply(this, arguments);
  }
  if (!filename.startsWith('/')) return load.apply(this, arguments); // a builtin
  const outer = stack[stack.length - 1];
  const own = packageOf(filename);
  // Inside a package, its group. Otherwise: Stilla's code is "stilla"; what the runtime loads,
  // and everything before Stilla's code is loaded (the framework loads some modules outside any
  // require, and the baseline's function file is not Stilla's), is "runtime"; a package entered
  // from Stilla's code, or from nothing after it (a dynamic import), is its own group.
  if (own === 'stilla') stillaLoaded = true;
  let group;
  if (outer !== undefined && outer.group !== 'runtime' && outer.group !== 'stilla') {
    group = outer.group;
  } else if (own === 'stilla') {
    group = 'stilla';
  } else if (RUNTIME.has(own) || outer?.group === 'runtime' || (!outer && !stillaLoaded)) {
    group = 'runtime';
  } else {
    group = own;
  }
  const frame = { group, nested: 0 };
  stack.push(frame);
  const started = performance.now();
  try {
    return load.apply(this, arguments);
  } finally {
    const took = performance.now() - started;
    stack.pop();
    if (outer !== undefined) outer.nested += took;
    const totals = arrivalMs === undefined ? before : during;
    totals[group] = (totals[group] ?? 0) + took - frame.nested;
  }
};

const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function timedListen(...args) {
  this.once('listening', () => (listeningMs ??= performance.now()));
  return listen.apply(this, args);
};

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function timedEmit(event, req, res) {
  if (event === 'request' && arrivalMs === undefined) {
    arrivalMs = performance.now();
    res.once('finish', () => {
      const round = (totals) =>
        Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, Math.round(v * 10) / 10]));
      const report = {
        bootMs,
        listeningMs,
        arrivalMs,
        responseMs: performance.now(),
        before: round(before),
        during: round(during),
      };
      if (out) writeFileSync(out, JSON.stringify(report));
    });
  }
  return emit.apply(this, arguments);
};
