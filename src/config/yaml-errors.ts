/**
 * The YAML library's errors in words a user understands, at the line where the mistake is (the library
 * sometimes reports the line above it, or the end of the file for an unclosed quote).
 */
import type { YAMLError } from "yaml";

export interface SyntaxMessage {
  offset: number;
  message: string;
}

const lineStart = (text: string, offset: number) => text.lastIndexOf("\n", offset - 1) + 1;
const lineEnd = (text: string, offset: number) => {
  const end = text.indexOf("\n", offset);
  return end === -1 ? text.length : end;
};
const indentOf = (line: string) => line.length - line.trimStart().length;
const isContent = (line: string) => line.trim() !== "" && !line.trimStart().startsWith("#");

/** The line holding `offset`, its start, and its text without a trailing comment. */
function lineAt(text: string, offset: number): { start: number; line: string } {
  const start = lineStart(text, offset);
  return { start, line: text.slice(start, lineEnd(text, start)) };
}

/** Offset of the first ": " (or a final ":") outside quotes in `line`, or -1. */
function colonOf(line: string, from = 0): number {
  let quote: string | undefined;
  for (let i = from; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || line[i - 1] === " ")) return -1;
    else if (c === ":" && (i + 1 === line.length || line[i + 1] === " ")) return i;
  }
  return -1;
}

/** The next line after `offset` with content (not blank, not a comment). */
function nextContentLine(text: string, offset: number): { start: number; line: string } | undefined {
  for (let start = lineEnd(text, offset) + 1; start < text.length; start = lineEnd(text, start) + 1) {
    const line = text.slice(start, lineEnd(text, start));
    if (isContent(line)) return { start, line };
  }
  return undefined;
}

/** The previous line before `offset` with content. */
function previousContentLine(text: string, offset: number): string | undefined {
  for (let end = lineStart(text, offset) - 1; end > 0; end = lineStart(text, end) - 1) {
    const line = text.slice(lineStart(text, end), end);
    if (isContent(line)) return line;
  }
  return undefined;
}

/** The opening bracket that `close` never closes, searching back from `offset` (quotes skipped roughly). */
function unclosedBracket(text: string, offset: number, open: "[" | "{"): number {
  const close = open === "[" ? "]" : "}";
  let depth = 0;
  for (let i = Math.min(offset, text.length - 1); i >= 0; i--) {
    const c = text[i];
    if (c === close) depth++;
    else if (c === open) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return offset;
}

/** The quote that opens a string never closed: the first line holding an odd number of that quote. */
function unclosedQuote(text: string, quote: '"' | "'"): number {
  for (let start = 0; start < text.length; start = lineEnd(text, start) + 1) {
    const line = text.slice(start, lineEnd(text, start));
    let open = -1;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (open === -1 && c === "#" && (i === 0 || line[i - 1] === " ")) break;
      if (c === "\\" && quote === '"' && open !== -1) i++;
      else if (c === quote) open = open === -1 ? i : -1;
      else if (open === -1 && (c === '"' || c === "'")) {
        const other = line.indexOf(c, i + 1);
        i = other === -1 ? line.length : other;
      }
    }
    if (open !== -1) return start + open;
  }
  return text.length;
}

/** An implicit-key error: a value holding ": ", a line indented under a key that has a value, or no colon. */
function implicitKey(err: YAMLError, text: string): SyntaxMessage {
  const { start, line } = lineAt(text, err.pos[0]);
  const colon = colonOf(line);
  if (colon === -1) {
    const offset = start + indentOf(line);
    return { offset, message: `expected "key: value", but this line has no ": "; is a colon missing?` };
  }
  const inValue = colonOf(line, colon + 1);
  if (inValue !== -1) {
    const offset = start + colon + 1 + indentOf(line.slice(colon + 1));
    return { offset, message: `a value cannot contain ": " unless it is quoted; write it in quotes` };
  }
  const next = nextContentLine(text, start);
  const key = line.slice(indentOf(line), colon).trim();
  if (next && indentOf(next.line) > indentOf(line) && line.slice(colon + 1).trim() !== "") {
    const row = text.slice(0, start).split("\n").length;
    return {
      offset: next.start + indentOf(next.line),
      message: `is indented deeper than "${key}:" on line ${row}, which already has a value; line it up with "${key}:"`,
    };
  }
  if (line.trimStart().startsWith("- ")) {
    return { offset: start + indentOf(line), message: 'a list item ("- ") cannot stand among the keys of a map; indent it under a key' };
  }
  return { offset: err.pos[0], message: `cannot read this line as "key: value"` };
}

export function syntaxMessage(err: YAMLError, text: string): SyntaxMessage {
  const at = (message: string, offset = err.pos[0]) => ({ offset, message });
  switch (err.code) {
    case "TAB_AS_INDENT":
      return at("this line is indented with a tab; YAML indents with spaces only", lineStart(text, err.pos[0]));
    case "BAD_INDENT": {
      const flow = /^Flow (sequence|map)/.exec(err.message);
      if (flow) {
        const [open, close, what] = flow[1] === "sequence" ? (["[", "]", "list"] as const) : (["{", "}", "map"] as const);
        return at(`this ${what} opened with "${open}" is not closed with "${close}"`, unclosedBracket(text, err.pos[0], open));
      }
      const { start, line } = lineAt(text, err.pos[0]);
      const above = previousContentLine(text, start);
      const detail =
        above === undefined
          ? "differently from the keys it stands with"
          : `${indentOf(line)} spaces, but the line above ${indentOf(above)}`;
      return at(`is indented ${detail}; keys of one map must start in the same column`, start + indentOf(line));
    }
    case "BLOCK_AS_IMPLICIT_KEY":
    case "MULTILINE_IMPLICIT_KEY":
      return implicitKey(err, text);
    case "MISSING_CHAR": {
      const quote = /closing (["'])/.exec(err.message)?.[1] as '"' | "'" | undefined;
      if (quote) return at(`this string's opening ${quote} is never closed; add the closing ${quote}`, unclosedQuote(text, quote));
      return at(`something is missing here: ${err.message.split("\n")[0]!.toLowerCase()}`);
    }
    case "BAD_SCALAR_START": {
      const char = text[err.pos[0]];
      return at(`a value cannot start with "${char}" unless it is quoted; write it in quotes`);
    }
    case "BAD_DQ_ESCAPE": {
      const sequence = /\\\S+/.exec(err.message)?.[0] ?? "\\";
      return at(`"${sequence}" is not an escape sequence in a double-quoted string; write "\\${sequence}" or use single quotes`);
    }
    case "MULTIPLE_DOCS":
      return at('a second document starts here ("---"); an environment file holds one environment: move it to a file of its own');
    case "MULTIPLE_ANCHORS":
      return at("a value can carry one anchor (&name) only");
    case "MULTIPLE_TAGS":
    case "TAG_RESOLVE_FAILED":
      return at(`unknown tag "${text.slice(err.pos[0], err.pos[1])}"; environment files hold plain values, without tags`);
    case "KEY_OVER_1024_CHARS":
      return at("a key can be at most 1024 characters long");
    default:
      return at(err.message.split("\n")[0]!.replace(/;? ?please use .*$/i, ""));
  }
}
