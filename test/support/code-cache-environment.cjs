// jest's Node test environment, with V8's compiled code of every module kept for the next
// test files of the same worker.
//
// jest gives each test file a fresh module registry, so every file compiles again each module
// it loads: the app, Bolt, the Web API client, Prisma's 230 KB runtime (about 40 ms a time).
// This module is loaded once per jest worker (its scope outlives the test files), so it wraps
// `vm.compileFunction`, which jest compiles each CommonJS module with, to keep V8's code cache
// of each module (by file name) and hand it back when the same source is compiled again. What
// runs is unchanged: the cache only saves parsing and compiling the same source again, V8
// refuses a cache made for other source or flags, and the source itself is compared here
// (V8 only checks its length).
const vm = require('node:vm');
const NodeEnvironment = require('jest-environment-node').default;

const compiled = new Map();
const compileFunction = vm.compileFunction;

vm.compileFunction = function compileFunctionWithCodeCache(code, params = [], options = {}) {
  const { filename } = options;
  if (typeof filename !== 'string' || options.cachedData !== undefined || options.produceCachedData) {
    return compileFunction.call(this, code, params, options);
  }
  const key = `${params.join(',')}\n${filename}`;
  const known = compiled.get(key);
  if (known !== undefined && known.code === code) {
    const fn = compileFunction.call(this, code, params, { ...options, cachedData: known.data });
    if (!fn.cachedDataRejected) return fn;
  }
  const fn = compileFunction.call(this, code, params, { ...options, produceCachedData: true });
  if (fn.cachedDataProduced) compiled.set(key, { code, data: fn.cachedData });
  return fn;
};

module.exports = NodeEnvironment;
