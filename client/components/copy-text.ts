/**
 * Puts text on the clipboard. The Clipboard API exists only in a secure
 * context (https, or this very computer): on a meeting room's plain-http
 * network it is missing, so the older copy command is tried, from a hidden
 * text field placed beside `near` (inside an open <dialog> the rest of the
 * page is inert, and a field outside it could not be selected). False when
 * neither worked: the caller shows the text for copying by hand.
 */
export async function copyText(text: string, near: Element): Promise<boolean> {
  try {
    if (navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no permission, page not focused): try the other way.
  }
  const field = document.createElement('textarea');
  field.value = text;
  field.setAttribute('readonly', '');
  field.className = 'visually-hidden';
  (near.parentElement ?? document.body).append(field);
  try {
    field.select();
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    field.remove();
    if (near instanceof HTMLElement) near.focus();
  }
}
