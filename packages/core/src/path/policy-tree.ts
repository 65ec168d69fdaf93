import type { PolicyQualifier } from '../x509/extensions.js';
import { OID } from '../x509/oids.js';

/**
 * The valid_policy_tree of RFC 5280 §6.1: one level per certificate of the path, each node a policy
 * that is valid so far, with the qualifiers that came with it and the policies it may be matched by
 * in the next certificate. Levels are kept as arrays so that every step of §6.1.3 (d) and §6.1.4 (b)
 * reads as the RFC does.
 */

const ANY = OID.anyPolicy;

/** A node of the valid policy tree. */
export interface PolicyNode {
  validPolicy: string;
  qualifiers: PolicyQualifier[];
  expectedPolicySet: Set<string>;
  parent: PolicyNode | null;
  children: PolicyNode[];
  depth: number;
}

/** The budget on tree size: policy mapping can make the tree grow exponentially. */
export const MAX_POLICY_NODES = 10_000;

/** Raised when the tree outgrows {@link MAX_POLICY_NODES}. */
export class PolicyTreeTooLarge extends Error {}

/** The valid_policy_tree, or null once it has been pruned away. */
export class PolicyTree {
  /** levels[d] holds the nodes of depth d. */
  private levels: PolicyNode[][];
  private nodeCount = 1;

  constructor() {
    this.levels = [
      [
        {
          validPolicy: ANY,
          qualifiers: [],
          expectedPolicySet: new Set([ANY]),
          parent: null,
          children: [],
          depth: 0,
        },
      ],
    ];
  }

  /** Nodes of depth `d`. */
  level(d: number): PolicyNode[] {
    return this.levels[d] ?? [];
  }

  /** Whether any node is left. */
  get empty(): boolean {
    return this.levels[0]!.length === 0;
  }

  /** Adds a child to `parent` at the next depth. */
  addChild(
    parent: PolicyNode,
    validPolicy: string,
    qualifiers: PolicyQualifier[],
    expected: Iterable<string>,
  ): PolicyNode {
    this.nodeCount += 1;
    if (this.nodeCount > MAX_POLICY_NODES) throw new PolicyTreeTooLarge();
    const node: PolicyNode = {
      validPolicy,
      qualifiers,
      expectedPolicySet: new Set(expected),
      parent,
      children: [],
      depth: parent.depth + 1,
    };
    parent.children.push(node);
    const level = this.levels[node.depth];
    if (level) level.push(node);
    else this.levels[node.depth] = [node];
    return node;
  }

  /** Removes `node` and everything below it. */
  remove(node: PolicyNode): void {
    const stack = [node];
    while (stack.length > 0) {
      const n = stack.pop()!;
      const level = this.levels[n.depth];
      if (level) this.levels[n.depth] = level.filter((x) => x !== n);
      for (const child of n.children) stack.push(child);
    }
    if (node.parent) node.parent.children = node.parent.children.filter((x) => x !== node);
  }

  /** Deletes, bottom-up, every node above depth `leafDepth` that has no children. */
  prune(leafDepth: number): void {
    for (let d = leafDepth - 1; d >= 0; d -= 1) {
      for (const node of [...this.level(d)]) {
        if (node.children.length === 0) this.remove(node);
      }
    }
    this.levels.length = Math.min(this.levels.length, leafDepth + 1);
  }

  /**
   * §6.1.3 (d): processes the certificatePolicies of certificate `i`.
   * `anyPolicyAllowed` is (inhibit_anyPolicy > 0 or (i < n and self-issued)).
   */
  processCertificatePolicies(
    i: number,
    policies: readonly { oid: string; qualifiers: PolicyQualifier[] }[],
    anyPolicyAllowed: boolean,
  ): void {
    const parents = this.level(i - 1);
    for (const p of policies) {
      if (p.oid === ANY) continue;
      let matched = false;
      for (const node of parents) {
        if (node.expectedPolicySet.has(p.oid)) {
          this.addChild(node, p.oid, p.qualifiers, [p.oid]);
          matched = true;
        }
      }
      if (!matched) {
        for (const node of parents) {
          if (node.validPolicy === ANY) this.addChild(node, p.oid, p.qualifiers, [p.oid]);
        }
      }
    }
    const anyPolicy = policies.find((p) => p.oid === ANY);
    if (anyPolicy && anyPolicyAllowed) {
      for (const node of parents) {
        for (const expected of node.expectedPolicySet) {
          if (!node.children.some((c) => c.validPolicy === expected)) {
            this.addChild(node, expected, anyPolicy.qualifiers, [expected]);
          }
        }
      }
    }
    this.prune(i);
  }

  /**
   * §6.1.4 (b): applies the policyMappings of certificate `i`. With mapping allowed, expected sets
   * are rewritten (and anyPolicy nodes expanded); with it inhibited, mapped nodes are deleted.
   */
  applyMappings(
    i: number,
    mappings: readonly { issuerDomainPolicy: string; subjectDomainPolicy: string }[],
    mappingAllowed: boolean,
    anyPolicyQualifiers: PolicyQualifier[],
  ): void {
    const byIssuer = new Map<string, string[]>();
    for (const m of mappings) {
      const list = byIssuer.get(m.issuerDomainPolicy) ?? [];
      if (!list.includes(m.subjectDomainPolicy)) list.push(m.subjectDomainPolicy);
      byIssuer.set(m.issuerDomainPolicy, list);
    }
    for (const [idp, subjects] of byIssuer) {
      const nodes = this.level(i).filter((n) => n.validPolicy === idp);
      if (mappingAllowed) {
        if (nodes.length > 0) {
          for (const n of nodes) n.expectedPolicySet = new Set(subjects);
        } else {
          const anyNode = this.level(i).find((n) => n.validPolicy === ANY);
          if (anyNode?.parent) this.addChild(anyNode.parent, idp, anyPolicyQualifiers, subjects);
        }
      } else {
        for (const n of nodes) this.remove(n);
      }
    }
    if (!mappingAllowed) this.prune(i);
  }

  /**
   * §6.1.5 (g): intersects the tree with the user-initial-policy-set at depth `n` and returns the
   * user-constrained policy set (empty when the tree is gone).
   */
  intersect(n: number, userInitialPolicySet: readonly string[]): Set<string> {
    const userAny = userInitialPolicySet.includes(ANY);
    if (!userAny) {
      // The valid_policy_node_set: nodes whose parent is anyPolicy.
      const nodeSet: PolicyNode[] = [];
      for (let d = 1; d <= n; d += 1) {
        for (const node of this.level(d)) if (node.parent?.validPolicy === ANY) nodeSet.push(node);
      }
      for (const node of nodeSet) {
        if (node.validPolicy !== ANY && !userInitialPolicySet.includes(node.validPolicy)) this.remove(node);
      }
      const anyLeaf = this.level(n).find((node) => node.validPolicy === ANY);
      if (anyLeaf?.parent) {
        const present = new Set(
          nodeSet.filter((x) => this.level(x.depth).includes(x)).map((x) => x.validPolicy),
        );
        for (const p of userInitialPolicySet) {
          if (!present.has(p)) this.addChild(anyLeaf.parent, p, anyLeaf.qualifiers, [p]);
        }
        this.remove(anyLeaf);
      }
      this.prune(n);
    }
    // The user-constrained set is read where RFC 5280 §6.1.5 (g) reads it: at the nodes whose
    // parent is anyPolicy (the policies in the anchor's domain, before any mapping), keeping those
    // that still lead down to depth n.
    const out = new Set<string>();
    const reachesLeaf = new Set<PolicyNode>();
    for (const leaf of this.level(n)) {
      for (let node: PolicyNode | null = leaf; node; node = node.parent) reachesLeaf.add(node);
    }
    for (const node of reachesLeaf) {
      if (node.parent?.validPolicy !== ANY) continue;
      if (node.validPolicy !== ANY) out.add(node.validPolicy);
      else if (node.depth === n) {
        if (userAny) out.add(ANY);
        else for (const p of userInitialPolicySet) out.add(p);
      }
    }
    return out;
  }

  /** The qualifiers attached to the policies left at depth `n` (user notices an application may show). */
  qualifiersAt(n: number): PolicyQualifier[] {
    return this.level(n).flatMap((node) => node.qualifiers);
  }
}
