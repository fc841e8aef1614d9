import { WeekGrid as WeekGrid_2d17a493c8a6bcd8ded48bcca0ee0ff4 } from '../../../admin/availability/WeekGrid'
import { TutorZoneDateTime as TutorZoneDateTime_64af255cd13f3dcde640e6a4d2cc8f8c } from '../../../admin/zones/ZonedDateTime'
import { AppointmentDateTime as AppointmentDateTime_64af255cd13f3dcde640e6a4d2cc8f8c } from '../../../admin/zones/ZonedDateTime'
import { AppointmentZones as AppointmentZones_db66932ab0cf2db3094bf45ef5e0ab8c } from '../../../admin/zones/AppointmentZones'
import { CollectionCards as CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1 } from '@payloadcms/next/rsc'

/** @type import('payload').ImportMap */
export const importMap = {
  "/admin/availability/WeekGrid#WeekGrid": WeekGrid_2d17a493c8a6bcd8ded48bcca0ee0ff4,
  "/admin/zones/ZonedDateTime#TutorZoneDateTime": TutorZoneDateTime_64af255cd13f3dcde640e6a4d2cc8f8c,
  "/admin/zones/ZonedDateTime#AppointmentDateTime": AppointmentDateTime_64af255cd13f3dcde640e6a4d2cc8f8c,
  "/admin/zones/AppointmentZones#AppointmentZones": AppointmentZones_db66932ab0cf2db3094bf45ef5e0ab8c,
  "@payloadcms/next/rsc#CollectionCards": CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1
}
