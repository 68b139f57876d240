import { notRecognised, type ArtifactParser } from './types.js';
import { artifactLines } from './text.js';

// "[ 2376.606439] ...", dmesg -T "[Tue Nov 24 18:08:09 2026] ...", journalctl -k "Nov 24 18:08:09 host kernel: ...".
const KERNEL_LINE = /^\s*(?:\[\s*\d+\.\d+\]|\[\w{3} \w{3}\s+\d+ [\d:]+ \d{4}\]|\w{3}\s+\d+ [\d:]+ \S+ kernel:)/;
// One OOM kill prints several lines; each marker appears once per kill, so the most frequent
// marker counts the kills: "Killed process N" (older kernels: "Kill process N ... or sacrifice
// child"), the "oom-kill:constraint=" summary, and "invoked oom-killer".
const OOM_MARKERS = [/\bKill(?:ed)? process \d+/, /\boom-kill:constraint=/, /\binvoked oom-killer\b/];
const CONNTRACK_FULL = /nf_conntrack: table full, dropping packet/;
const EXPECTED = 'output of `dmesg` (or dmesg -T, journalctl -k): kernel log lines';

export const dmesgParser: ArtifactParser = {
  kind: 'dmesg',
  describe:
    'dmesg [-T] (or journalctl -k) over the window of interest: host.oom_kills (OOM-killer events) and ' +
    'kernel.conntrack_full ("nf_conntrack: table full, dropping packet")',
  parse(text) {
    let kernelLines = 0;
    const oomCounts = OOM_MARKERS.map(() => 0);
    let conntrackFull = false;
    for (const line of artifactLines(text)) {
      if (KERNEL_LINE.test(line)) kernelLines++;
      OOM_MARKERS.forEach((marker, i) => {
        if (marker.test(line)) oomCounts[i] = (oomCounts[i] ?? 0) + 1;
      });
      conntrackFull ||= CONNTRACK_FULL.test(line);
    }
    if (kernelLines === 0 && Math.max(...oomCounts) === 0 && !conntrackFull) throw notRecognised('dmesg', EXPECTED);
    return { 'host.oom_kills': Math.max(...oomCounts), 'kernel.conntrack_full': conntrackFull };
  },
};
