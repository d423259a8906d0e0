import { describe, expect, it } from 'vitest';
import { invitationDelegation, type ExistingInvitation } from '../../server/auth/invitation-identity.js';
import { BadRequestError } from '../../server/errors.js';
import { Delegation } from '../../shared/schema/negotiation.js';

describe('the delegation an invitation speaks for', () => {
  it('shares a delegate or chair delegation, and requires a delegate to name one', () => {
    const existing: ExistingInvitation[] = [{ role: 'delegate', delegation: 'Egypt' }];
    expect(invitationDelegation({ role: 'delegate', delegation: 'Egypt' }, existing)).toBe('Egypt');
    expect(invitationDelegation({ role: 'chair' }, [{ role: 'chair', delegation: 'Chair' }])).toBe('Chair');
    expect(invitationDelegation({ role: 'secretariat' }, [])).toBe('Secretariat');
    expect(() => invitationDelegation({ role: 'delegate', delegation: '  ' }, [])).toThrow(BadRequestError);
  });

  it('gives each commenter and observer a name no other invitation of the document holds', () => {
    const existing: ExistingInvitation[] = [];
    const add = (input: Parameters<typeof invitationDelegation>[0]) => {
      const delegation = invitationDelegation(input, existing);
      existing.push({ role: input.role, delegation });
      return delegation;
    };
    expect(add({ role: 'commenter' })).toBe('Commenter');
    expect(add({ role: 'commenter' })).toBe('Commenter (2)');
    expect(add({ role: 'commenter', label: 'Jane Doe' })).toBe('Commenter: Jane Doe');
    expect(add({ role: 'commenter', label: 'jane doe' })).toBe('Commenter: jane doe (2)');
    expect(add({ role: 'commenter', delegation: 'Egypt', label: 'Adviser' })).toBe('Commenter: Egypt');
    expect(add({ role: 'observer', delegation: 'Observer' })).toBe('Observer');
    expect(add({ role: 'observer' })).toBe('Observer (2)');
  });

  it('never hands a commenter a name the secretariat or chair speaks as, or a delegate holds', () => {
    expect(invitationDelegation({ role: 'commenter', label: 'Secretariat' }, [])).toBe('Commenter: Secretariat');
    const delegateNamedLikeIt: ExistingInvitation[] = [{ role: 'delegate', delegation: 'Commenter' }];
    expect(invitationDelegation({ role: 'commenter' }, delegateNamedLikeIt)).toBe('Commenter (2)');
  });

  it('refuses a delegate, chair or secretariat invitation that would take a commenter or observer name', () => {
    const existing: ExistingInvitation[] = [{ role: 'commenter', delegation: 'Commenter: Jane Doe' }];
    expect(() => invitationDelegation({ role: 'delegate', delegation: 'commenter: jane doe' }, existing)).toThrow(/commenter's invitation/);
    expect(() => invitationDelegation({ role: 'chair', delegation: 'Commenter: Jane Doe' }, existing)).toThrow(BadRequestError);
  });

  it('stays a valid delegation however long the label', () => {
    const label = 'A'.repeat(120);
    const first = invitationDelegation({ role: 'commenter', label }, []);
    const second = invitationDelegation({ role: 'commenter', label }, [{ role: 'commenter', delegation: first }]);
    for (const d of [first, second]) expect(Delegation.safeParse(d).success).toBe(true);
    expect(second).not.toBe(first);
    expect(second.endsWith(' (2)')).toBe(true);
  });
});
