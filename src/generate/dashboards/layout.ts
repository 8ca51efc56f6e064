import { row, type GridPos, type Panel } from './builders.js';

/**
 * Places panels on Grafana's 24-column grid left to right, top to bottom, so that sections can
 * come and go with the config without hand-written coordinates. A collapsed row keeps the
 * panels added after it inside itself (Grafana queries them only when the row is opened).
 */
export class Grid {
  private readonly out: Panel[] = [];
  private y = 0;
  private x = 0;
  private lineHeight = 0;
  private collapsed: Panel | undefined;

  /** Starts a row on a new line. */
  row(title: string, opts: { collapsed?: boolean } = {}): this {
    this.newLine();
    // The panels of a collapsed row take no room on the grid until it is opened.
    if (this.collapsed) this.y = this.collapsed.gridPos.y + 1;
    const r = row(title, this.y, { collapsed: opts.collapsed ?? false });
    this.out.push(r);
    this.y += 1;
    this.collapsed = opts.collapsed ? r : undefined;
    return this;
  }

  /** Adds a panel of width `w` and height `h`, wrapping to a new line when it does not fit. */
  add(w: number, h: number, make: (pos: GridPos) => Panel): this {
    if (this.x + w > 24) this.newLine();
    const panel = make({ x: this.x, y: this.y, w, h });
    (this.collapsed ? this.collapsed.panels! : this.out).push(panel);
    this.x += w;
    this.lineHeight = Math.max(this.lineHeight, h);
    return this;
  }

  /** The top-level panels (rows, and the panels of expanded rows). */
  panels(): Panel[] {
    return this.out;
  }

  private newLine(): void {
    this.y += this.lineHeight;
    this.x = 0;
    this.lineHeight = 0;
  }
}
