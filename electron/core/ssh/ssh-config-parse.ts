// Split an OpenSSH client config file into keyword + arguments lines, as readconf.c does: `Keyword value`,
// `Keyword=value` or `Keyword = value`; keywords are case-insensitive; arguments may be "double" or
// 'single' quoted, backslash escapes a quote, backslash or space; a `#` that starts an unquoted argument
// (or the line) begins a comment. Structural mistakes are errors naming file:line, like ssh's own
// "bad configuration option" messages; unknown keywords are kept (ssh has more than we care about).

export interface ConfigLine {
  /** Lower-case keyword. */
  keyword: string;
  args: string[];
  file: string;
  line: number;
}

export class SshConfigError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number | null,
  ) {
    super(line === null ? `${file}: ${message}` : `${file}:${line}: ${message}`);
    this.name = 'SshConfigError';
  }
}

export function parseSshConfig(text: string, file: string): ConfigLine[] {
  const lines: ConfigLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const lineNo = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const m = /^([A-Za-z][A-Za-z0-9]*)(?:\s*=\s*|\s+|$)(.*)$/.exec(trimmed);
    if (!m) throw new SshConfigError(`cannot read this line: ${JSON.stringify(trimmed.slice(0, 80))}`, file, lineNo);
    const keyword = (m[1] as string).toLowerCase();
    const args = splitArgs(m[2] as string, file, lineNo);
    lines.push({ keyword, args, file, line: lineNo });
  });
  return lines;
}

/** OpenSSH argv_split(): whitespace-separated words, quotes group, backslash escapes, `#` word = comment. */
export function splitArgs(text: string, file: string, line: number): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (i >= text.length) break;
    if (text[i] === '#') break;
    let word = '';
    let quote: '"' | "'" | null = null;
    for (; i < text.length; i++) {
      const c = text[i] as string;
      if (quote === null && /\s/.test(c)) break;
      if (c === '\\' && i + 1 < text.length && /["'\\\s]/.test(text[i + 1] as string)) {
        word += text[++i];
        continue;
      }
      if (quote === null && (c === '"' || c === "'")) {
        quote = c;
        continue;
      }
      if (c === quote) {
        quote = null;
        continue;
      }
      word += c;
    }
    if (quote !== null) throw new SshConfigError('unterminated quote', file, line);
    args.push(word);
  }
  return args;
}
