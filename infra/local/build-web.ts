/**
 * Builds a web app with Vite in this process, so that a signal during the build ends it: a build
 * in a process of its own would run on after npm was stopped.
 */
export async function buildWebApp(configFile: string): Promise<void> {
  const vite = await import('vite')
  // Vite sets NODE_ENV=production for its build; the stack that runs next is no production.
  const nodeEnv = process.env.NODE_ENV
  await vite.build({ configFile })
  if (nodeEnv === undefined) delete process.env.NODE_ENV
  else process.env.NODE_ENV = nodeEnv
}
