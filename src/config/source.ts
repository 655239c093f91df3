/** Where a field path sits in a parsed YAML document, so every message can point at line and column. */
import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type Pair, type YAMLMap } from "yaml";
import { type Diagnostic, formatPath } from "./diagnostics";
import type { Rule } from "./rules";

export interface Position {
  line: number;
  col: number;
}

export class Source {
  /** Each map's pairs by key, built on first use: lookups stay constant-time however many diagnostics a big file has. */
  private readonly index = new WeakMap<YAMLMap, Map<string, Pair>>();

  constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** The pair of `key` in `map`, looking through merge keys (`<<: *defaults`) as YAML does: own keys first. */
  private pairOf(map: YAMLMap, key: string): Pair | undefined {
    let pairs = this.index.get(map);
    if (!pairs) {
      pairs = new Map();
      for (const p of map.items) {
        if (!isScalar(p.key)) continue;
        // With merge keys on, `<<` is parsed as a symbol.
        const name = typeof p.key.value === "symbol" ? "<<" : String(p.key.value);
        if (!pairs.has(name)) pairs.set(name, p);
      }
      this.index.set(map, pairs);
    }
    const own = pairs.get(key);
    if (own || key === "<<") return own;
    const merge = pairs.get("<<")?.value;
    const sources = isSeq(merge) ? merge.items : [merge];
    for (const s of sources) {
      const target = isAlias(s) ? s.resolve(this.doc) : s;
      const found = isMap(target) ? this.pairOf(target, key) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** The node at `path` (aliases followed), the key that holds it, and whether the whole path exists. */
  private walk(path: readonly PropertyKey[]): { node: unknown; key?: Node; found: boolean } {
    let node: unknown = this.doc.contents;
    let key: Node | undefined;
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(this.doc);
      const pair = isMap(node) ? this.pairOf(node, String(segment)) : undefined;
      if (pair) {
        key = pair.key as Node;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number" && node.items[segment]) {
        key = undefined;
        node = node.items[segment];
      } else {
        return { node, key, found: false };
      }
    }
    return { node, key, found: true };
  }

  /**
   * The position of `path`: its value, or its key when `onKey` (for unknown keys); for a missing field,
   * the key of the nearest ancestor that exists.
   */
  locate(path: readonly PropertyKey[], onKey = false): Position {
    const { node, key, found } = this.walk(path);
    // A map or list value is pointed at by its key: its first child may sit lines below.
    const pointAtValue = found && !onKey && !(key && (isMap(node) || isSeq(node)));
    const valueNode = pointAtValue ? (node as Node | null) : null;
    const target = valueNode?.range ?? key?.range ?? (this.doc.contents as Node | null)?.range;
    return this.position(target?.[0] ?? 0);
  }

  /** The value written at `path` (before any transform), or undefined where there is none. */
  valueAt(path: readonly PropertyKey[]): unknown {
    const { node, found } = this.walk(path);
    if (!found) return undefined;
    const value = isAlias(node) ? node.resolve(this.doc) : node;
    return isScalar(value) ? value.value : value === null || value === undefined ? value : (value as Node).toJSON();
  }

  position(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, col };
  }

  /** A problem `rule` finds at `path` (at its key when `onKey`: a map's own problems, unknown keys). */
  report(rule: Rule, path: readonly PropertyKey[], message: string, onKey = false): Diagnostic {
    return { file: this.file, ...this.locate(path, onKey), path: formatPath(path), message, severity: rule.level, rule: rule.id };
  }
}
