'use client'
import type { DefaultCellComponentProps } from 'payload'
import React from 'react'

import { namedZoneTime } from '../formatTime'
import { useViewerZone } from '../viewerZone'

/**
 * A date column in an admin list: the instant in the viewer's zone, with the zone's name ("… 14:30 (Europe/Paris)")
 * where Payload's own cell can only name an offset. The server, which has no viewer zone, renders it in UTC.
 */
export function ZonedDateCell({ cellData }: DefaultCellComponentProps) {
  const zone = useViewerZone() ?? 'UTC'
  if (cellData === null || cellData === undefined || cellData === '') return <span className="zoned-date-cell" />
  return <span className="zoned-date-cell">{namedZoneTime(cellData as string, zone)}</span>
}
