// Preloaded into the app's process by test/e2e/process.test.ts: one promise rejection that
// nothing handles, carrying a token-shaped string, shortly after start. Stands in for a bug
// the process-level handler must survive.
setTimeout(
  () => {
    Promise.reject(
      Object.assign(new Error('simulated bug: request with Authorization: Bearer xoxb-process-test failed'), {
        code: 'simulated_bug',
      }),
    );
  },
  Number(process.env.REJECT_AFTER_MS || 500),
).unref();
