import { numberSetting, stringSetting } from '../../iac/aws/fields.js';
import type { AwsResource, IngressRule } from '../../iac/aws/model.js';
import { asString, isUnknown, UNKNOWN } from '../../iac/unknown.js';
import type { TfFields, TfReader } from './reader.js';

/** Ingress rules: inline in aws_security_group, aws_security_group_rule, aws_vpc_security_group_ingress_rule. */
export function ingressRules(tf: TfReader): IngressRule[] {
  const out: IngressRule[] = [];
  for (const r of tf.managed('aws_security_group')) {
    const resource = tf.resource(r);
    for (const block of tf.fields(r.block).blocks('ingress'))
      out.push(rule(tf, resource, block, 'protocol', ['cidr_blocks', 'ipv6_cidr_blocks']));
  }
  for (const r of tf.managed('aws_security_group_rule')) {
    const f = tf.fields(r.block);
    if (f.get('type')?.value === 'ingress')
      out.push(rule(tf, tf.resource(r), f, 'protocol', ['cidr_blocks', 'ipv6_cidr_blocks']));
  }
  for (const r of tf.managed('aws_vpc_security_group_ingress_rule'))
    out.push(rule(tf, tf.resource(r), tf.fields(r.block), 'ip_protocol', ['cidr_ipv4', 'cidr_ipv6']));
  return out;
}

function rule(
  tf: TfReader,
  resource: AwsResource,
  f: TfFields,
  protocol: string,
  cidrFields: string[],
): IngressRule {
  return {
    resource,
    at: f.at,
    protocol: stringSetting(f, protocol, UNKNOWN),
    fromPort: numberSetting(f, 'from_port', UNKNOWN),
    toPort: numberSetting(f, 'to_port', UNKNOWN),
    cidrs: cidrFields.flatMap((name) => {
      const field = f.get(name);
      if (!field) return [];
      const v = field.value;
      if (Array.isArray(v))
        return v.map((item, i) => ({ value: asString(item), at: tf.located(v, i, field.at) }));
      return [{ value: isUnknown(v) ? UNKNOWN : asString(v), at: field.at }];
    }),
  };
}
