const isMac = /Mac|iPhone|iPad/.test(navigator.userAgent);

const MAC_KEYS: Record<string, string> = { Mod: '⌘', Shift: '⇧', Alt: '⌥' };

/** TipTap's "Mod-Shift-Z" as people read it: "Ctrl+Shift+Z", or "⌘⇧Z" on a Mac. */
export function formatShortcut(shortcut: string): string {
  const keys = shortcut.split('-');
  if (isMac) return keys.map((key) => MAC_KEYS[key] ?? key.toUpperCase()).join('');
  return keys.map((key) => (key === 'Mod' ? 'Ctrl' : key.length === 1 ? key.toUpperCase() : key)).join('+');
}
