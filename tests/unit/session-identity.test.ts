import { describe, expect, it } from 'vitest';
import { badgeParts, roleLabel, roleSummary } from '../../client/components/session-identity.js';
import { Role } from '../../shared/schema/roles.js';

/** The header's identity badge: name, delegation and role, each said once (client/components/session-identity.ts). */
describe('the identity badge', () => {
  it('shows a delegate as name, delegation and role', () => {
    expect(badgeParts('Amina Hassan', 'Egypt', 'delegate')).toEqual({ name: 'Amina Hassan', delegation: 'Egypt', role: 'Delegate' });
  });

  it('does not repeat the role where the delegation is the role', () => {
    expect(badgeParts('Test Secretariat', 'Secretariat', 'secretariat')).toEqual({ name: 'Test Secretariat', delegation: null, role: 'Secretariat' });
    expect(badgeParts('Ambassador Rodríguez', 'Chair', 'chair')).toEqual({ name: 'Ambassador Rodríguez', delegation: null, role: 'Chair' });
    expect(badgeParts('Jane Doe', 'Commenter', 'commenter').delegation).toBeNull();
  });

  it('drops the role the server put before a commenter or observer name, keeping what follows', () => {
    expect(badgeParts('Pierre Martin', 'Observer: UNESCO', 'observer')).toEqual({ name: 'Pierre Martin', delegation: 'UNESCO', role: 'Observer' });
    expect(badgeParts('Jane Doe', 'Commenter: ITU Legal (2)', 'commenter').delegation).toBe('ITU Legal (2)');
    // Only the role's own prefix: a delegate's delegation is theirs as named.
    expect(badgeParts('Li Wei', 'Observer: Mission', 'delegate').delegation).toBe('Observer: Mission');
  });

  it('shows no role where none is known (a list page signed in by invitations)', () => {
    expect(badgeParts('Jane Doe', '', null)).toEqual({ name: 'Jane Doe', delegation: null, role: null });
  });

  it('has a label and a summary for every role', () => {
    for (const role of Role.options) {
      expect(roleLabel(role)).toMatch(/^[A-Z]/);
      expect(roleSummary(role).length).toBeGreaterThan(10);
    }
  });
});
