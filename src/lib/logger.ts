import pino from 'pino'

/** Structured JSON logs (one object per line) for the server process; Payload has its own pino logger. */
export const logger = pino({
  name: 'tutortrack',
  level: process.env.LOG_LEVEL || 'info',
  redact: { paths: ['password', '*.password', 'token', '*.token', 'req.headers.cookie', 'req.headers.authorization'], censor: '[redacted]' },
})
