import { includesType } from './evttypes.js';
import type { IR } from './ir.js';

/**
 * The condition as it stands for events of one type: evt.type checks become true or false,
 * and the logic around them simplifies (dead branches go, a rule may fold to false).
 */
export function foldForType(ir: IR, type: string): IR | boolean {
  switch (ir.kind) {
    case 'and':
    case 'or': {
      const absorbing = ir.kind === 'or';
      const children: IR[] = [];
      for (const c of ir.children) {
        const f = foldForType(c, type);
        if (f === absorbing) return absorbing;
        if (f !== !absorbing) children.push(f as IR);
      }
      if (children.length === 0) return !absorbing;
      return children.length === 1 ? children[0]! : { kind: ir.kind, children };
    }
    case 'not': {
      const f = foldForType(ir.child, type);
      return typeof f === 'boolean' ? !f : { kind: 'not', child: f };
    }
    case 'check':
      return ir.eventTypes ? includesType(ir.eventTypes, type) : ir;
    case 'macro': {
      const body = foldForType(ir.body, type);
      return typeof body === 'boolean' ? body : { kind: 'macro', name: ir.name, body };
    }
    default:
      return ir;
  }
}
