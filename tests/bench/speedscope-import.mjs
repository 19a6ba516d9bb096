// SPDX-License-Identifier: GPL-3.0-or-later
//
// Runs speedscope's own importer (from its npm release bundle) on one file
// in Node and prints the CPU and wall time of the import alone (the file is
// read before the clock starts), so bench-vs-speedscope.sh can compare it
// with ours on the same file.
//
//   node speedscope-import.mjs path/to/speedscope-XXXX.js PROFILE
//
// The bundle is a browser app: it is evaluated in a VM context whose
// `window` is the context itself and whose DOM is a do-nothing stub.  Its
// UI start-up fails there, which is expected; before it runs, one injected
// statement keeps a handle on the bundle's importProfilesFromArrayBuffer,
// the function the web app calls when a file is dropped on it.
import fs from 'fs';
import vm from 'vm';

const [bundlePath, file] = process.argv.slice(2);
const source = fs.readFileSync(bundlePath, 'utf8');
// the app's own entry point: awaits the lazily initialised import module
const entry = /function ([\w$]+)\(\w,\w\)\{return\(await [\w$]+\)\.importProfilesFromArrayBuffer\(/.exec(source);
if (!entry)
  throw new Error('importProfilesFromArrayBuffer not found in ' + bundlePath);
// the module's functions are hoisted inside the bundle's IIFE
const injected = source.replace('"use strict";(()=>{',
  `"use strict";(()=>{globalThis.__speedscopeImport=(...a)=>${entry[1]}(...a);`);

function stub() {
  const f = function () { return stub(); };
  return new Proxy(f, {
    get(t, k) { if (k === Symbol.toPrimitive) return () => ''; if (k === 'then') return undefined; return stub(); },
    set() { return true; },
    construct() { return stub(); },
    apply() { return stub(); },
  });
}

const ctx = {
  console: { log() {}, warn() {}, error() {}, info() {}, debug() {} },
  setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask,
  TextDecoder, TextEncoder, Uint8Array, ArrayBuffer, DataView, Promise, URL,
  URLSearchParams, performance, WebAssembly, Blob, atob, btoa,
  document: stub(), localStorage: stub(), navigator: { userAgent: 'node' },
  location: { hash: '', search: '', href: 'http://localhost/' },
  requestAnimationFrame: () => 0, addEventListener: () => {},
};
ctx.window = ctx;
ctx.self = ctx;
ctx.globalThis = ctx;
vm.createContext(ctx);
try {
  vm.runInContext(injected, ctx);
} catch (e) {
  // the UI cannot start without a DOM; the importer is already defined
}

const bytes = fs.readFileSync(file);
const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
const group = await ctx.__speedscopeImport(file.split('/').pop(), buffer);
const cpu = process.cpuUsage(cpu0);
const wall = (performance.now() - wall0) / 1000;
if (!group || group.profiles.length === 0)
  throw new Error('speedscope could not import ' + file);
let samples = 0;
for (const p of group.profiles)
  samples += p.samples.length;
console.log(`speedscope cpu ${((cpu.user + cpu.system) / 1e6).toFixed(3)} wall ${wall.toFixed(3)} ` +
            `profiles ${group.profiles.length} samples ${samples} total ${group.profiles[0].getTotalWeight()}`);
