/**
 * cdktf carries its references inside plain strings as `${TfToken[…]}` (`#{…}` for lists, `&{…}` for maps)
 * and resolves any marker it meets: cdktf's internal token encoding (lib/tokens/private/encoding.js), which a
 * user's text must never contain.
 */
export const CDKTF_MARKER = /[$#&]\{TfToken\[/;
