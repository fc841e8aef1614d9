/** The longest note a student may send their tutor (POST /api/appointments/:id/message; the form's maxLength). */
export const MAX_TUTOR_MESSAGE_LENGTH = 2000
