import { describe, expect, it } from 'vitest'
import { createPartList } from '../../infra/local/processes.js'
import { InvalidPortError, choosePort, portSpecs } from '../../infra/local/ports.js'

function recorder() {
  const events: string[] = []
  const part = (name: string, startMs = 0) =>
    [
      name,
      async () => {
        await new Promise((r) => setTimeout(r, startMs))
        events.push(`start ${name}`)
        return name
      },
      async (started: string) => {
        events.push(`stop ${started}`)
      },
    ] as const
  return { events, part }
}

describe('Function: createPartList', () => {
  it('stops started parts in reverse order, once, however often stopAll is called', async () => {
    const { events, part } = recorder()
    const parts = createPartList()
    await parts.add(...part('dynamodb'))
    await parts.add(...part('graphql'))

    await Promise.all([parts.stopAll(), parts.stopAll()])
    await parts.stopAll()

    expect(events).toEqual(['start dynamodb', 'start graphql', 'stop graphql', 'stop dynamodb'])
  })

  it('waits for a part that is still starting, then stops it with the others', async () => {
    const { events, part } = recorder()
    const parts = createPartList()
    await parts.add(...part('dynamodb'))
    const slow = parts.add(...part('ses', 50))

    await parts.stopAll()

    await expect(slow).resolves.toBe('ses')
    expect(events).toEqual(['start dynamodb', 'start ses', 'stop ses', 'stop dynamodb'])
  })

  it('keeps stopping the other parts when one fails to stop, and reports which one failed', async () => {
    const { events, part } = recorder()
    const parts = createPartList()
    await parts.add(...part('dynamodb'))
    await parts.add(
      'graphql',
      async () => 'graphql',
      async () => {
        throw new Error('socket stuck')
      },
    )

    await expect(parts.stopAll()).rejects.toThrow(
      'graphql did not stop cleanly: Error: socket stuck',
    )
    expect(events).toEqual(['start dynamodb', 'stop dynamodb'])
  })

  it('refuses to start a part once stopping has begun', async () => {
    const { events, part } = recorder()
    const parts = createPartList()
    await parts.stopAll()

    await expect(parts.add(...part('late'))).rejects.toThrow(
      'cannot start late: the stack is stopping',
    )
    expect(events).toEqual([])
  })
})

describe('Function: choosePort', () => {
  it('prefers the option, then the first variable set, then the default', () => {
    expect(choosePort(portSpecs.api, 0, { API_PORT: '4100' })).toBe(0)
    expect(choosePort(portSpecs.api, undefined, { API_PORT: '4100', PORT: '4200' })).toBe(4100)
    expect(choosePort(portSpecs.api, undefined, { PORT: '4200' })).toBe(4200)
    expect(choosePort(portSpecs.dynamodb, undefined, {})).toBe(8000)
    expect(choosePort(portSpecs.ses, undefined, { SES_PORT: '' })).toBe(8005)
  })

  it.each(['abc', '-1', '65536', '80.5'])('refuses the port variable %j, naming it', (raw) => {
    expect(() => choosePort(portSpecs.dynamodb, undefined, { DYNAMODB_PORT: raw })).toThrow(
      InvalidPortError,
    )
    expect(() => choosePort(portSpecs.dynamodb, undefined, { DYNAMODB_PORT: raw })).toThrow(
      `DYNAMODB_PORT must be a port number from 0 to 65535, got ${raw}`,
    )
  })
})
