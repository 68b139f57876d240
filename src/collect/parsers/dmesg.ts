import { notRecognised, type ArtifactParser } from './types.js';
import { artifactLines } from './text.js';

// One OOM kill prints several lines; each marker appears once per kill, so the most frequent
// marker counts the kills: "Killed process N" (older kernels: "Kill process N ... or sacrifice
// child"), the "oom-kill:constraint=" summary, and "invoked oom-killer".
const OOM_MARKERS = [/\bKill(?:ed)? process \d+/, /\boom-kill:constraint=/, /\binvoked oom-killer\b/];
const CONNTRACK_FULL = /nf_conntrack: table full, dropping packet/;
// neigh_alloc past gc_thresh3: "neighbour: arp_cache: neighbor table overflow!" (ndisc_cache for
// IPv6); kernels before 4.x printed "Neighbour table overflow.".
const NEIGH_TABLE_OVERFLOW = /\bneighbou?r table overflow\b/i;
// "IPv4: martian source 10.0.9.1 from 10.0.1.1, on dev eth0": with log_martians on, the kernel logs
// the packets its source check (rp_filter) refuses (ip-sysctl log_martians). Off by default, so
// no such line says nothing.
const MARTIAN_SOURCE = /\bmartian source \S+ from \S+, on dev /;
// A kernel line, by when it was logged: dmesg -T's wall-clock time "[Tue Nov 24 18:08:09 2026] ...",
// journalctl -k's syslog time "Nov 24 18:08:09 host kernel: ...", or dmesg's seconds since boot
// "[ 2376.606439] ...".
const LOGGED_AT = /^\s*(?:\[(\w{3} \w{3}\s+\d+ [\d:]+ \d{4})\]|(\w{3}\s+\d+ [\d:]+) \S+ kernel:|\[\s*(\d+)\.\d+\])/;

/** When a kernel line was logged, as it says it; undefined for a line that is no kernel line. */
function loggedAt(line: string): string | undefined {
  const at = LOGGED_AT.exec(line);
  if (!at) return undefined;
  return at[1] ?? at[2] ?? `${at[3]} s after boot`;
}
const EXPECTED = 'output of `dmesg` (or dmesg -T, journalctl -k): kernel log lines';

export const dmesgParser: ArtifactParser = {
  kind: 'dmesg',
  describe:
    'dmesg [-T] (or journalctl -k) over the window of interest: host.oom_kills (OOM-killer events, with a warning naming when the first and last were logged), ' +
    'kernel.conntrack_full ("nf_conntrack: table full, dropping packet"), kernel.neigh_table_overflow ("neighbour: arp_cache: neighbor table overflow!", ndisc_cache for IPv6) ' +
    'and kernel.rp_filter_drops, true only ("IPv4: martian source ADDR from ADDR, on dev IFACE": logged with log_martians on, off by default)',
  parse(text, context) {
    let kernelLines = 0;
    // The kill lines' times: a kernel log keeps kills from long before the incident (the
    // question asks for its window; lab 203: kills 2.5 h older read as this incident's).
    const killedAt: string[] = [];
    const oomCounts = OOM_MARKERS.map(() => 0);
    let conntrackFull = false;
    let neighTableOverflow = false;
    let martians = false;
    for (const line of artifactLines(text)) {
      const at = loggedAt(line);
      if (at !== undefined) kernelLines++;
      OOM_MARKERS.forEach((marker, i) => {
        if (!marker.test(line)) return;
        oomCounts[i] = (oomCounts[i] ?? 0) + 1;
        // The first marker, "Killed process N", is one line per kill.
        if (i === 0 && at !== undefined) killedAt.push(at);
      });
      conntrackFull ||= CONNTRACK_FULL.test(line);
      neighTableOverflow ||= NEIGH_TABLE_OVERFLOW.test(line);
      martians ||= MARTIAN_SOURCE.test(line);
    }
    if (kernelLines === 0 && Math.max(...oomCounts) === 0 && !conntrackFull && !neighTableOverflow && !martians) throw notRecognised('dmesg', EXPECTED);
    const kills = Math.max(...oomCounts);
    if (kills > 0 && killedAt.length > 0) {
      const span = killedAt.length === 1 ? `at ${killedAt[0]}` : `from ${killedAt[0]} to ${killedAt.at(-1)}`;
      context?.warn?.({ field: 'host.oom_kills', message: `${kills === 1 ? '1 OOM kill' : `${kills} OOM kills`} logged ${span}: count only those in the incident's window (the kernel log keeps older ones)` });
    }
    return { 'host.oom_kills': kills, 'kernel.conntrack_full': conntrackFull, 'kernel.neigh_table_overflow': neighTableOverflow, ...(martians && { 'kernel.rp_filter_drops': true }) };
  },
};
