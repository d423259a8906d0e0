/**
 * When each keystroke was typed, per typist (keyed by the typist's Yjs client
 * id). Typists and measuring clients share this process and its clock, so
 * latency is simply performance.now() at arrival minus the time recorded here.
 * Typists only append to their own paragraph, so its n-th character is keystroke n.
 */
export class KeystrokeLog {
  private readonly sent = new Map<number, number[]>();
  private total = 0;

  register(clientId: number): void {
    this.sent.set(clientId, []);
  }

  isTypist(clientId: number): boolean {
    return this.sent.has(clientId);
  }

  record(clientId: number, at: number): void {
    this.sent.get(clientId)!.push(at);
    this.total++;
  }

  /** Send time of keystroke `index` (0-based) of a typist, if it was typed. */
  sentAt(clientId: number, index: number): number | undefined {
    return this.sent.get(clientId)?.[index];
  }

  get typed(): number {
    return this.total;
  }

  get typists(): number {
    return this.sent.size;
  }
}
