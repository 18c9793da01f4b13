import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge'
import type { DomainEvent } from './domain-events.js'

/** Where domain events go: an EventBridge bus on AWS, a JSON-lines file locally. Rejects when any event was not taken. */
export type EventSink = (events: readonly DomainEvent[]) => Promise<void>

/** Thrown when EventBridge refused some entries of a PutEvents call. */
export class PutEventsFailedError extends Error {
  override name = 'PutEventsFailedError'
}

// PutEvents takes at most 10 entries per call.
const MAX_ENTRIES = 10

/** The sink that puts events on the bus `busName`, in order, 10 per call. */
export function eventBridgeSink(client: EventBridgeClient, busName: string): EventSink {
  return async (events) => {
    for (let i = 0; i < events.length; i += MAX_ENTRIES) {
      const chunk = events.slice(i, i + MAX_ENTRIES)
      const result = await client.send(
        new PutEventsCommand({
          Entries: chunk.map((e) => ({
            EventBusName: busName,
            Source: e.source,
            DetailType: e.detailType,
            Detail: JSON.stringify(e.detail),
            Time: new Date(e.detail.time),
          })),
        }),
      )
      if ((result.FailedEntryCount ?? 0) > 0)
        throw new PutEventsFailedError(
          `${result.FailedEntryCount} of ${chunk.length} events refused`,
        )
    }
  }
}
