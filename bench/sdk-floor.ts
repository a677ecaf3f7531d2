import OpenAI from 'openai';
import { measure } from './lib/measure.js';
import type { ChildServer } from './lib/server-child.js';
import { scenarioText } from './lib/workload.js';

export interface SdkFloor {
  concurrency: number;
  latencyMs: number;
  requests: number;
  reqPerSec: number;
  ratio: number;
  cpuUsPerRequest: number;
}

/**
 * The same requests through the bare OpenAI SDK in a plain loop of C workers (no scheduler, no
 * retries, no transcripts): the ceiling any harness built on the SDK can reach on this machine.
 */
export async function sdkFloor(server: ChildServer, concurrency: number, latencyMs: number, rounds: number): Promise<SdkFloor> {
  await server.setOptions({ latencyMs });
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'sk-bench-not-a-secret', maxRetries: 0 });
  const n = concurrency * rounds;
  const call = (i: number): Promise<unknown> =>
    client.chat.completions.create({
      model: 'bench-model',
      messages: [{ role: 'user', content: scenarioText(i % concurrency) }],
      max_completion_tokens: 256,
      temperature: 1,
    });
  await Promise.all(Array.from({ length: concurrency }, (_, i) => call(i))); // warm-up round
  let next = 0;
  const m = await measure(() =>
    Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < n) await call(next++);
      }),
    ),
  );
  const reqPerSec = (n / m.wallMs) * 1000;
  return {
    concurrency,
    latencyMs,
    requests: n,
    reqPerSec,
    ratio: reqPerSec / ((concurrency / latencyMs) * 1000),
    cpuUsPerRequest: (m.cpuMs * 1000) / n,
  };
}
