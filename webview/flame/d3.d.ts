/**
 * A small typed adapter for the parts of d3-flame-graph 5.0.0 and d3-selection used here
 * (neither ships type declarations that fit this bundle).
 */
declare module 'd3-flame-graph' {
  export interface FlameDatum<T> {
    data: T;
    x0: number;
    x1: number;
    depth: number;
    value: number;
    /** Set on search matches. */
    highlight?: boolean;
  }
  export interface FlameGraph<T> {
    (selection: unknown): void;
    width(value: number): FlameGraph<T>;
    cellHeight(value: number): FlameGraph<T>;
    minFrameSize(value: number): FlameGraph<T>;
    transitionDuration(value: number): FlameGraph<T>;
    tooltip(value: boolean): FlameGraph<T>;
    inverted(value: boolean): FlameGraph<T>;
    sort(value: boolean | ((a: FlameDatum<T>, b: FlameDatum<T>) => number)): FlameGraph<T>;
    selfValue(value: boolean): FlameGraph<T>;
    getName(value: (d: FlameDatum<T>) => string): FlameGraph<T>;
    setLabelHandler(value: (d: FlameDatum<T>) => string): FlameGraph<T>;
    setColorMapper(value: (d: FlameDatum<T>, originalColor: string) => string): FlameGraph<T>;
    setSearchMatch(value: (d: FlameDatum<T>, term: string) => boolean): FlameGraph<T>;
    setDetailsElement(element: HTMLElement | null): FlameGraph<T>;
    setDetailsHandler(value: (text: string | null) => void): FlameGraph<T>;
    /** Called after each search with the matching frames, their weight (nested matches once) and the drawn root's weight. */
    setSearchHandler(value: (matches: FlameDatum<T>[], matched: number, total: number) => void): FlameGraph<T>;
    onClick(value: (d: FlameDatum<T>) => void): FlameGraph<T>;
    onHover(value: (d: FlameDatum<T>) => void): FlameGraph<T>;
    search(term: string): void;
    clear(): void;
    resetZoom(): void;
    update(data?: T): void;
    destroy(): void;
  }
  export default function flamegraph<T>(): FlameGraph<T>;
}

declare module 'd3-selection' {
  export interface Selection {
    datum(value: unknown): Selection;
    call(fn: (selection: Selection) => void): Selection;
    datum(): unknown;
  }
  export function select(target: Element | EventTarget | null): Selection;
}
