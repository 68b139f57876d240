/**
 * UTF-8 as both edges read it: a facts document or an API body must be UTF-8 (RFC 8259 for
 * JSON), and one that is not is refused saying where, not read with U+FFFD in its values.
 */

/** Refuses bytes that are not UTF-8; a byte order mark is kept, for the parsers to drop. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** BYTES as text, or what is wrong with them: "an invalid UTF-8 sequence at byte offset 29 (0xc3 0x28)". */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { invalid: string } {
  try {
    return { text: STRICT_UTF8.decode(bytes) };
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  const invalid = invalidUtf8(bytes);
  // The decoder refused BYTES, so invalidUtf8 finds where; anything else is a bug.
  if (!invalid) throw new Error('the UTF-8 decoder refused bytes that invalidUtf8 accepts');
  return { invalid: `an invalid UTF-8 sequence at byte offset ${invalid.offset} (${invalid.shown})` };
}

const HIGH_SURROGATES = 0xd800;
const LOW_SURROGATES = 0xdc00;
const LAST_SURROGATE = 0xdfff;

/** Whether a UTF-16 code unit is a surrogate, high (D800-DBFF) or low (DC00-DFFF): half of a character beyond U+FFFF. */
export const isSurrogate = (unit: number) => unit >= HIGH_SURROGATES && unit <= LAST_SURROGATE;

/** What a string holding a lone surrogate is refused for not being (loneSurrogate). */
export const UNICODE_TEXT = 'Unicode text';

/**
 * The first lone surrogate of TEXT, as an error says it ("a lone surrogate (\udfff) at character
 * 3", counting characters, a surrogate pair one, from 1), or undefined when there is none. A
 * JSON or YAML \u escape makes one (a connector that cuts an emoji in half): it is no character,
 * UTF-8 cannot encode it, and PostgreSQL refuses it in json, so a string holding one is refused
 * where it comes in rather than stored as U+FFFD or failing the store. One pass.
 */
export function loneSurrogate(text: string): string | undefined {
  let character = 0;
  for (let i = 0; i < text.length; i++) {
    character++;
    const unit = text.charCodeAt(i);
    if (!isSurrogate(unit)) continue;
    if (unit < LOW_SURROGATES) {
      const next = text.charCodeAt(i + 1);
      if (next >= LOW_SURROGATES && next <= LAST_SURROGATE) {
        i++;
        continue;
      }
    }
    return `a lone surrogate (\\u${unit.toString(16)}) at character ${character}`;
  }
  return undefined;
}
/**
 * The first NUL (U+0000) of TEXT, as an error says it ("a NUL (\u0000) at character 7", counting
 * characters as loneSurrogate does, a surrogate pair one, from 1), or undefined when there is none.
 * It is text, but PostgreSQL's text and jsonb hold none, so what is stored is refused with one.
 */
export function nulCharacter(text: string): string | undefined {
  const at = text.indexOf('\0');
  return at < 0 ? undefined : `a NUL (\\u0000) at character ${Array.from(text.slice(0, at)).length + 1}`;
}

/** The UTF-16 encoding BYTES's byte order mark names, if they open with one. */
export function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  return bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
}

/**
 * BYTES as text: UTF-16 when they open with its byte order mark (FF FE little-endian, FE FF
 * big-endian: what Windows PowerShell 5.1's `>` and `Out-File` write, `Test-NetConnection > out.txt`
 * or `ConvertTo-Json > facts.json`), else UTF-8 (decodeUtf8). A mark says the encoding outright,
 * which no UTF-8 text opens with (0xFE and 0xFF are never UTF-8 bytes). A lone surrogate is what
 * is wrong with UTF-16, said as decodeUtf8 says an invalid sequence.
 */
export function decodeText(bytes: Uint8Array): { text: string } | { invalid: string } {
  const encoding = utf16Encoding(bytes);
  if (!encoding) return decodeUtf8(bytes);
  try {
    return { text: new TextDecoder(encoding, { fatal: true }).decode(bytes) };
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return { invalid: `${encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE'} (by its byte order mark) with ${bytes.length % 2 === 1 ? 'an odd number of bytes' : 'an unpaired surrogate'}` };
  }
}

/**
 * Where the first byte sequence that is not UTF-8 starts in BYTES, and its bytes up to the one
 * that breaks it (WHATWG's decoder: no overlong forms, surrogates or code points past U+10FFFF).
 * One pass, only run once the decoder has refused BYTES: it says that, not where.
 */
export function invalidUtf8(bytes: Uint8Array): { offset: number; shown: string } | undefined {
  const hex = (from: number, to: number) => [...bytes.subarray(from, to)].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const need = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
    if (need === 0) return { offset: i, shown: hex(i, i + 1) };
    // The second byte's range is narrower after E0, ED, F0 and F4: that is what rules the overlong forms, surrogates and code points past U+10FFFF out.
    let lower = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    let upper = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= need; k++) {
      const next = bytes[i + k];
      if (next === undefined) return { offset: i, shown: `${hex(i, i + k)}, then the end of the input` };
      if (next < lower || next > upper) return { offset: i, shown: hex(i, i + k + 1) };
      lower = 0x80;
      upper = 0xbf;
    }
    i += need + 1;
  }
  return undefined;
}
