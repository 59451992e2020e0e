import type { SourceFile } from '../engine/check.js';
import { parseJsonWithLines } from '../engine/json.js';
import { k8sMinorSetting } from '../kubernetes/version.js';
import { awsFromTerraform } from './aws/index.js';
import { attribute, mayExist, resourcesOf } from './body.js';
import { type EvaluationInputs, Evaluator } from './eval/evaluator.js';
import type { Block, Expr } from './hcl/ast.js';
import { parseHcl } from './hcl/parser.js';
import { parseTerraformJson } from './json-syntax.js';
import { kubernetesPodContext, kubernetesPods } from './kubernetes/pods.js';
import type { TerraformFile } from './model.js';

/**
 * Sibling files read for variable values and locals: a module's variables usually live in
 * variables.tf beside main.tf, and terraform.tfvars sets them. Other files of the module are
 * not read, so a variable defined only there is unknown (never a finding).
 */
export const TERRAFORM_COMPANIONS = [
  'variables.tf',
  'locals.tf',
  'terraform.tfvars',
  'terraform.tfvars.json',
] as const;

export function parseTerraform(source: SourceFile): TerraformFile {
  const blocks = source.path.endsWith('.json')
    ? parseTerraformJson(source.text)
    : parseHcl(source.text).blocks;
  const evaluator = new Evaluator(inputs(blocks, source.companions));
  const resources = resourcesOf(blocks).filter((r) => mayExist(r, evaluator));
  return {
    path: source.path,
    blocks,
    resources,
    evaluator,
    aws: awsFromTerraform(resources, evaluator),
    pods: kubernetesPods(resources, evaluator),
    podContext: kubernetesPodContext(resources, evaluator, k8sMinorSetting(source.settings)),
  };
}

function inputs(blocks: readonly Block[], companions: ReadonlyMap<string, string>): EvaluationInputs {
  const moduleBlocks = [...companionBlocks(companions), ...blocks];
  const variables = new Map<string, { value: unknown } | { expr: Expr }>();
  const locals = new Map<string, Expr>();
  for (const b of moduleBlocks) {
    if (b.type === 'variable' && b.labels.length === 1) {
      const fallback = attribute(b.body, 'default');
      if (fallback) variables.set(b.labels[0]!, { expr: fallback.expr });
    } else if (b.type === 'locals') {
      for (const a of b.body.attributes) locals.set(a.name, a.expr);
    }
  }
  for (const [name, value] of tfvars(companions)) variables.set(name, { value });
  return { variables, locals };
}

/** Companion .tf files; one that does not parse is skipped here (it is reported when it is scanned itself). */
function companionBlocks(companions: ReadonlyMap<string, string>): Block[] {
  return ['variables.tf', 'locals.tf'].flatMap((name) => {
    const text = companions.get(name);
    if (text === undefined) return [];
    try {
      return parseHcl(text).blocks;
    } catch {
      return [];
    }
  });
}

function tfvars(companions: ReadonlyMap<string, string>): Map<string, unknown> {
  const values = new Map<string, unknown>();
  const hcl = companions.get('terraform.tfvars');
  if (hcl !== undefined) {
    try {
      const constants = new Evaluator({ variables: new Map(), locals: new Map() });
      for (const a of parseHcl(hcl).attributes) values.set(a.name, constants.evaluate(a.expr));
    } catch {
      // A malformed tfvars file sets nothing.
    }
  }
  const json = companions.get('terraform.tfvars.json');
  if (json !== undefined) {
    try {
      const { value } = parseJsonWithLines(json);
      if (value !== null && typeof value === 'object' && !Array.isArray(value))
        for (const [k, v] of Object.entries(value)) values.set(k, v);
    } catch {
      // As above.
    }
  }
  return values;
}
