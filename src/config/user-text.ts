/**
 * A rule over every string a user writes, whatever the field. cdktf carries its references inside plain
 * strings as `${TfToken[…]}` (`#{…}` for lists, `&{…}` for maps) and resolves any marker it meets, so such
 * text would crash synth or be replaced by another resource's value. No escape keeps it literal through
 * cdktf, so it is refused here. All other template syntax is escaped where the model enters the stack
 * (src/constructs/terraform-literals.ts).
 */
import type { Diagnostic } from "./diagnostics";
import { RULES } from "./rules";
import type { Source } from "./source";

const CDKTF_MARKER = /[$#&]\{TfToken\[/;

export function cdktfMarkers(raw: unknown, source: Source): Diagnostic[] {
  const out: Diagnostic[] = [];
  const message = (text: string) =>
    `contains "${CDKTF_MARKER.exec(text)![0]}", the marker cdktf uses for its own references; it cannot be written literally`;
  const walk = (value: unknown, path: PropertyKey[]): void => {
    if (typeof value === "string") {
      if (CDKTF_MARKER.test(value)) out.push(source.report(RULES.cdktfMarker, path, message(value)));
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, [...path, i]);
    } else if (value !== null && typeof value === "object") {
      for (const [key, v] of Object.entries(value)) {
        if (CDKTF_MARKER.test(key)) out.push(source.report(RULES.cdktfMarker, [...path, key], message(key), true));
        walk(v, [...path, key]);
      }
    }
  };
  walk(raw, []);
  return out;
}
