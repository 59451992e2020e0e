import type { FileKind } from '../engine/check.js';
import { terraformChecks } from './checks/index.js';
import type { TerraformFile } from './model.js';
import { parseTerraform, TERRAFORM_COMPANIONS } from './parse-terraform.js';

export const terraformKind: FileKind<TerraformFile> = {
  id: 'terraform',
  title: 'Terraform',
  companions: TERRAFORM_COMPANIONS,
  matchesName: (path) => /\.tf(\.json)?$/i.test(path),
  parse: parseTerraform,
  checks: terraformChecks,
};
