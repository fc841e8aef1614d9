import type { CollectionConfig } from 'payload'

import { adminsOnly, adminsOnlyField, isAdminUser, staffOnly } from './access/roles'
import { makeFirstUserAdmin } from '../hooks/users/makeFirstUserAdmin'

/** Admin-panel accounts: admins run everything, editors keep tutor profiles current. */
export const Users: CollectionConfig = {
  slug: 'users',
  labels: { singular: 'Staff user', plural: 'Staff users' },
  auth: {
    tokenExpiration: 60 * 60 * 8,
    // Payload's lockout counts failures with a findOneAndUpdate + projection that FerretDB rejects and that
    // loses racing increments anyway; login throttling is done by src/security instead.
    maxLoginAttempts: 0,
  },
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'email', 'role', 'updatedAt'],
    group: 'People',
    description: 'People who sign in to this admin panel.',
  },
  access: {
    admin: ({ req }) => req.user?.collection === 'users',
    read: staffOnly,
    create: adminsOnly,
    // Staff may edit their own profile (name, password); the role field is admin-only below.
    update: ({ req }) => (isAdminUser(req) ? true : req.user?.collection === 'users' ? { id: { equals: req.user.id } } : false),
    delete: adminsOnly,
  },
  hooks: {
    beforeChange: [makeFirstUserAdmin],
  },
  fields: [
    { name: 'name', type: 'text', required: true, maxLength: 120 },
    {
      name: 'role',
      type: 'select',
      required: true,
      defaultValue: 'editor',
      options: [
        { label: 'Admin', value: 'admin' },
        { label: 'Editor', value: 'editor' },
      ],
      access: { create: adminsOnlyField, update: adminsOnlyField },
      admin: { description: 'Admins manage everything; editors manage tutor profiles.' },
    },
  ],
}
