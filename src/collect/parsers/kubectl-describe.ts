import { notRecognised, type ArtifactParser, type ParseContext, type ParsedFacts } from './types.js';
import { artifactLines, commonest, countBy, round } from './text.js';

const EXPECTED =
  'the output of `kubectl describe pod POD`: its "Name:" line, its "Containers:" section with each container\'s State, Last State, ' +
  'Restart Count and Limits, and its Events';

/** A top-level key of kubectl's description ("Name:", "Containers:", "Events:"): at the start of the line. */
const TOP_KEY = /^([A-Z][-A-Za-z ]{0,40}):/;
/** A container's name under "Containers:", two spaces in: "  checkout:". */
const CONTAINER = /^ {2}([a-z0-9][-a-z0-9.]{0,252}):\s*$/;
/** A container's field, four spaces in: "    Restart Count:  5", "    Last State:     Terminated", "    Limits:". */
const FIELD = /^ {4}([A-Z][A-Za-z ]{0,40}):\s*(.*)$/;
/** A field's own field, six spaces in: "      Reason:       OOMKilled", "      cpu:     500m". */
const SUBFIELD = /^ {6}([A-Za-z][-A-Za-z./ ]{0,60}):\s*(.*)$/;
/** A CPU quantity as Kubernetes writes it: cores ("2", "1.5") or millicores ("500m"). */
const CPU_QUANTITY = /^(\d{1,9}(?:\.\d{1,9})?)(m?)$/;
/** The kubelet's event for an HTTP probe answered with a status it does not accept (prober.go). */
const PROBE_STATUS = /(?:Liveness|Readiness|Startup) probe failed: HTTP probe failed with statuscode: (\d{3})\b/;

/** At most this many containers are named in a warning: the rest are counted (a pod has a handful; a pasted text may hold any number). */
const NAMED = 8;

/** ITEMS for a warning: at most NAMED of them, then how many more. */
const namedList = (items: readonly string[]) => (items.length > NAMED ? `${items.slice(0, NAMED).join(', ')} and ${items.length - NAMED} more` : items.join(', '));

interface Container {
  name: string;
  restarts?: number;
  /** The reason of its current state and of its last termination ("OOMKilled", "Error", "Completed"). */
  reasons: string[];
  cpuLimitCores?: number;
}

interface Description {
  named: boolean;
  containers: Container[];
  probeStatuses: number[];
}

function readDescription(lines: readonly string[]): Description {
  const read: Description = { named: false, containers: [], probeStatuses: [] };
  let section = '';
  let container: Container | undefined;
  let field = '';
  for (const line of lines) {
    const top = TOP_KEY.exec(line);
    if (top) {
      section = top[1] as string;
      if (section === 'Name') read.named = true;
      container = undefined;
      continue;
    }
    if (section === 'Events') {
      const status = PROBE_STATUS.exec(line);
      if (status) read.probeStatuses.push(Number(status[1]));
      continue;
    }
    // Init containers run to completion before the pod starts: their restarts and ends are no crash of the service.
    if (section !== 'Containers') continue;
    const named = CONTAINER.exec(line);
    if (named) {
      container = { name: named[1] as string, reasons: [] };
      read.containers.push(container);
      field = '';
      continue;
    }
    if (!container) continue;
    const own = FIELD.exec(line);
    if (own) {
      field = own[1] as string;
      const value = (own[2] as string).trim();
      if (field === 'Restart Count' && /^\d{1,9}$/.test(value)) container.restarts = Number(value);
      continue;
    }
    const sub = SUBFIELD.exec(line);
    if (!sub) continue;
    const [name, value] = [sub[1] as string, (sub[2] as string).trim()];
    if ((field === 'State' || field === 'Last State') && name === 'Reason') container.reasons.push(value);
    if (field === 'Limits' && name === 'cpu') {
      const quantity = CPU_QUANTITY.exec(value);
      if (quantity) container.cpuLimitCores = Number(quantity[1]) / (quantity[2] === 'm' ? 1000 : 1);
    }
  }
  return read;
}

function facts(description: Description, context: ParseContext | undefined): ParsedFacts {
  const out: ParsedFacts = {};
  const { containers } = description;
  const counted = containers.filter((c) => c.restarts !== undefined);
  // The container that restarted most is the one failing (a sidecar's count is its own).
  const busiest = counted.reduce<Container | undefined>((best, c) => (best === undefined || (c.restarts as number) > (best.restarts as number) ? c : best), undefined);
  if (busiest) {
    out['proc.restarts'] = busiest.restarts as number;
    if (containers.length > 1) {
      const each = namedList(containers.map((c) => `${c.name} ${c.restarts ?? '?'}`));
      const read = busiest.restarts === 0 ? 'none restarted since the pod started' : `the most restarts, ${busiest.name}'s, are read (a Restart Count counts since the pod started, not only in the incident's window)`;
      context?.warn?.({ field: 'proc.restarts', message: `the pod has ${containers.length} containers (${each}): ${read}` });
    }
  }
  const oomKilled = containers.filter((c) => c.reasons.includes('OOMKilled'));
  if (oomKilled.length > 0) {
    // Each container keeps its last termination only: earlier kills are in the node's kernel log.
    out['host.oom_kills'] = oomKilled.length;
    const which = namedList(oomKilled.map((c) => c.name));
    context?.warn?.({ field: 'host.oom_kills', message: `${which} ended OOMKilled (the kernel's OOM killer, at the container's memory limit): the pod shows each container's last end only, so earlier kills are counted by dmesg on its node` });
  }
  const status = commonest(countBy(description.probeStatuses, (code) => code));
  if (status !== undefined) out['lb.health_check_status'] = status;
  // The limit of the container the facts are about: the only one, or the one that restarted.
  const about = containers.length === 1 ? containers[0] : busiest !== undefined && (busiest.restarts as number) > 0 ? busiest : undefined;
  if (about?.cpuLimitCores !== undefined) out['cgroup.cpu_limit_cores'] = round(about.cpuLimitCores, 3);
  else if (about === undefined && containers.some((c) => c.cpuLimitCores !== undefined)) {
    context?.warn?.({ field: 'cgroup.cpu_limit_cores', message: `the pod has ${containers.length} containers and none restarted: which one's CPU limit is the service's is not said (kubectl describe pod POD shows each under Limits)` });
  }
  return out;
}

export const kubectlDescribeParser: ArtifactParser = {
  kind: 'kubectl-describe',
  describe:
    'kubectl describe pod POD [-n NAMESPACE]: proc.restarts, the Restart Count of the container that restarted most (a warning names ' +
    'each container\'s when there are several; the count is since the pod started); host.oom_kills, how many containers last ended ' +
    'OOMKilled (a floor: earlier kills are in the node\'s dmesg); lb.health_check_status, the commonest status of the kubelet\'s ' +
    '"probe failed: HTTP probe failed with statuscode: N" events; cgroup.cpu_limit_cores, the Limits cpu (500m = 0.5) of the only ' +
    'container or of the one that restarted; init containers are left out',
  parse(text, context) {
    const description = readDescription(artifactLines(text));
    if (!description.named || description.containers.length === 0) throw notRecognised('kubectl-describe', EXPECTED);
    return facts(description, context);
  },
};
