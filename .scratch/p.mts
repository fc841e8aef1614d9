export {}
import { startLocalSes } from '../scripts/local-ses'
import { createSesTransport } from '../src/email/sesTransport'
import { classifySendError } from '../src/email/sendErrors'
process.env.AWS_ACCESS_KEY_ID = 'local'; process.env.AWS_SECRET_ACCESS_KEY = 'local'
const ses = await startLocalSes()
const t = createSesTransport({ region: 'us-east-1', endpoint: ses.endpoint })
for (const from of ['<>', '', 'TutorTrack', '"x" <bad>', 'a@b.c']) {
  try { const info = await t.sendMail({ from, to: 'x@example.com', subject: 's', text: 'hi', html: '<p>hi</p>' }); console.log(JSON.stringify(from), 'OK', info.response) }
  catch (e: any) { console.log(JSON.stringify(from), 'ERR', e.name, e.code, e.$metadata?.httpStatusCode, e.message, JSON.stringify(classifySendError(e))) }
}
await ses.stop()
try { await t.sendMail({ from: 'a@b.c', to: 'x@example.com', subject: 's', text: 'hi' }) } catch (e: any) { console.log('down', e.name, e.code, e.message, JSON.stringify(classifySendError(e))) }
