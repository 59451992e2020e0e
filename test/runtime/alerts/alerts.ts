import { type Alert, compileRules } from '../../../src/runtime/rules/engine.js';
import type { Event } from '../../../src/types.js';
import { event } from '../rules/make.js';

/** Alerts come from the real rule engine, on events shaped like the agent's. */
const RULES = `
- rule: Sensitive file read
  desc: a file below /etc read
  condition: evt.type = openat and fd.name startswith /etc/
  output: "%proc.name read %fd.name (user=%user.name container=%container.name image=%container.image)"
  priority: WARNING
  tags: [filesystem, mitre_credential_access, T1555]
  remediation: Find out why this process reads it.
- rule: Shell started
  desc: a shell exec
  condition: evt.type = execve and proc.name in (bash, sh)
  output: "shell %proc.cmdline (parent=%proc.pname)"
  priority: NOTICE
  tags: [shell]
`;

const { ruleset, problems } = compileRules([{ file: 'alerts-test.yaml', text: RULES }]);
if (problems.some((p) => p.severity === 'error')) throw new Error(JSON.stringify(problems));

export function alertFor(e: Event): Alert {
  const alerts = ruleset.evaluate(e);
  if (alerts.length !== 1) throw new Error(`expected one alert, got ${alerts.length}`);
  return alerts[0]!;
}

/** `Sensitive file read` of `path` in container `containerId` (`host`: a host process). */
export function fileRead(path = '/etc/shadow', containerId = 'c0ffee123456'): Alert {
  return alertFor(inContainer(event({ fd: { name: path } }), containerId));
}

/** `Shell started`, by a host process unless a container id is given. */
export function shell(pid = 4242, containerId = 'host'): Alert {
  return alertFor(inContainer(event({ type: 'execve', proc: { pid }, fd: undefined }), containerId));
}

function inContainer(e: Event, containerId: string): Event {
  if (containerId === 'host') delete e.container;
  else e.container = { ...e.container!, id: containerId };
  return e;
}
