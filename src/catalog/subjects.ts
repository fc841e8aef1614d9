/** The subjects a tutor can offer; the booking site filters by these values. */
export const SUBJECTS = [
  { value: 'mathematics', label: 'Mathematics' },
  { value: 'physics', label: 'Physics' },
  { value: 'chemistry', label: 'Chemistry' },
  { value: 'biology', label: 'Biology' },
  { value: 'computer-science', label: 'Computer science' },
  { value: 'english', label: 'English' },
  { value: 'spanish', label: 'Spanish' },
  { value: 'french', label: 'French' },
  { value: 'german', label: 'German' },
  { value: 'history', label: 'History' },
  { value: 'economics', label: 'Economics' },
  { value: 'music', label: 'Music' },
] as const

export type SubjectValue = (typeof SUBJECTS)[number]['value']
