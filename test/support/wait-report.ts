import { abandonPendingWaits } from './pending-waits';

// Run after every test (jest setupFilesAfterEnv): see pending-waits.ts.
afterEach(() => {
  const stillWaiting = abandonPendingWaits();
  if (stillWaiting.length) throw new Error(`The test ended while still waiting for:\n- ${stillWaiting.join('\n- ')}`);
});
