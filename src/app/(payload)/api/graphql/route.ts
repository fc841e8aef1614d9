import config from '@payload-config'
import { GRAPHQL_POST, REST_OPTIONS } from '@payloadcms/next/routes'

import { answerStorageOutages } from '../../../../lib/signInUnchecked'
import { guardGraphQL } from '../../../../security/graphqlGuard'

export const POST = guardGraphQL(answerStorageOutages(GRAPHQL_POST(config), { graphql: true }))
export const OPTIONS = REST_OPTIONS(config)
