/**
 * One finding per vulnerability per package, however many records describe it. Records of one
 * package are grouped when their ids (id + aliases) meet: GHSA-x and PYSEC-y that alias each
 * other, a Debian tracker CVE and an OSV DEBIAN-CVE record for it. The group's primary is the
 * record with the best rank (the distribution's own feed before OSV), then the most specific
 * (fewest aliases), then the smallest id; the others add their ids as aliases.
 *
 * A record whose ids meet several groups is an umbrella (a DSA fixing three CVEs, each found on
 * its own): it is not merged, which would fold three vulnerabilities into one; its id becomes
 * an alias of each.
 */

export interface Groupable {
  id: string;
  aliases: readonly string[];
  /** Lower wins: 0 for the distribution's own feed, 1 for the rest. */
  rank: number;
}

export interface AliasGroup<T extends Groupable> {
  primary: T;
  others: T[];
  /** Ids of umbrella records that also cover this vulnerability. */
  umbrellas: string[];
}

function meets(a: Groupable, ids: ReadonlySet<string>): boolean {
  if (ids.has(a.id)) return true;
  for (const alias of a.aliases) if (ids.has(alias)) return true;
  return false;
}

export function groupByAlias<T extends Groupable>(items: readonly T[]): AliasGroup<T>[] {
  const ordered = [...items].sort(
    (a, b) =>
      a.rank - b.rank || a.aliases.length - b.aliases.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const groups: { group: AliasGroup<T>; ids: Set<string> }[] = [];
  for (const item of ordered) {
    const linked = groups.filter((g) => meets(item, g.ids));
    if (linked.length === 0) {
      groups.push({
        group: { primary: item, others: [], umbrellas: [] },
        ids: new Set([item.id, ...item.aliases]),
      });
    } else if (linked.length === 1) {
      const g = linked[0]!;
      g.group.others.push(item);
      g.ids.add(item.id);
      for (const alias of item.aliases) g.ids.add(alias);
    } else {
      for (const g of linked) {
        if (!g.group.umbrellas.includes(item.id)) g.group.umbrellas.push(item.id);
        g.ids.add(item.id);
      }
    }
  }
  return groups.map((g) => g.group);
}
