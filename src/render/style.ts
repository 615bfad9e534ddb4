// ANSI styles, applied only when the caller says colours are on (a TTY, no NO_COLOR, no --no-color).
const CODES = { green: 32, yellow: 33, red: 31, cyan: 36, bold: 1, dim: 2 } as const;
export type Style = keyof typeof CODES;

export function styler(color: boolean): (style: Style, text: string) => string {
  return color ? (style, text) => `\u001b[${CODES[style]}m${text}\u001b[0m` : (_style, text) => text;
}
