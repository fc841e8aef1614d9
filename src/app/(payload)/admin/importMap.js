import { ZonedDateCell as ZonedDateCell_c5e79b73951f76c71d12772569cb2479 } from '../../../admin/zones/ZonedDateCell'
import { RuleRefusalOnField as RuleRefusalOnField_5e3b25625c78a0188c28aa991c036780 } from '../../../admin/ruleErrors/RuleRefusalOnField'
import { WeekGrid as WeekGrid_2d17a493c8a6bcd8ded48bcca0ee0ff4 } from '../../../admin/availability/WeekGrid'
import { DateOverrides as DateOverrides_847875f9029cf36ebb1dd7b6bad9a9f9 } from '../../../admin/availability/DateOverrides'
import { TutorZoneDateTime as TutorZoneDateTime_64af255cd13f3dcde640e6a4d2cc8f8c } from '../../../admin/zones/ZonedDateTime'
import { InviteTutorButton as InviteTutorButton_e54427caec0fd2ae5a13ef2993c58b3d } from '../../../admin/tutorInvite/InviteTutorButton'
import { AppointmentDateTime as AppointmentDateTime_64af255cd13f3dcde640e6a4d2cc8f8c } from '../../../admin/zones/ZonedDateTime'
import { AppointmentZones as AppointmentZones_db66932ab0cf2db3094bf45ef5e0ab8c } from '../../../admin/zones/AppointmentZones'
import { ViewerZoneDateTime as ViewerZoneDateTime_64af255cd13f3dcde640e6a4d2cc8f8c } from '../../../admin/zones/ZonedDateTime'
import { CalendarNavLink as CalendarNavLink_1d492754577294c0d1ed8f03fed1447a } from '../../../admin/nav/CalendarNavLink'
import { Dashboard as Dashboard_f4c94eb62e7d955ed6fcc34236a39620 } from '../../../admin/dashboard/Dashboard'
import { CalendarView as CalendarView_d81710f9a4806f51db4eac087b3b137b } from '../../../admin/calendar/CalendarView'
import { CollectionCards as CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1 } from '@payloadcms/next/rsc'

/** @type import('payload').ImportMap */
export const importMap = {
  "/admin/zones/ZonedDateCell#ZonedDateCell": ZonedDateCell_c5e79b73951f76c71d12772569cb2479,
  "/admin/ruleErrors/RuleRefusalOnField#RuleRefusalOnField": RuleRefusalOnField_5e3b25625c78a0188c28aa991c036780,
  "/admin/availability/WeekGrid#WeekGrid": WeekGrid_2d17a493c8a6bcd8ded48bcca0ee0ff4,
  "/admin/availability/DateOverrides#DateOverrides": DateOverrides_847875f9029cf36ebb1dd7b6bad9a9f9,
  "/admin/zones/ZonedDateTime#TutorZoneDateTime": TutorZoneDateTime_64af255cd13f3dcde640e6a4d2cc8f8c,
  "/admin/tutorInvite/InviteTutorButton#InviteTutorButton": InviteTutorButton_e54427caec0fd2ae5a13ef2993c58b3d,
  "/admin/zones/ZonedDateTime#AppointmentDateTime": AppointmentDateTime_64af255cd13f3dcde640e6a4d2cc8f8c,
  "/admin/zones/AppointmentZones#AppointmentZones": AppointmentZones_db66932ab0cf2db3094bf45ef5e0ab8c,
  "/admin/zones/ZonedDateTime#ViewerZoneDateTime": ViewerZoneDateTime_64af255cd13f3dcde640e6a4d2cc8f8c,
  "/admin/nav/CalendarNavLink#CalendarNavLink": CalendarNavLink_1d492754577294c0d1ed8f03fed1447a,
  "/admin/dashboard/Dashboard#Dashboard": Dashboard_f4c94eb62e7d955ed6fcc34236a39620,
  "/admin/calendar/CalendarView#CalendarView": CalendarView_d81710f9a4806f51db4eac087b3b137b,
  "@payloadcms/next/rsc#CollectionCards": CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1
}
