// The consent text arrives as the small Markdown subset the templates use:
// headings, paragraphs, **bold**, "> " quotes, "- " lists and "- [ ] "
// tick boxes. The signing screen shows it block by block, and turns every
// tick-box line into a real, large checkbox.

export type Block =
  | { kind: 'h1' | 'h2' | 'p' | 'quote'; text: string }
  | { kind: 'item'; text: string }
  | { kind: 'check'; label: string; ticked: boolean };

export function parseForm(text: string): Block[] {
  const out: Block[] = [];
  let para: string[] = [];
  let quote: string[] = [];
  const flush = () => {
    if (para.length) out.push({ kind: 'p', text: para.join(' ') });
    if (quote.length) out.push({ kind: 'quote', text: quote.join('\n') });
    para = [];
    quote = [];
  };
  for (const raw of text.replace(/\r\n/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const check = /^\s*- \[( |x|X)\] (.*)$/.exec(line);
    if (check) {
      flush();
      out.push({ kind: 'check', label: check[2].trim(), ticked: check[1] !== ' ' });
    } else if (line.startsWith('> ') || line === '>') {
      if (para.length) flush();
      quote.push(line.slice(2));
    } else if (/^#\s/.test(line)) {
      flush();
      out.push({ kind: 'h1', text: line.replace(/^#\s+/, '') });
    } else if (/^#{2,6}\s/.test(line)) {
      flush();
      out.push({ kind: 'h2', text: line.replace(/^#+\s+/, '') });
    } else if (/^\s*- /.test(line)) {
      flush();
      out.push({ kind: 'item', text: line.replace(/^\s*- /, '') });
    } else if (line.trim() === '') {
      flush();
    } else {
      if (quote.length) flush();
      para.push(line.trim());
    }
  }
  flush();
  return out;
}

/** Splits "**Practice:** Harbour" into bold and plain runs. */
export function inlineRuns(text: string): { bold: boolean; text: string }[] {
  return text
    .split('**')
    .map((t, i) => ({ bold: i % 2 === 1, text: t }))
    .filter((r) => r.text !== '');
}
