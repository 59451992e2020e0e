import type { Command } from 'commander';
import { benchDocker } from '../compliance/docker/index.js';
import { emitReport, emptyReport, validateReportFlags } from '../report/index.js';
import { log } from '../util/log.js';

interface BenchDockerFlags {
  format?: string;
  output?: string;
  severity?: string;
  exitCode?: string;
  ignorefile?: string;
  socket?: string;
  hostRoot: string;
  checks?: string;
  all?: boolean;
}

export function registerBench(program: Command): void {
  const bench = program.command('bench').description('CIS benchmark checks of a live host');
  bench
    .command('docker')
    .description(
      'CIS Docker Benchmark: daemon configuration, Docker files, images and every running container',
    )
    .option('-f, --format <format>', 'table, json or junit', 'table')
    .option('-o, --output <file>', 'write the report to a file')
    .option('-s, --severity <list>', 'only these severities (e.g. CRITICAL,HIGH)')
    .option('--exit-code <n>', 'exit with this code when a check FAILs')
    .option('--ignorefile <file>', 'ignore file (default .ringfenceignore)')
    .option('--socket <path>', 'Docker daemon socket (default DOCKER_HOST or /var/run/docker.sock)')
    .option('--host-root <dir>', "where the host's filesystem is mounted (when run in a container)", '/')
    .option('--checks <ids>', 'only these checks or sections, e.g. 5.5,5.32 or 2')
    .option('-a, --all', 'also judge stopped and created containers')
    .action(async (flags: BenchDockerFlags) => {
      const formats = { formats: ['table', 'json', 'junit'] };
      validateReportFlags(flags, formats);
      const { findings, warnings } = await benchDocker({
        socketPath: flags.socket,
        hostRoot: flags.hostRoot,
        checks: flags.checks?.split(',').map((s) => s.trim()),
        allContainers: flags.all,
      });
      for (const w of warnings) log.warn(w);
      const report = { ...emptyReport({ name: 'docker host', type: 'docker-host' }), findings, warnings };
      process.exitCode = await emitReport(report, flags, formats);
    });
}
