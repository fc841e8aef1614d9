import { InviteTutorButton as InviteTutorButton_1c9c2ef8718efa19cac2c70283f879e4 } from '../../../adminTutorInvite/InviteTutorButton'
import { CollectionCards as CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1 } from '@payloadcms/next/rsc'

/** @type import('payload').ImportMap */
export const importMap = {
  "/adminTutorInvite/InviteTutorButton#InviteTutorButton": InviteTutorButton_1c9c2ef8718efa19cac2c70283f879e4,
  "@payloadcms/next/rsc#CollectionCards": CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1
}
