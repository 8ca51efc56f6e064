/**
 * A demo part that acts once a second between start() and stop(). A tick never overlaps the one
 * before (a slow database skips seconds instead of piling up), stop() waits for the tick in
 * flight, and a failing tick is dropped: the demo is best effort, the monitor is what is shown
 * (a projector that fails simply stalls, which the monitor reports).
 */
export abstract class EverySecond {
  #timer?: NodeJS.Timeout;
  #busy = false;
  #startedAt = Date.now();

  start(startedAt = Date.now()): void {
    this.#startedAt = startedAt;
    this.#timer = setInterval(() => void this.#run(), 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    while (this.#busy) await new Promise((r) => setTimeout(r, 20));
  }

  /** One second's work; `elapsedMs` is the time since start(). */
  protected abstract tick(elapsedMs: number): Promise<void>;

  async #run(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      await this.tick(Date.now() - this.#startedAt);
    } catch {
      // Best effort (above).
    } finally {
      this.#busy = false;
    }
  }
}
