/** The CRM roster's roles. */
export const ROLES = ['admin', 'manager', 'account_manager'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  manager: 'Manager',
  account_manager: 'Account manager',
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Account managers and admins change leads; managers read everything. */
export function canEditLeads(role: Role | null): boolean {
  return role === 'admin' || role === 'account_manager';
}

export function canConfigure(role: Role | null): boolean {
  return role === 'admin';
}
