/** A negotiation rule was broken (bracket across a line break, editing another's comment...). */
export class ModelError extends Error {
  constructor(
    message: string,
    /** 'not-found' for missing ids, 'forbidden' for rules about who may do it, 'invalid' otherwise. */
    readonly kind: 'not-found' | 'forbidden' | 'invalid' = 'invalid',
  ) {
    super(message);
    this.name = 'ModelError';
  }
}
