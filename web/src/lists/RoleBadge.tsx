import type { Role } from '../api/types';

export function RoleBadge({ role }: { role: Role }) {
  return <span className={`role role-${role}`} data-testid="role">{role}</span>;
}
