/**
 * getopt-style reading of a command's arguments: `-abc` groups, `-o value`, `-ovalue`,
 * `--name value`, `--name=value`, `--` ending options. Checks use it to ask "was -y given?"
 * and "which packages were named?" without caring how the flags were spelled.
 */

export interface ParsedArguments {
  /** Options in order, by their spelling ('-y', '--yes'); `value` for those that take one. */
  options: { name: string; value?: string }[];
  positionals: string[];
  has(...names: string[]): boolean;
  /** Every value given to any of `names`. */
  values(...names: string[]): string[];
}

interface ArgumentSpec {
  /** Options that take a value ('-o', '--target-release'). */
  withValue?: readonly string[];
}

export function parseArguments(args: readonly string[], spec: ArgumentSpec = {}): ParsedArguments {
  const withValue = new Set(spec.withValue ?? []);
  const options: { name: string; value?: string }[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      if (eq !== -1) options.push({ name: arg.slice(0, eq), value: arg.slice(eq + 1) });
      else if (withValue.has(arg) && i + 1 < args.length) options.push({ name: arg, value: args[++i]! });
      else options.push({ name: arg });
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let k = 1; k < arg.length; k++) {
        const name = `-${arg[k]}`;
        if (!withValue.has(name)) {
          options.push({ name });
          continue;
        }
        const rest = arg.slice(k + 1).replace(/^=/, '');
        if (rest) options.push({ name, value: rest });
        else if (i + 1 < args.length) options.push({ name, value: args[++i]! });
        else options.push({ name });
        break;
      }
    } else {
      positionals.push(arg);
    }
  }
  return {
    options,
    positionals,
    has: (...names) => options.some((o) => names.includes(o.name)),
    values: (...names) =>
      options.filter((o) => names.includes(o.name) && o.value !== undefined).map((o) => o.value!),
  };
}
