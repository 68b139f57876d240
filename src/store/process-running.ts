/**
 * Whether a process with this id runs (signal 0 only checks; EPERM means it runs as another
 * user): the embedded store's lock and the test runs' temporary directories both outlive a
 * process killed before it could remove them, and are taken over or removed once it is gone.
 */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
