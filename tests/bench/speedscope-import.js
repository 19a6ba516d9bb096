// SPDX-License-Identifier: GPL-3.0-or-later
//
// Runs speedscope's own importer (npm package `speedscope`, its release
// bundles) on one file in node and prints what it read and how long the
// import took.  The baseline for tests/bench/bench-formats.c:
//
//   npm install --prefix _build/npm speedscope@1.20.0
//   node tests/bench/speedscope-import.js _build/npm/node_modules/speedscope/dist/release FILE
//
// The bundles are written for a browser: the main one registers the
// modules the importer needs and then fails to start its UI without a DOM,
// which is caught; the import bundle is then loaded and called directly.
'use strict';
const fs = require('fs');
const vm = require('vm');
const path = require('path');

const [dir, file] = process.argv.slice(2);
if (!dir || !file) {
  console.error('usage: speedscope-import.js RELEASE_DIR FILE');
  process.exit(2);
}
globalThis.window = globalThis;
globalThis.self = globalThis;
globalThis.navigator = { userAgent: 'node' };
globalThis.location = { href: '', search: '', hash: '' };
globalThis.document = {
  createElement: () => ({ getContext: () => null, style: {} }),
  getElementsByTagName: () => [{ appendChild () {} }],
  addEventListener () {},
  body: {},
};
// The UI's own start-up fails later, asynchronously: not our concern.
process.on('uncaughtException', () => {});
process.on('unhandledRejection', () => {});

const bundle = (prefix) => fs.readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith('.js'));
const log = console.log;
console.log = () => {};  // the bundles announce themselves
try { vm.runInThisContext(fs.readFileSync(path.join(dir, bundle('speedscope.')), 'utf8')); } catch (e) {}
vm.runInThisContext(fs.readFileSync(path.join(dir, bundle('import.')), 'utf8'));
// The module that exports importProfileGroupFromText, found by its export:
// parcel writes each module as "ID":[function(require,module,exports){…
const source = fs.readFileSync(path.join(dir, bundle('import.')), 'utf8');
const marker = '":[function(require,module,exports)';
const end = source.lastIndexOf(marker, source.indexOf('exports.importProfileGroupFromText='));
const importer = parcelRequire(source.slice(source.lastIndexOf('"', end - 1) + 1, end));

const start = process.hrtime.bigint();
const text = fs.readFileSync(file, 'utf8');
Promise.resolve(importer.importProfileGroupFromText(path.basename(file), text)).then((group) => {
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const weight = group.profiles.reduce((sum, p) => sum + p.getTotalWeight(), 0);
  log(JSON.stringify({ profiles: group.profiles.length, total_weight: weight, import_ms: ms,
                       rss_mb: Math.round(process.memoryUsage().rss / 1048576) }));
  process.exit(0);
}, (e) => {
  console.error(e);
  process.exit(1);
});
