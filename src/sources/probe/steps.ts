import type { Answer } from '../../core/probe/outcome.js';

/**
 * The three steps of a probe run for one probe id. `command` and `cleanup` throw a SourceError
 * when they fail; `query` answers visible / pending, and throws when it cannot tell.
 */
export interface ProbeSteps {
  command(id: string, signal: AbortSignal): Promise<void>;
  query(id: string, signal: AbortSignal): Promise<Exclude<Answer, 'error'>>;
  cleanup?: ((id: string, signal: AbortSignal) => Promise<void>) | undefined;
  /** Releases connections (the sql steps' pool). */
  close(): Promise<void>;
}
