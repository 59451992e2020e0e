import { allRedirect, numberSetting, stringSetting } from '../../iac/aws/fields.js';
import type { AwsResource, IngressRule, Listener } from '../../iac/aws/model.js';
import { asString, isUnknown, UNKNOWN } from '../../iac/unknown.js';
import type { CfnFields, CfnReader } from './reader.js';

/** Ingress rules: SecurityGroupIngress of AWS::EC2::SecurityGroup, and AWS::EC2::SecurityGroupIngress. */
export function ingressRules(cfn: CfnReader): IngressRule[] {
  const out: IngressRule[] = [];
  for (const r of cfn.ofType('AWS::EC2::SecurityGroup')) {
    const resource = cfn.resource(r);
    for (const entry of cfn.fields(r).blocks('SecurityGroupIngress')) out.push(rule(resource, entry));
  }
  for (const r of cfn.ofType('AWS::EC2::SecurityGroupIngress'))
    out.push(rule(cfn.resource(r), cfn.fields(r)));
  return out;
}

function rule(resource: AwsResource, f: CfnFields): IngressRule {
  return {
    resource,
    at: f.at,
    protocol: stringSetting(f, 'IpProtocol', UNKNOWN),
    fromPort: numberSetting(f, 'FromPort', UNKNOWN),
    toPort: numberSetting(f, 'ToPort', UNKNOWN),
    cidrs: ['CidrIp', 'CidrIpv6'].flatMap((name) => {
      const field = f.get(name);
      return field ? [{ value: isUnknown(field.value) ? UNKNOWN : asString(field.value), at: field.at }] : [];
    }),
  };
}

export function listeners(cfn: CfnReader): Listener[] {
  return cfn.ofType('AWS::ElasticLoadBalancingV2::Listener').map((r) => {
    const f = cfn.fields(r);
    const types = f.blocks('DefaultActions').map((a) => a.get('Type')?.value);
    return {
      resource: cfn.resource(r),
      protocol: stringSetting(f, 'Protocol', UNKNOWN),
      redirects: allRedirect(types),
    };
  });
}
