// Finishes the TypeScript models `wails generate module` writes from the Go
// types (wailsjs/go/models.ts), where its output does not match the JSON
// the Go side sends. Run by `make types`; the result is committed and
// `make check-types` fails when it differs from the Go code.
//
//   time.Time        Wails writes `any` ("// Go type: time"): encoding/json
//                    sends an RFC 3339 string.
//   app.CivilDate    Wails writes its fields: its MarshalText sends
//                    "YYYY-MM-DD".
//   anything else    Wails could not resolve (it writes `any`): unknown, so
//                    the frontend must check before use.
//   optional fields  Wails marks pointers and omitempty fields optional;
//                    a nil pointer arrives as null, not as a missing field.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../wailsjs/go/models.ts', import.meta.url);
let src = readFileSync(file, 'utf8');

src = src.replace(/[ \t]*\/\/ Go type: time\n(\s+\w+\??): any;/g, '$1: string;');
src = src.replace(/[ \t]*\/\/ Go type: \S+\n(\s+\w+\??): any;/g, '$1: unknown;');
src = src.replace(
  /export interface CivilDate \{[^}]*\}/,
  '// A calendar date, "YYYY-MM-DD" (CivilDate.MarshalText).\n\texport type CivilDate = string;',
);
src = src.replace(/^(\s+\w+)\?: (.+);$/gm, '$1?: $2 | null;');
if (/\bany\b/.test(src)) {
  const line = src.split('\n').findIndex((l) => /\bany\b/.test(l)) + 1;
  console.error(`wailsjs/go/models.ts:${line}: a Go type Wails wrote as \`any\`: map it in frontend/scripts/models.mjs`);
  process.exit(1);
}
writeFileSync(file, src);
