import type { Command } from 'commander';
import { checkRulesOnReplay, formatReplayCheck } from '../runtime/rules/replay-check.js';
import {
  formatProblem,
  formatValidation,
  ruleFilePaths,
  validateRuleFiles,
} from '../runtime/rules/validate.js';
import { UserError } from '../util/errors.js';
import { log } from '../util/log.js';
import { writeResult } from '../util/output.js';

interface OutputFlags {
  format: string;
  output?: string;
}

function format(flags: OutputFlags): 'table' | 'json' {
  if (flags.format !== 'table' && flags.format !== 'json') {
    throw new UserError(`--format: '${flags.format}' is not one of table, json`);
  }
  return flags.format;
}

function count(flag: string, value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new UserError(`${flag}: '${value}' is not a whole number`);
  return Number(value);
}

export function registerRules(program: Command): void {
  const rules = program
    .command('rules')
    .description('Falco-compatible runtime rules: check rule files, and try them on recorded events');

  rules
    .command('validate')
    .description('load rule files in order and list every problem; exit 1 unless every rule compiles')
    .argument(
      '<files...>',
      "rule files, later ones appending to and overriding earlier ones ('default': Ringfence's rules)",
    )
    .option('-f, --format <format>', 'table or json', 'table')
    .option('-o, --output <file>', 'write the result to a file')
    .action(async (files: string[], flags: OutputFlags) => {
      const fmt = format(flags);
      const report = await validateRuleFiles(ruleFilePaths(files));
      await writeResult(
        fmt === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatValidation(report),
        flags.output,
      );
      process.exitCode = report.ok ? 0 : 1;
    });

  rules
    .command('test')
    .description('run rules over a JSON-lines file of events: which rules fire on which events')
    .argument('<rules>', "a rule file, or several joined with commas ('default': Ringfence's rules)")
    .argument('<events>', 'a JSON-lines file of events (one event per line)')
    .option('-f, --format <format>', 'table or json', 'table')
    .option('-o, --output <file>', 'write the result to a file')
    .option('--limit <n>', 'list at most this many alerts (all are counted)', '1000')
    .option('--exit-code <n>', 'exit with this code when any rule fires')
    .action(
      async (ruleArg: string, events: string, flags: OutputFlags & { limit: string; exitCode?: string }) => {
        const fmt = format(flags);
        const limit = count('--limit', flags.limit);
        const exitCode = flags.exitCode === undefined ? undefined : count('--exit-code', flags.exitCode);
        const report = await checkRulesOnReplay(ruleFilePaths(ruleArg.split(',')), events, limit);
        for (const w of report.warnings) log.warn(formatProblem(w));
        await writeResult(
          fmt === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatReplayCheck(report),
          flags.output,
        );
        if (exitCode !== undefined && report.alerts > 0) process.exitCode = exitCode;
      },
    );
}
