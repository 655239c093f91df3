/** Where a field path sits in a parsed YAML document, so every message can point at line and column. */
import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import { type Diagnostic, formatPath, type Severity } from "./diagnostics";

export interface Position {
  line: number;
  col: number;
}

export class Source {
  constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /**
   * The position of `path`: its value, or its key when `onKey` (for unknown keys); for a missing field,
   * the key of the nearest ancestor that exists.
   */
  locate(path: readonly PropertyKey[], onKey = false): Position {
    let node: unknown = this.doc.contents;
    let key: Node | undefined;
    let found = true;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) {
          found = false;
          break;
        }
        key = pair.key as Node;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number" && node.items[segment]) {
        key = undefined;
        node = node.items[segment];
      } else {
        found = false;
        break;
      }
    }
    // A map or list value is pointed at by its key: its first child may sit lines below.
    const pointAtValue = found && !onKey && !(key && (isMap(node) || isSeq(node)));
    const valueNode = pointAtValue ? (node as Node | null) : null;
    const target = valueNode?.range ?? key?.range ?? (this.doc.contents as Node | null)?.range;
    return this.position(target?.[0] ?? 0);
  }

  /** The value written at `path` (before any transform), or undefined where there is none. */
  valueAt(path: readonly PropertyKey[]): unknown {
    const node = this.doc.getIn(path as unknown[], true);
    return isScalar(node) ? node.value : node === undefined ? undefined : (node as Node).toJSON();
  }

  position(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, col };
  }

  diagnostic(path: readonly PropertyKey[], message: string, severity: Severity = "error", onKey = false): Diagnostic {
    return { file: this.file, ...this.locate(path, onKey), path: formatPath(path), message, severity };
  }
}
