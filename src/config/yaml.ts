/**
 * From a file's bytes to a YAML document and plain data, with every problem said in the user's words at the
 * line and column where it is: not UTF-8, too large, YAML syntax, duplicate keys, aliases that point nowhere
 * or expand without bound. Merge keys (`<<: *defaults`) are supported. Never throws on bad input.
 */
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, visit, type YAMLMap } from "yaml";
import type { Diagnostic } from "./diagnostics";
import { RULES } from "./rules";
import { syntaxMessage } from "./yaml-errors";

/** Environment files above this size are refused: a real one is a few KiB; one at the limit (about 1,000 services) validates in about half a second. */
export const MAX_FILE_BYTES = 256 * 1024;
/** Values a document may hold once its aliases are expanded: more than any file within the size limit holds directly. */
export const MAX_EXPANDED_VALUES = 200_000;

export interface YamlFile {
  doc?: Document;
  lines: LineCounter;
  /** The document as plain data, aliases and merge keys expanded; set when there are no diagnostics. */
  value?: unknown;
  diagnostics: Diagnostic[];
}

const problem = (file: string, lines: LineCounter, offset: number, message: string): Diagnostic => ({
  file,
  // Before any text was read (the size limit), the counter knows no lines: the file's start is 1:1.
  ...(lines.lineStarts.length > 0 ? lines.linePos(offset) : { line: 1, col: 1 }),
  path: "",
  message,
  severity: "error",
  rule: RULES.file.id,
});

/** Decodes UTF-8 strictly; the offset of the first byte that is not UTF-8 otherwise. */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { badOffset: number } {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return { badOffset: firstInvalidUtf8(bytes) };
  }
}

/** Index of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const [length, min] =
      c < 0x80
        ? [1, 0]
        : c >= 0xc2 && c <= 0xdf
          ? [2, 0x80]
          : c >= 0xe0 && c <= 0xef
            ? [3, 0x800]
            : c >= 0xf0 && c <= 0xf4
              ? [4, 0x10000]
              : [0, 0];
    if (length === 0 || i + length > b.length) return i;
    let cp = length === 1 ? c : c & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      if ((b[i + k]! & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (b[i + k]! & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += length;
  }
  return b.length;
}

/** Reads an environment file's bytes: size, encoding, syntax, duplicate keys, aliases. */
export function parseYamlBytes(file: string, bytes: Uint8Array): YamlFile {
  const lines = new LineCounter();
  if (bytes.length > MAX_FILE_BYTES) {
    const kib = (n: number) => `${Math.ceil(n / 1024).toLocaleString("en-US")} KiB`;
    return {
      lines,
      diagnostics: [problem(file, lines, 0, `file is ${kib(bytes.length)}; environment files are limited to ${kib(MAX_FILE_BYTES)}`)],
    };
  }
  const decoded = decodeUtf8(bytes);
  if ("badOffset" in decoded) {
    const before = new TextDecoder().decode(bytes.subarray(0, decoded.badOffset));
    const line = before.split("\n").length;
    const col = before.length - before.lastIndexOf("\n");
    const byte = bytes[decoded.badOffset]!.toString(16).toUpperCase().padStart(2, "0");
    const message = `is not UTF-8 text: byte 0x${byte} cannot start or continue a character; save the file as UTF-8`;
    return { lines, diagnostics: [{ file, line, col, path: "", message, severity: "error", rule: RULES.file.id }] };
  }
  return parseYaml(file, decoded.text, lines);
}

/** Parses YAML text; see the module comment. */
export function parseYaml(file: string, text: string, lines = new LineCounter()): YamlFile {
  // uniqueKeys is checked below in linear time (the library's own check is quadratic in a map's size).
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, merge: true });
  const diagnostics: Diagnostic[] = [];
  const structural = doc.errors.find((e) => e.code !== "DUPLICATE_KEY");
  if (structural) {
    const { offset, message } = syntaxMessage(structural, text);
    diagnostics.push(problem(file, lines, offset, message));
  }
  for (const w of doc.warnings) diagnostics.push(problem(file, lines, w.pos[0], syntaxMessage(w, text).message));
  if (structural) return { doc, lines, diagnostics };
  diagnostics.push(...duplicateKeys(doc, lines).map(({ offset, message }) => problem(file, lines, offset, message)));
  const aliases = aliasProblem(doc);
  if (aliases) diagnostics.push(problem(file, lines, aliases.offset, aliases.message));
  if (diagnostics.length > 0) return { doc, lines, diagnostics };
  return { doc, lines, value: doc.toJS({ maxAliasCount: -1 }), diagnostics };
}

/** A key's text; undefined for a merge key (`<<`, parsed as a symbol) or a non-scalar key. */
const keyText = (key: unknown) => (isScalar(key) && typeof key.value !== "symbol" ? String(key.value) : undefined);

function duplicateKeys(doc: Document, lines: LineCounter): { offset: number; message: string }[] {
  const found: { offset: number; message: string }[] = [];
  visit(doc, {
    Map(_, map: YAMLMap) {
      const first = new Map<string, Node>();
      for (const pair of map.items) {
        const name = keyText(pair.key);
        if (name === undefined) continue;
        const seen = first.get(name);
        if (!seen) first.set(name, pair.key as Node);
        else {
          const at = lines.linePos(seen.range![0]);
          found.push({
            offset: (pair.key as Node).range![0],
            message: `duplicate key "${name}": it is already set at line ${at.line}, column ${at.col}`,
          });
        }
      }
    },
  });
  return found;
}

/**
 * Aliases that point at no anchor, point into their own anchor, or make the document expand past
 * MAX_EXPANDED_VALUES (nested aliases multiply: the "billion laughs" attack). Sizes are memoized per node,
 * so the check is linear in the document even when its expansion is not.
 */
function aliasProblem(doc: Document): { offset: number; message: string } | undefined {
  const sizes = new Map<unknown, number>();
  const open = new Set<unknown>();
  const anchors = new Map<string, Node>();
  let total = 0;
  let found: { offset: number; message: string } | undefined;
  const size = (node: unknown, top: boolean): number => {
    if (found) return 0;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      const offset = node.range![0];
      if (!target) {
        found = { offset, message: `*${node.source} refers to no anchor: define &${node.source} before this alias` };
        return 0;
      }
      if (open.has(target)) {
        found = { offset, message: `*${node.source} is inside the value it refers to (&${node.source}), which would never end` };
        return 0;
      }
      const n = size(target, false);
      if (top) total += n;
      if (top && total > MAX_EXPANDED_VALUES && !found) {
        found = {
          offset,
          message: `aliases expand this document past ${MAX_EXPANDED_VALUES.toLocaleString("en-US")} values here (aliases inside aliases multiply); share less, or write the values out`,
        };
      }
      return n;
    }
    const cached = sizes.get(node);
    if (cached !== undefined && !top) return cached;
    if (isScalar(node) || isMap(node) || isSeq(node)) {
      if (node.anchor) anchors.set(node.anchor, node);
      open.add(node);
      let n = 1;
      if (top) total += 1;
      if (!isScalar(node)) {
        for (const item of node.items as unknown[]) {
          if (isPair(item)) n += size(item.key, top) + size(item.value, top);
          else n += size(item, top);
        }
      }
      open.delete(node);
      sizes.set(node, n);
      return n;
    }
    return node === null || node === undefined ? 0 : 1;
  };
  size(doc.contents, true);
  return found;
}
