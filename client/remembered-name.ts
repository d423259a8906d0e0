/** The name a person typed last on this computer, offered again when they open the next invitation. */
const KEY = 'nde.name';

export function rememberedName(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function rememberName(name: string): void {
  try {
    localStorage.setItem(KEY, name);
  } catch {
    // Storage disabled (private mode): the name is simply asked again next time.
  }
}
