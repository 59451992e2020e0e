import type { Command } from 'commander';
import { k8sVersionSettings } from '../config/kubernetes/version.js';
import { scanConfig } from '../config/scan-config.js';
import { emitReport, validateReportFlags } from '../report/index.js';
import { log } from '../util/log.js';
import { createProgress } from '../util/progress.js';

interface ConfigFlags {
  format?: string;
  output?: string;
  severity?: string;
  exitCode?: string;
  ignorefile?: string;
  skipDirs?: string[];
  k8sVersion?: string;
}

const FORMATS = { formats: ['table', 'json', 'sarif', 'junit'] };

export function registerConfig(program: Command): void {
  program
    .command('config')
    .description(
      'find misconfigurations in Dockerfiles, Compose files, Kubernetes manifests, Terraform and CloudFormation (a file or a directory tree)',
    )
    .argument('<path>', 'file or directory to scan')
    .option('-f, --format <format>', 'table, json, sarif or junit', 'table')
    .option('-o, --output <file>', 'write the report to FILE (atomically) instead of stdout')
    .option('-s, --severity <list>', 'only these severities (e.g. CRITICAL,HIGH)')
    .option('--exit-code <n>', 'exit with this code when findings remain')
    .option('--ignorefile <file>', 'ignore file (default .ringfenceignore)')
    .option(
      '--skip-dirs <dirs>',
      'directories to skip, comma-separated names or globs (.git, node_modules and .terraform always are)',
      (value: string, previous: string[] = []) => [...previous, ...value.split(',')],
    )
    .option(
      '--k8s-version <version>',
      'Kubernetes version whose Pod Security admission to reproduce (1.30, v1.30.2, latest; default latest)',
    )
    .action(async (path: string, flags: ConfigFlags, cmd: Command) => {
      validateReportFlags(flags, FORMATS);
      const settings = k8sVersionSettings(flags.k8sVersion);
      const { quiet } = cmd.optsWithGlobals() as { quiet?: boolean };
      const progress = createProgress({ quiet });
      let files = 0;
      const report = await scanConfig(path, {
        skipDirs: flags.skipDirs,
        settings,
        onFile: (file) => progress.update(`${++files} files scanned: ${file}`),
      }).finally(() => progress.done());
      for (const w of report.warnings) log.warn(w);
      process.exitCode = await emitReport(report, flags, FORMATS);
    });
}
