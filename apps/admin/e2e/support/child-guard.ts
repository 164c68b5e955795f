/*
 * Preloaded (`node --import`) into the services the browser tests start. Their stdin is a pipe
 * from the test runner; when the runner dies in any way — even SIGKILL, which runs no handler —
 * the pipe closes and the service shuts itself down (SIGTERM: its own graceful stop), then exits
 * for sure a few seconds later. Nothing is left listening on the machine after a killed run.
 */
process.stdin.on('end', () => {
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => process.exit(1), 5_000).unref();
});
process.stdin.on('error', () => undefined);
process.stdin.resume();
// Reading stdin must not keep a service alive that would otherwise exit by itself.
(process.stdin as unknown as { unref?: () => void }).unref?.();
