import config from '@payload-config'
import '@payloadcms/next/css'
import { REST_DELETE, REST_GET, REST_OPTIONS, REST_PATCH, REST_POST, REST_PUT } from '@payloadcms/next/routes'

import { answerStorageOutages } from '../../../../lib/signInUnchecked'

// A signed-in request that could not be checked during a database outage answers 503, not 401 or the public view.
export const GET = answerStorageOutages(REST_GET(config))
export const POST = answerStorageOutages(REST_POST(config))
export const DELETE = answerStorageOutages(REST_DELETE(config))
export const PATCH = answerStorageOutages(REST_PATCH(config))
export const PUT = answerStorageOutages(REST_PUT(config))
export const OPTIONS = REST_OPTIONS(config)
