/**
 * Browser test files work in the database of the run's shared production server (test/setup/browserGlobalSetup.ts):
 * the fixtures they create in-process must be what the server shows. Runs before each browser file's imports.
 */
if (process.env.TUTORTRACK_TEST_BROWSER_DATABASE_URI) process.env.DATABASE_URI = process.env.TUTORTRACK_TEST_BROWSER_DATABASE_URI
