import { stopRunServices } from './runServices'

export default async function globalTeardown(): Promise<void> {
  await stopRunServices()
}
