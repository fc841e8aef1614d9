// Tailwind for the student site only: its CSS is imported from src/app/(site)/layout.tsx, never from the admin.
export default { plugins: { '@tailwindcss/postcss': {} } }
